// Telling "the database is away" apart from other failures: the API then answers a coded 503 at once
// (and recovers by itself when the database returns: the driver reconnects on the next query).

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up / shutting down)
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True when the error (or anything it wraps) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current = error as { code?: unknown; cause?: unknown; originalError?: unknown } | undefined;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (typeof current.code === 'string' && UNAVAILABLE_CODES.has(current.code)) return true;
    current = (current.originalError ?? current.cause) as typeof current;
  }
  return false;
}

export const UNAVAILABLE_MESSAGE = 'the database is not reachable right now; try again in a moment';
