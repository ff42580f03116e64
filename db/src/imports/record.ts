// What an import reports (its result, its errors, examples of its changes) and its row in the
// imports table: written once per import, and read back as the import history.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import type { ImportError } from './spec.ts';

export interface ChangeExample {
  /** The row's natural key, e.g. "520102001001" or "520102001001 2021". */
  key: string;
  sheet: string;
  row: number;
  column: string;
  old: unknown;
  new: unknown;
}

export interface ImportResult {
  /** The imports row (null for a dry run, which writes nothing). */
  importId: number | null;
  dataset: string;
  file: string;
  sha256: string;
  format: string;
  encoding: string | null;
  dryRun: boolean;
  /**
   * applied; rejected (the file has errors, nothing written); checked (a dry run); failed (the
   * database refused the apply, which rolled back: recorded, then thrown).
   */
  result: 'applied' | 'rejected' | 'checked' | 'failed';
  rows: number;
  newRows: number;
  changedRows: number;
  unchangedRows: number;
  invalidRows: number;
  errorCount: number;
  /** The first 1,000 errors, in file order. */
  errors: ImportError[];
  /** Examples of changes (old → new), from a dry run. */
  examples: ChangeExample[];
  /** Seconds spent reading the bytes (hash, encoding), validating, and comparing or writing. */
  seconds: { inspect: number; validate: number; write: number };
}

export async function recordImport(
  db: Executor,
  r: Omit<ImportResult, 'importId' | 'errors' | 'examples' | 'dryRun'>,
  who: string,
  previousPart: unknown,
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`INSERT INTO imports (dataset, file_name, sha256, format, encoding, who, result, rows, new_rows,
        changed_rows, unchanged_rows, invalid_rows, errors, previous_part)
      VALUES (${r.dataset}, ${r.file}, ${r.sha256}, ${r.format}, ${r.encoding}, ${who}, ${r.result}, ${r.rows},
        ${r.newRows}, ${r.changedRows}, ${r.unchangedRows}, ${r.invalidRows}, ${r.errorCount},
        ${previousPart == null ? null : JSON.stringify(previousPart)}::jsonb)
      RETURNING id`,
  );
  return Number(row!.id);
}

export interface ImportRecord {
  id: number;
  dataset: string;
  fileName: string;
  sha256: string;
  format: string;
  encoding: string | null;
  who: string;
  at: string;
  result: string;
  rows: number;
  newRows: number;
  changedRows: number;
  unchangedRows: number;
  invalidRows: number;
  errors: number;
  rolledBackAt: string | null;
  rolledBackBy: string | null;
}

/** The import history, newest first. */
export async function listImports(
  db: Executor,
  /** `who`: only this importer's ("user:<name>"), for a supervisor's own history. */
  options: { dataset?: string | null; limit?: number; who?: string | null } = {},
): Promise<ImportRecord[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT id, dataset, file_name, sha256, format, encoding, who, at, result, rows, new_rows, changed_rows,
        unchanged_rows, invalid_rows, errors, rolled_back_at, rolled_back_by
      FROM imports WHERE true ${options.dataset ? sql`AND dataset = ${options.dataset}` : sql``}
        ${options.who ? sql`AND who = ${options.who}` : sql``}
      ORDER BY id DESC LIMIT ${options.limit ?? 100}`,
  );
  const time = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
  return rows.map((r) => ({
    id: Number(r.id),
    dataset: r.dataset as string,
    fileName: r.file_name as string,
    sha256: r.sha256 as string,
    format: r.format as string,
    encoding: (r.encoding as string | null) ?? null,
    who: r.who as string,
    at: time(r.at)!,
    result: r.result as string,
    rows: Number(r.rows),
    newRows: Number(r.new_rows),
    changedRows: Number(r.changed_rows),
    unchangedRows: Number(r.unchanged_rows),
    invalidRows: Number(r.invalid_rows),
    errors: Number(r.errors),
    rolledBackAt: time(r.rolled_back_at),
    rolledBackBy: (r.rolled_back_by as string | null) ?? null,
  }));
}
