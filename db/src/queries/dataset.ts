import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';

export interface DatasetInfo {
  label: string;
  kind: 'demo' | 'imported';
  details: Record<string, unknown>;
  dataVersion: number;
  loadedAt: string;
}

/** What data is loaded (null on an empty database). */
export async function findDataset(db: Executor): Promise<DatasetInfo | null> {
  const [row] = await queryRows<{
    label: string;
    kind: 'demo' | 'imported';
    details: Record<string, unknown>;
    data_version: string | number;
    loaded_at: Date | string;
  }>(db, sql`SELECT label, kind, details, data_version, loaded_at FROM dataset WHERE id = 'current'`);
  if (!row) return null;
  return {
    label: row.label,
    kind: row.kind,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
    dataVersion: Number(row.data_version),
    loadedAt: new Date(row.loaded_at).toISOString(),
  };
}

/** Bumps the data version (every write that changes what the map shows calls this). */
export async function bumpDataVersion(db: Executor): Promise<void> {
  await db.execute(sql`UPDATE dataset SET data_version = data_version + 1 WHERE id = 'current'`);
}
