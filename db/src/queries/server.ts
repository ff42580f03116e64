// The statements the server runs about the database itself rather than the domain: readiness,
// replication positions for read-your-writes, and the checks at start.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';

/** Readiness: one round trip that fails when the database is away. */
export async function ping(db: Executor): Promise<void> {
  await db.execute(sql`SELECT 1`);
}

/** How far a replica has replayed the primary's log ("16/B374D848"), null when it is not a replica. */
export async function replayedLsn(db: Executor): Promise<string | null> {
  const [row] = await queryRows<{ lsn: string | null }>(
    db,
    sql`SELECT pg_last_wal_replay_lsn()::text AS lsn`,
  );
  return row?.lsn ?? null;
}

/** The primary's current log position: a write is on a replica once the replica has replayed it. */
export async function currentWalLsn(db: Executor): Promise<string> {
  const [row] = await queryRows<{ lsn: string }>(db, sql`SELECT pg_current_wal_insert_lsn()::text AS lsn`);
  return row!.lsn;
}

/** Whether any data has been loaded (the dataset row exists). */
export async function hasDataset(db: Executor): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM dataset`);
  return (row?.n ?? 0) > 0;
}

/** The admins who are not disabled, with their password hashes (for the start-up check). */
export function enabledAdmins(db: Executor): Promise<Array<{ username: string; passwordHash: string }>> {
  return queryRows(
    db,
    sql`SELECT username, password_hash AS "passwordHash" FROM users WHERE role = 'admin' AND NOT disabled`,
  );
}
