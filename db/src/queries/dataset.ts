import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';

export interface DatasetInfo {
  label: string;
  kind: 'demo' | 'imported';
  details: Record<string, unknown>;
  dataVersion: number;
  /** Moves only when what the base map shows changes (not with supervision writes). */
  figuresVersion: number;
  loadedAt: string;
  /**
   * The monitored households are still being loaded (the second stage of a first start): monitoring
   * reads, writes and imports answer "still loading" until they land.
   */
  householdsPending: boolean;
}

/** What data is loaded (null on an empty database). */
export async function findDataset(db: Executor): Promise<DatasetInfo | null> {
  const [row] = await queryRows<{
    label: string;
    kind: 'demo' | 'imported';
    details: Record<string, unknown>;
    data_version: string | number;
    figures_version: string | number;
    loaded_at: Date | string;
    households_pending: boolean;
  }>(
    db,
    sql`SELECT label, kind, details, data_version, figures_version, loaded_at,
          households_pending IS NOT NULL AS households_pending
        FROM dataset WHERE id = 'current'`,
  );
  if (!row) return null;
  return {
    label: row.label,
    kind: row.kind,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
    dataVersion: Number(row.data_version),
    figuresVersion: Number(row.figures_version),
    loadedAt: new Date(row.loaded_at).toISOString(),
    householdsPending: row.households_pending,
  };
}

/**
 * Locks the dataset row for the rest of the transaction: the first statement of every write, so
 * that all writers (imports, ledger writes) take their locks in one order — the dataset, then
 * rows — and never wait for each other crosswise (a deadlock). They all update the row anyway.
 */
export async function lockDataset(db: Executor): Promise<void> {
  await db.execute(sql`SELECT 1 FROM dataset WHERE id = 'current' FOR UPDATE`);
}

/** Bumps the data version (every write calls this; supervision writes call only this). */
export async function bumpDataVersion(db: Executor): Promise<void> {
  await db.execute(sql`UPDATE dataset SET data_version = data_version + 1 WHERE id = 'current'`);
}

/**
 * Bumps the data version and the figures version: for writes that change what the base map shows
 * (figures, designations, boundaries, villages, sites). Supervision writes leave the figures
 * version, so the base map's cut tiles stay valid while supervisors work.
 */
export async function bumpFiguresVersion(db: Executor): Promise<void> {
  await db.execute(
    sql`UPDATE dataset SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = 'current'`,
  );
}

/** The two versions a cached answer or tile depends on ({0, 0} on an empty database). */
export interface DatasetVersions {
  dataVersion: number;
  figuresVersion: number;
}

/** Reads the versions (one primary-key read). */
export async function readDatasetVersions(db: Executor): Promise<DatasetVersions> {
  const [row] = await queryRows<{ data_version: string | number; figures_version: string | number }>(
    db,
    sql`SELECT data_version, figures_version FROM dataset WHERE id = 'current'`,
  );
  return { dataVersion: Number(row?.data_version ?? 0), figuresVersion: Number(row?.figures_version ?? 0) };
}
