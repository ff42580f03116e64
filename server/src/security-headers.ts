// Security headers on every response (helmet). The Content-Security-Policy allows scripts only from
// this origin: no 'unsafe-inline', no 'unsafe-eval' (the explorer's start-up script is a file, see
// explorer.ts). MapLibre needs workers from blob: and images from data:/blob:; styles may be inline
// (React, MapLibre and GraphiQL set style attributes; styles cannot run script).
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

function helmetMiddleware(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // X-Content-Type-Options: nosniff, Cross-Origin-Opener/Resource-Policy: same-origin and the
    // rest are helmet's defaults.
  });
}

/**
 * helmet's headers as a fixed list: they do not depend on the request, so they are taken once from
 * a response that records them (helmet runs a dozen middlewares per request to set the same values).
 */
export function fixedSecurityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => {},
  };
  let called = false;
  helmetMiddleware()({} as never, recorder as never, () => {
    called = true;
  });
  if (!called)
    throw new Error('helmet did not finish synchronously: the fixed security headers would be incomplete');
  return headers;
}

/** Sets the security headers on every response (the list above, set once per request). */
export function securityHeaders(): RequestHandler {
  const headers = Object.entries(fixedSecurityHeaders());
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
