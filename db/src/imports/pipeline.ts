// The one import pipeline every dataset goes through:
//   1. inspect: SHA-256 and (for a CSV) the encoding, in one pass over the bytes;
//   2. in one transaction, which an apply opens by locking the dataset row: load what the checks
//      need (`prepare`), then read the file once, parsing each cell by its column and running the
//      dataset's checks and the duplicate check, and stage the valid rows in a temporary table as
//      they go (stage.ts); all errors are counted, the first 1,000 kept;
//   3. a dry run compares the staged rows with the table (new / changed / unchanged, examples). An
//      apply writes them lot by lot while the rest of the file is checked (write.ts: insert the new
//      rows, update those that differ, record the old values and the added keys); a file found to
//      have an error rolls the transaction back, and only the record that it was refused is kept.
//      After the last lot come the dataset's own follow-up (the ledger's history), the rollup and
//      the figures version (or, for the ledger, the data version).
// The checks and the write see the same database: nothing can change what was checked between
// them (an apply holds the lock every import and rollback takes).
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import type { Database } from '../client.ts';
import { assertHouseholdsLoaded } from '../monitoring/pending.ts';
import { bumpDataVersion, findDataset } from '../queries/dataset.ts';
import { appendAudit, importAuditWho } from '../supervision/audit.ts';
import { isDemoDataOnly } from '../supervision/demo.ts';
import { revokeDemoPasswordSessions } from '../supervision/sessions.ts';
import { datasetSpec, ImportUsageError } from './datasets.ts';
import { type FileFacts, FileFormatError, inspectFile } from './read.ts';
import { type ImportResult, recordImport } from './record.ts';
import type { DatasetSpec } from './spec.ts';
import { createStage, type DirectCopy } from './stage.ts';
import { emptyValidation, MAX_LISTED_ERRORS, type Validation, validate } from './validate.ts';
import {
  applyStaged,
  canCopyStraightIn,
  changeExamples,
  compareStaged,
  plan,
  recordInsertedKeyValues,
  refreshAfterChange,
} from './write.ts';

export interface ImportOptions {
  dataset: string;
  path: string;
  dryRun?: boolean;
  /** Who imports: "cli:<os user>" or "user:<username>". */
  who: string;
  /** The importing user's number and address, for the audit log (absent for the command line). */
  userId?: number | null;
  clientAddress?: string | null;
  log?: (line: string) => void;
  /** Rows checked and staged together (default 2,000; tests make it small to see several batches). */
  batchSize?: number;
  /** Rows written per lot at most (default 250,000; tests make it small to see several lots). */
  lotRows?: number;
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
  // The demo households of a first start are still landing: a file checked or applied against
  // half-loaded tables would be judged against the wrong data (monitoring/pending.ts).
  await assertHouseholdsLoaded(database.db);
  const log = options.log ?? (() => {});
  const dryRun = !!options.dryRun;
  const t0 = performance.now();
  const facts = await inspectFile(options.path);
  const t1 = performance.now();
  log(
    `${facts.name}: ${facts.format}${facts.encoding ? ` (${facts.encoding})` : ''}, ${facts.bytes} bytes, sha256 ${facts.sha256}`,
  );
  const result: ImportResult = {
    importId: null,
    dataset: spec.name,
    file: facts.name,
    sha256: facts.sha256,
    format: facts.format,
    encoding: facts.encoding,
    dryRun,
    result: dryRun ? 'checked' : 'applied',
    rows: 0,
    newRows: 0,
    changedRows: 0,
    unchangedRows: 0,
    invalidRows: 0,
    errorCount: 0,
    errors: [],
    examples: [],
    seconds: { inspect: (t1 - t0) / 1000, validate: 0, write: 0 },
  };
  // What the checks found, filled as the file is read: also what a failure midway records.
  const v = emptyValidation(facts);
  try {
    await database.db.transaction(async (tx) => {
      // One apply at a time: the dataset row is the lock (it also carries the versions). A dry run
      // writes nothing and takes no lock.
      const previous = dryRun ? null : await lockedPart(tx, spec);
      // The pool plans every statement with its parameters (client.ts), and that setting reaches
      // the foreign-key checks' own cached plans too: re-planned for each of two million rows, they
      // doubled the national insert (37 s against 18). An import's statements plan well generically.
      // A lot is sorted by its key before it is written: in memory, not in files (some tens of MB).
      if (database.backend === 'postgres') {
        await tx.execute(sql`SET LOCAL plan_cache_mode = auto`);
        await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
      }
      const context = await spec.prepare(tx, { regionScope, who: options.who });
      const p = plan(spec, context);
      // An apply writes the staged rows lot by lot while the file is still being checked (the
      // writes are the database's work, the checks Node's: they overlap); a file found to have an
      // error later rolls them back with the transaction.
      const importId = dryRun ? null : await recordImport(tx, result, options.who, previous);
      result.importId = importId;
      const written = { newRows: 0, changedRows: 0 };
      // A table the import starts to fill has the figures of an empty one, and the planner
      // believes them for every later lot (it read a whole other index for the key's range,
      // 0.1 → 0.6 s per lot, and the rollup took 5 s instead of 1.3): once the first lot is in,
      // the table gets figures, which the planner then scales with its size.
      let outgrowsFigures = !dryRun && (await tableIsNearlyEmpty(tx, spec.table));
      const afterLot = async (counts: { newRows: number; changedRows: number }) => {
        written.newRows += counts.newRows;
        written.changedRows += counts.changedRows;
        if (outgrowsFigures && written.newRows > 0) {
          outgrowsFigures = false;
          await tx.execute(sql`ANALYZE ${sql.identifier(spec.table)}`);
        }
      };
      let copiedStraightIn = 0;
      const writeLot = async () => afterLot(await applyStaged(tx, spec, context, importId!));
      const direct: DirectCopy | undefined =
        !dryRun && (await canCopyStraightIn(tx, spec, p))
          ? {
              table: spec.table,
              key: spec.key,
              written: async (rows, keysJson) => {
                await recordInsertedKeyValues(tx, importId!, keysJson);
                copiedStraightIn += rows;
                await afterLot({ newRows: rows, changedRows: 0 });
              },
            }
          : undefined;
      const stage = await createStage(tx, database.backend, p.stageColumns, {
        sendInBackground: !spec.checkBatch,
        lots: dryRun ? undefined : { rows: options.lotRows ?? LOT_ROWS, write: writeLot, direct },
      });
      let staged: number;
      try {
        await validate(
          tx,
          spec,
          facts,
          { regionScope, context, stage, stageAfterErrors: dryRun, batchSize: options.batchSize },
          v,
        );
        staged = await stage.finish();
      } catch (error) {
        // Nothing of the import may still be on its way to the connection when it rolls back.
        await stage.abandon();
        throw error;
      }
      const t2 = performance.now();
      tally(result, v);
      result.seconds.validate = (t2 - t1) / 1000;
      log(
        `checked ${v.rows} rows in ${result.seconds.validate.toFixed(1)} s: ${v.errorCount} errors in ${v.invalidRows} rows`,
      );
      if (dryRun) {
        if (staged > 0) await compare(tx, spec, context, v, staged, result);
      } else if (v.errorCount) {
        throw new RejectedFile();
      } else {
        await writeLot();
        if (copiedStraightIn) log(`  ${copiedStraightIn} new rows copied straight into ${spec.table}`);
        await finishApply(tx, spec, facts, result, options, previous, written);
      }
      result.seconds.write = (performance.now() - t2) / 1000;
    });
  } catch (error) {
    // A file that cannot be read, or a dry run, is only thrown.
    if (dryRun || error instanceof FileFormatError || error instanceof ImportUsageError) throw error;
    tally(result, v);
    Object.assign(result, { newRows: 0, changedRows: 0, unchangedRows: 0 });
    if (error instanceof RejectedFile || v.errorCount > 0) {
      // The file has errors (a lot written before they were found went with the transaction):
      // nothing is written but the record that it was refused.
      result.result = 'rejected';
      result.importId = await recordImport(database.db, result, options.who, null);
      return result;
    }
    // An apply that failed on the way (the lock, a check's query, the write) rolled back: nothing
    // was written but the record that it failed.
    result.result = 'failed';
    result.importId = await recordImport(database.db, result, options.who, null);
    throw error;
  }
  // A dry run of household data shows stored rows (the examples of changes): a read of household
  // rows, audited as every other is. (An apply is in the log as import.applied.)
  if (dryRun && spec.changes === 'monitoring')
    await appendAudit(database.db, importAuditWho(options), {
      action: 'households.read',
      targetKind: 'import',
      regionCode: regionScope,
      note: `import dry run of ${spec.name} from ${facts.name}: ${result.rows} rows compared, ${result.examples.length} change example(s) shown`,
    });
  return result;
}

/**
 * Copies what the checks found into the result: the errors in file order (checkBatch's arrive
 * after later rows'), the first 1,000.
 */
function tally(result: ImportResult, v: Validation): void {
  v.errors.sort((a, b) => a.row - b.row);
  v.errors.length = Math.min(v.errors.length, MAX_LISTED_ERRORS);
  Object.assign(result, {
    rows: v.rows,
    invalidRows: v.invalidRows,
    errorCount: v.errorCount,
    errors: v.errors,
  });
}

/** Rows written at a time by an apply, while the file is still being checked. */
const LOT_ROWS = 250_000;

/** Thrown to roll back an apply whose file turned out to have errors. */
class RejectedFile extends Error {}

/** Whether the planner's figures for `table` say it holds (nearly) nothing. */
async function tableIsNearlyEmpty(tx: Executor, table: string): Promise<boolean> {
  const [figures] = await queryRows<{ rows: number }>(
    tx,
    sql`SELECT reltuples AS rows FROM pg_class WHERE oid = to_regclass(${table})`,
  );
  return figures != null && Number(figures.rows) < 1000;
}

/** Locks the dataset row (every apply and rollback does) and returns this dataset's part of it. */
async function lockedPart(tx: Executor, spec: DatasetSpec<never>): Promise<unknown> {
  const [current] = await queryRows<{ part: unknown }>(
    tx,
    sql`SELECT details->'parts'->${spec.part} AS part FROM dataset WHERE id = 'current' FOR UPDATE`,
  );
  return typeof current?.part === 'string' ? JSON.parse(current.part) : (current?.part ?? null);
}

/** A dry run's counts and examples: what the file's valid rows would change. */
async function compare(
  tx: Executor,
  spec: DatasetSpec<never>,
  context: unknown,
  v: Validation,
  staged: number,
  result: ImportResult,
): Promise<void> {
  const { newRows, changedRows, changed } = await compareStaged(tx, spec, context);
  result.newRows = newRows;
  result.changedRows = changedRows;
  result.unchangedRows = staged - newRows - changedRows;
  for (const c of changed) changeExamples(spec, c, v.sheet, result.examples);
}

async function finishApply(
  tx: Executor,
  spec: DatasetSpec<never>,
  facts: FileFacts,
  result: ImportResult,
  options: ImportOptions,
  previous: unknown,
  counts: { newRows: number; changedRows: number },
): Promise<void> {
  const log = options.log ?? (() => {});
  const importId = result.importId!;
  result.newRows = counts.newRows;
  result.changedRows = counts.changedRows;
  result.unchangedRows = result.rows - counts.newRows - counts.changedRows;
  const changed = counts.newRows + counts.changedRows;
  await tx.execute(sql`UPDATE imports SET rows = ${result.rows}, new_rows = ${result.newRows},
      changed_rows = ${result.changedRows}, unchanged_rows = ${result.unchangedRows} WHERE id = ${importId}`);
  const sameFile = (previous as { sha256?: string } | null)?.sha256 === facts.sha256;
  if (changed === 0 && sameFile) return; // a re-import changes nothing
  await spec.afterApply?.(tx, importId, options.who);
  await appendAudit(tx, importAuditWho(options), {
    action: 'import.applied',
    targetKind: 'import',
    targetId: importId,
    regionCode: options.regionScope ?? null,
    note: `${spec.name} from ${facts.name} (sha256 ${facts.sha256.slice(0, 12)}…): ${result.rows} rows, ${counts.newRows} new, ${counts.changedRows} changed`,
  });
  const part = {
    kind: 'imported',
    file: facts.name,
    sha256: facts.sha256,
    importedAt: new Date().toISOString(),
    // How many rows the file gave (e.g. counties: a province's file does not speak for the others).
    rows: result.rows,
  };
  const firstRealPart = isDemoDataOnly(await findDataset(tx));
  await tx.execute(
    sql`UPDATE dataset SET details = jsonb_set(details, '{parts}',
      coalesce(details->'parts', '{}'::jsonb) || jsonb_build_object(${spec.part}::text, ${JSON.stringify(part)}::jsonb))
      WHERE id = 'current'`,
  );
  // Real data is in: the published demo password opens no login from now on (demo.ts), and the
  // demo users' sessions end with this transaction while they still have that password. Only for
  // the first real part: after it, no login with that password gets a session.
  if (firstRealPart) {
    const ended = await revokeDemoPasswordSessions(tx);
    if (ended > 0)
      log(
        `  ${ended} session(s) of demo users still on the demo password ended: it opens no login once real data is imported`,
      );
  }
  // The part now names this file: an answer that shows it (dataset.parts) must not be kept as it
  // was, even when no row changed (refreshAfterChange moves the versions only for changed rows).
  if (changed === 0) await bumpDataVersion(tx);
  const rollupStarted = performance.now();
  await refreshAfterChange(tx, spec, changed > 0, log);
  log(`  rollup refreshed in ${((performance.now() - rollupStarted) / 1000).toFixed(1)} s`);
}
