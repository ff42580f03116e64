// A request id for every HTTP request: sent back as x-request-id, and carried through the request's
// async work so that an error answered to the client as "internal error (request …)" can be found
// in the log with its full detail (which never goes to the client).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

const store = new AsyncLocalStorage<string>();

export function requestIds() {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = requestIdOf(req);
    res.setHeader('x-request-id', id);
    store.run(id, next);
  };
}

/**
 * A request's id: a load balancer's is kept (when TRUST_PROXY says a proxy is in front and it looks
 * like one); a client's own is not trusted, so log lines cannot be forged under another's id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const given = process.env.TRUST_PROXY && typeof header === 'string' ? header : undefined;
  return given && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
}

/** The current request's id ('-' outside a request). */
export function currentRequestId(): string {
  return store.getStore() ?? '-';
}

/** Logs an unexpected error with the request id; returns the id for the client's message. */
export function logUnexpected(error: unknown, where: string): string {
  const id = currentRequestId();
  console.error(`[request ${id}] ${where}:`, error);
  return id;
}
