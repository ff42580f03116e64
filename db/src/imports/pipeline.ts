// The one import pipeline every dataset goes through:
//   1. inspect: SHA-256 and (for a CSV) the encoding, in one pass over the bytes;
//   2. validate: stream the rows, parse each cell by its column, run the dataset's checks and the
//      duplicate check; nothing is written; all errors are counted, the first 1,000 kept;
//   3. compare (dry run) or apply: stream the rows again in batches of 10,000; a dry run counts
//      new / changed / unchanged rows against the table; an apply writes each batch in one
//      statement over `unnest(…)` that inserts the new rows, updates the rows that differ and
//      records the old values of the rows it changes and the keys it inserts, all in one
//      transaction, then runs the dataset's own follow-up (the ledger's history), refreshes the
//      rollup and moves the figures version (or, for the ledger, the data version).
import { sql } from 'drizzle-orm';
import { queryRows } from '../bulk.ts';
import type { Database } from '../client.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { datasetSpec, ImportUsageError } from './datasets.ts';
import { type FileFacts, inspectFile } from './read.ts';
import { type ImportResult, recordImport } from './record.ts';
import { validRowBatches } from './rows.ts';
import type { DatasetSpec } from './spec.ts';
import { type Validation, validate } from './validate.ts';
import { applyBatch, changeExamples, compareBatch, refreshAfterChange } from './write.ts';

export interface ImportOptions {
  dataset: string;
  path: string;
  dryRun?: boolean;
  /** Who imports: "cli:<os user>" or "user:<username>". */
  who: string;
  log?: (line: string) => void;
  /** Rows per written batch (default 10,000; tests make it small to see a failure in a later batch). */
  batchSize?: number;
  /**
   * The importer's region (a 2-, 4- or 6-digit code), for a supervisor: every row must lie inside
   * it, and only datasets that say where a row lies (`regionOf`) can be imported this way.
   */
  regionScope?: string | null;
}

/** Checks a file and, unless a dry run, applies it in one transaction. */
export async function importFile(database: Database, options: ImportOptions): Promise<ImportResult> {
  const spec = datasetSpec(options.dataset);
  const regionScope = options.regionScope ?? null;
  if (regionScope != null && !spec.regionOf)
    throw new ImportUsageError(`${spec.name} cannot be imported for one region only`);
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  const facts = await inspectFile(options.path);
  const t1 = performance.now();
  log(
    `${facts.name}: ${facts.format}${facts.encoding ? ` (${facts.encoding})` : ''}, ${facts.bytes} bytes, sha256 ${facts.sha256}`,
  );
  const v = await validate(database.db, spec, facts, regionScope);
  const t2 = performance.now();
  log(
    `checked ${v.rows} rows in ${((t2 - t1) / 1000).toFixed(1)} s: ${v.errorCount} errors in ${v.invalidRows} rows`,
  );
  const since = (t: number) => (performance.now() - t) / 1000;
  const result: ImportResult = {
    importId: null,
    dataset: spec.name,
    file: facts.name,
    sha256: facts.sha256,
    format: facts.format,
    encoding: facts.encoding,
    dryRun: !!options.dryRun,
    result: options.dryRun ? 'checked' : v.errorCount ? 'rejected' : 'applied',
    rows: v.rows,
    newRows: 0,
    changedRows: 0,
    unchangedRows: 0,
    invalidRows: v.invalidRows,
    errorCount: v.errorCount,
    errors: v.errors,
    examples: [],
    seconds: { inspect: (t1 - t0) / 1000, validate: (t2 - t1) / 1000, write: 0 },
  };
  if (options.dryRun) {
    if (!v.headerFound || (v.errorCount && v.rows === 0)) return result;
    let valid = 0;
    for await (const batch of validRowBatches(spec, facts, v.invalid, options.batchSize)) {
      valid += batch.length;
      const { newRows, changed } = await compareBatch(database.db, spec, v.context, batch);
      result.newRows += newRows;
      result.changedRows += changed.length;
      for (const c of changed) changeExamples(spec, c.row, c.old, result.examples);
    }
    result.unchangedRows = valid - result.newRows - result.changedRows;
    result.seconds.write = since(t2);
    return result;
  }
  if (v.errorCount) {
    // Nothing is written but the record that the file was refused.
    result.importId = await recordImport(database.db, result, options.who, null);
    return result;
  }
  const part = {
    kind: 'imported',
    file: facts.name,
    sha256: facts.sha256,
    importedAt: new Date().toISOString(),
    // How many rows the file gave (e.g. counties: a province's file does not speak for the others).
    rows: v.rows,
  };
  try {
    await applyAll(database, spec, facts, v, result, options, part);
  } catch (error) {
    // The transaction rolled back: nothing was written but the record that the apply failed.
    Object.assign(result, { result: 'failed', newRows: 0, changedRows: 0, unchangedRows: 0 });
    result.importId = await recordImport(database.db, result, options.who, null);
    throw error;
  }
  result.seconds.write = since(t2);
  return result;
}

async function applyAll(
  database: Database,
  spec: DatasetSpec<never>,
  facts: FileFacts,
  v: Validation,
  result: ImportResult,
  options: ImportOptions,
  part: Record<string, string | number>,
): Promise<void> {
  const log = options.log ?? (() => {});
  await database.db.transaction(async (tx) => {
    // One import at a time: the dataset row is the lock (it also carries the versions).
    const [current] = await queryRows<{ part: unknown }>(
      tx,
      sql`SELECT details->'parts'->${spec.part} AS part FROM dataset WHERE id = 'current' FOR UPDATE`,
    );
    const previous = typeof current?.part === 'string' ? JSON.parse(current.part) : (current?.part ?? null);
    const importId = await recordImport(tx, result, options.who, previous);
    result.importId = importId;
    const writeStarted = performance.now();
    // Each batch looks its keys up in the table. The planner's figures for a table an import is
    // filling are those of before (often empty), so it hashed the whole table for every batch —
    // a cost that grows with each batch; 10,000 lookups by the key's index stay flat.
    await tx.execute(sql`SET LOCAL enable_hashjoin = off`);
    await tx.execute(sql`SET LOCAL enable_mergejoin = off`);
    let read = 0;
    let sqlSeconds = 0;
    for await (const batch of validRowBatches(spec, facts, v.invalid, options.batchSize)) {
      const t = performance.now();
      const counts = await applyBatch(tx, spec, v.context, importId, batch);
      sqlSeconds += (performance.now() - t) / 1000;
      result.newRows += counts.newRows;
      result.changedRows += counts.changedRows;
      if (Math.floor((read + batch.length) / 200_000) > Math.floor(read / 200_000))
        log(`  ${read + batch.length} rows applied (${result.newRows} new, ${result.changedRows} changed)…`);
      read += batch.length;
    }
    result.unchangedRows = v.rows - result.newRows - result.changedRows;
    await tx.execute(sql`UPDATE imports SET new_rows = ${result.newRows}, changed_rows = ${result.changedRows},
      unchanged_rows = ${result.unchangedRows} WHERE id = ${importId}`);
    const sameFile = (previous as { sha256?: string } | null)?.sha256 === facts.sha256;
    if (result.newRows + result.changedRows === 0 && sameFile) return; // a re-import changes nothing
    await spec.afterApply?.(tx, importId, options.who);
    await tx.execute(
      sql`UPDATE dataset SET details = jsonb_set(details, '{parts}',
        coalesce(details->'parts', '{}'::jsonb) || jsonb_build_object(${spec.part}::text, ${JSON.stringify(part)}::jsonb))
        WHERE id = 'current'`,
    );
    // The part now names this file: an answer that shows it (dataset.parts) must not be kept as it
    // was, even when no row changed (refreshAfterChange moves the versions only for changed rows).
    if (result.newRows + result.changedRows === 0) await bumpDataVersion(tx);
    await tx.execute(sql`RESET enable_hashjoin`);
    await tx.execute(sql`RESET enable_mergejoin`);
    const rollupStarted = performance.now();
    await refreshAfterChange(tx, spec, result.newRows + result.changedRows > 0, log);
    log(
      `  rows written in ${((rollupStarted - writeStarted) / 1000).toFixed(1)} s (${sqlSeconds.toFixed(1)} s in SQL), rollup in ${((performance.now() - rollupStarted) / 1000).toFixed(1)} s`,
    );
  });
}
