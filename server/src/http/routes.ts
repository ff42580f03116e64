// What the product's plain HTTP routes share (the data page's imports, evidence files): coded
// refusals in the GraphQL error shape, the login behind a request, the cross-site check for
// cookie logins, the read-your-writes mark after a write, and the answers to an upload that failed
// on the way in.
import { type Database, HOUSEHOLDS_STILL_LOADING, STILL_LOADING } from '@rrm/db';
import { identify, type Viewer } from '@rrm/schema';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { currentWriteLsn, LSN_HEADER, lsnCookie } from '../read-routing.ts';
import { BodyTooLarge, type MinRate, UploadStalled, UploadTooSlow } from './upload.ts';

/** Headers that show a request was made by script from the page itself (see `csrfCheck`). */
export const CSRF_HEADERS = ['x-requested-with', 'apollo-require-preflight'] as const;

/** A refusal with its HTTP status, code, and a Chinese message beside the English one. */
export class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly zh?: string,
    readonly argument?: string,
  ) {
    super(message);
  }
}

/** Answers a refusal: { errors: [{ message, extensions: { code, argument?, zh? } }] }. */
export function send(res: Response, error: RouteError | GraphQLError): void {
  if (error instanceof GraphQLError) {
    // The policy's refusals (UNAUTHENTICATED, FORBIDDEN) carry their status.
    const { http, ...extensions } = error.extensions as { http?: { status?: number } };
    res.status(http?.status ?? 400).json({ errors: [{ message: error.message, extensions }] });
    return;
  }
  res.status(error.status).json({
    errors: [
      {
        message: error.message,
        extensions: {
          code: error.code,
          ...(error.argument ? { argument: error.argument } : {}),
          ...(error.zh ? { zh: error.zh } : {}),
        },
      },
    ],
  });
}

/**
 * Cross-site request forgery: the session cookie is SameSite=Strict, so another site's request
 * arrives without it; on top, a request that logs in with the cookie must carry a header that a
 * page can only send from script on this origin (a custom header needs a CORS preflight, which the
 * product never grants) — the same rule as Apollo's on /graphql, whose header is accepted too.
 * A Bearer token is never sent by a browser on its own, so it needs nothing more.
 */
export function csrfCheck(req: Request): void {
  if (req.headers.authorization) return;
  if (CSRF_HEADERS.some((h) => (req.get(h) ?? '').length > 0)) return;
  throw new RouteError(
    403,
    'CSRF_PREVENTED',
    'a request logged in with the session cookie must carry the header X-Requested-With (any value); this one could have been sent by another site',
    '使用登录 Cookie 的请求须带 X-Requested-With 请求头；此请求可能来自其他网站，已拒绝',
  );
}

/** Who is asking (the cookie or the Authorization header), as GraphQL sees them. */
export async function viewerOf(database: Database, req: Request): Promise<Viewer> {
  return identify(database, { authorization: req.headers.authorization, cookie: req.headers.cookie });
}

/** After a write, the primary's position for read-your-writes on a replica (read-routing.ts). */
export async function markWrite(database: Database, res: Response): Promise<void> {
  if (!database.replica) return;
  const lsn = await currentWriteLsn(database);
  res.setHeader(LSN_HEADER, lsn);
  res.append('Set-Cookie', lsnCookie(lsn));
}

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * The answer to an upload that failed on its way in (too large, stalled, too slow), or null for
 * any other error. `tooLarge` says which limit the file broke and how to get past it.
 */
export function uploadRefusal(
  error: unknown,
  limits: { idleMs: number; minRate: MinRate; tooLarge: () => RouteError },
): RouteError | null {
  if (error instanceof BodyTooLarge) return limits.tooLarge();
  if (error instanceof UploadStalled)
    return new RouteError(
      408,
      'UPLOAD_STALLED',
      `no part of the file arrived for ${limits.idleMs / 1000} s: the upload was given up; send it again`,
      `超过 ${limits.idleMs / 1000} 秒未收到文件数据，上传已中止，请重新上传`,
      'body',
    );
  if (error instanceof UploadTooSlow)
    return new RouteError(
      408,
      'UPLOAD_TOO_SLOW',
      `the file arrived at ${error.bytesPerSecond} bytes/s, below the ${limits.minRate.bytesPerSecond} bytes/s this server needs once an upload has run ${limits.minRate.afterMs / 1000} s: the upload was given up; send it again over a faster connection`,
      `文件上传速度过慢（${error.bytesPerSecond} 字节/秒，低于本服务器要求的 ${limits.minRate.bytesPerSecond} 字节/秒），上传已中止，请重新上传`,
      'body',
    );
  return null;
}

/** Seconds a client is told to wait while the monitored households are still loading. */
const STILL_LOADING_RETRY_SECONDS = 30;

/**
 * Answers 503 STILL_LOADING: the monitored households of a first start are still being loaded
 * (db/src/monitoring/pending.ts); the route reads or writes them, so it cannot answer yet.
 */
export function sendStillLoading(res: Response): void {
  res.setHeader('retry-after', String(STILL_LOADING_RETRY_SECONDS));
  send(
    res,
    new RouteError(
      503,
      STILL_LOADING,
      HOUSEHOLDS_STILL_LOADING,
      '防止返贫监测户数据仍在加载（首次启动时在地图之后加载，约一分钟），请稍后再试',
    ),
  );
}
