// Telling "the database is away" apart from other failures: the API then answers a coded 503 at once
// (and recovers by itself when the database returns: the driver reconnects on the next query).
import { errorCode } from '@rrm/db';

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
  return unavailableCode(error) !== null;
}

/** The code that says the database cannot be reached (CONNECT_TIMEOUT, 57P01 …), or null. */
function unavailableCode(error: unknown): string | null {
  return errorCode(error, (code) => UNAVAILABLE_CODES.has(code));
}

const LOG_EVERY_MS = 5_000;
const lastLogged = new Map<string, { at: number; unlogged: number; flush: NodeJS.Timeout | null }>();

/**
 * Logs that a request met an unreachable database, one line per code every few seconds: an
 * operator sees when and how (refused, timed out, shut down) without a line per failed request
 * during an outage. Those held back are counted on the next line, or on a line of their own at the
 * end of the window, so the count is not lost when the outage ends. The client is told only
 * UNAVAILABLE_MESSAGE.
 */
export function logUnavailable(error: unknown, where: string): void {
  const code = unavailableCode(error);
  if (!code) return;
  const now = Date.now();
  const last = lastLogged.get(code);
  if (last && now - last.at < LOG_EVERY_MS) {
    last.unlogged++;
    last.flush ??= setTimeout(() => flushUnlogged(code), last.at + LOG_EVERY_MS - now).unref();
    return;
  }
  const more = last?.unlogged ? ` (and ${last.unlogged} more since the last line)` : '';
  if (last?.flush) clearTimeout(last.flush);
  lastLogged.set(code, { at: now, unlogged: 0, flush: null });
  console.error(`${new Date(now).toISOString()} database unavailable (${code}) in ${where}${more}`);
}

function flushUnlogged(code: string): void {
  const last = lastLogged.get(code);
  if (!last) return;
  last.flush = null;
  if (!last.unlogged) return;
  const now = Date.now();
  console.error(`${new Date(now).toISOString()} database unavailable (${code}) ${last.unlogged} more times`);
  lastLogged.set(code, { at: now, unlogged: 0, flush: null });
}

export const UNAVAILABLE_MESSAGE = 'the database is not reachable right now; try again in a moment';
