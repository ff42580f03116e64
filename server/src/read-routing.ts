// Reads that scale out. With a read replica (DATABASE_READ_URL), GraphQL queries, tiles and exports
// read from it and every write goes to the primary. A user who has just written reads from the
// primary until the replica has replayed that write (read-your-writes): the write's WAL position
// travels back to the client in a cookie (and an x-rrm-write-lsn header for API clients), so any
// instance behind a load balancer can honour it without shared state.
import { currentWalLsn, type Database, replayedLsn } from '@rrm/db';

export const LSN_COOKIE = 'rrm_write_lsn';
export const LSN_HEADER = 'x-rrm-write-lsn';

/** A WAL position "16/B374D848" as a number, or null when it is not one. */
export function parseLsn(text: string | null | undefined): bigint | null {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text?.trim() ?? '');
  return match ? (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`) : null;
}

function cookie(header: string | null | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** The position of the request's own last write, from its header or cookie. */
export function writtenUpTo(getHeader: (name: string) => string | null | undefined): bigint | null {
  return parseLsn(getHeader(LSN_HEADER) ?? cookie(getHeader('cookie'), LSN_COOKIE));
}

/**
 * Where this request reads: the replica, unless the request's own write has not reached it yet or
 * it cannot be asked (then the primary, which is always right).
 */
export async function readerFor(
  database: Database,
  getHeader: (name: string) => string | null | undefined,
): Promise<Database> {
  const replica = database.replica;
  if (!replica) return database;
  const wanted = writtenUpTo(getHeader);
  if (wanted === null) return replica;
  try {
    const replayed = parseLsn(await replayedLsn(replica.db));
    return replayed !== null && replayed >= wanted ? replica : database;
  } catch {
    return database;
  }
}

/**
 * The primary's WAL position now: every write committed so far is at or before it. The insert
 * position, not the write position: with asynchronous commit a commit record can still sit in the
 * WAL buffers, ahead of what pg_current_wal_lsn() reports.
 */
export async function currentWriteLsn(database: Database): Promise<string> {
  return currentWalLsn(database.db);
}

export function lsnCookie(lsn: string): string {
  // Five minutes is far longer than any replica lag worth serving from.
  return `${LSN_COOKIE}=${encodeURIComponent(lsn)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=300`;
}
