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
// Rollback undoes the most recent applied import of a dataset from what it recorded.
import { type SQL, sql } from 'drizzle-orm';
import { arrayLiteral, type Executor, queryRows, type SqlArrayType } from '../bulk.ts';
import type { Database } from '../client.ts';
import { bumpDataVersion, bumpFiguresVersion, lockDataset } from '../queries/dataset.ts';
import { refreshRegionIndicators } from '../queries/rollup.ts';
import { countyDesignationsDataset } from './county-designations.ts';
import { listingsDataset } from './listings.ts';
import { problemsDataset } from './problems.ts';
import { type FileFacts, inspectFile, readRows, type SheetRow } from './read.ts';
import { relocationOriginsDataset } from './relocation-origins.ts';
import { relocationSiteYearsDataset } from './relocation-site-years.ts';
import { relocationSitesDataset } from './relocation-sites.ts';
import {
  type ColumnSpec,
  type DatasetSpec,
  headerIndex,
  type ImportError,
  parseCell,
  type Row,
} from './spec.ts';
import { villageYearsDataset } from './village-years.ts';
import { villagesDataset } from './villages.ts';

/**
 * Every importable dataset, by the name the CLI and the API use, in the order to import them: a
 * village needs its county, a site's figures and origins need the site (and the villages).
 */
export const DATASETS: Record<string, DatasetSpec<never>> = {
  'county-designations': countyDesignationsDataset as DatasetSpec<never>,
  villages: villagesDataset as DatasetSpec<never>,
  'village-years': villageYearsDataset as DatasetSpec<never>,
  'relocation-sites': relocationSitesDataset as DatasetSpec<never>,
  'relocation-site-years': relocationSiteYearsDataset as DatasetSpec<never>,
  'relocation-origins': relocationOriginsDataset as DatasetSpec<never>,
  listings: listingsDataset as DatasetSpec<never>,
  problems: problemsDataset as DatasetSpec<never>,
};

export const MAX_LISTED_ERRORS = 1000;
/** Checking stops after this many errors (a wrong file, not a file with mistakes). */
export const MAX_COUNTED_ERRORS = 100_000;
const BATCH = 10_000;
const MAX_EXAMPLES = 20;

export class ImportUsageError extends Error {}

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

export function datasetSpec(name: string): DatasetSpec<never> {
  // Own keys only: "constructor" or "__proto__" are not datasets.
  const spec = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
  if (!spec)
    throw new ImportUsageError(`unknown dataset "${name}"; one of: ${Object.keys(DATASETS).join(', ')}`);
  return spec;
}

interface Header {
  sheet: string;
  row: number;
  /** Column spec per cell index (undefined: an unknown column, already reported). */
  columns: Array<ColumnSpec | undefined>;
  /** Header text per key, as written in the file. */
  names: Map<string, string>;
}

interface ParsedRow {
  sheet: string;
  row: number;
  values: Row;
  errors: ImportError[];
}

/** The header: the first of the first ten rows naming at least one known column. */
function findHeader(spec: DatasetSpec<never>, r: SheetRow, errors: (e: ImportError) => void): Header | null {
  const lookup = headerIndex(spec.columns);
  const cells = r.cells.map((c) => (c == null ? '' : String(c).trim()));
  if (!cells.some((c) => c && lookup(c))) return null;
  const columns: Header['columns'] = [];
  const names = new Map<string, string>();
  cells.forEach((text, i) => {
    if (!text) return;
    const column = lookup(text);
    if (!column) {
      errors({
        sheet: r.sheet,
        row: r.row,
        column: text,
        zh: `未知的列“${text}”（第 ${columnLetter(i)} 列）`,
        en: `unknown column "${text}" (column ${columnLetter(i)})`,
      });
      return;
    }
    if (names.has(column.key)) {
      errors({
        sheet: r.sheet,
        row: r.row,
        column: text,
        zh: `列“${column.zh}”重复（第 ${columnLetter(i)} 列）`,
        en: `column "${column.key}" appears twice (column ${columnLetter(i)})`,
      });
      return;
    }
    columns[i] = column;
    names.set(column.key, text);
  });
  for (const c of spec.columns) {
    if (c.required && !names.has(c.key))
      errors({
        sheet: r.sheet,
        row: r.row,
        column: c.zh,
        zh: `缺少必填列“${c.zh}”（${c.key}）`,
        en: `required column "${c.key}" (${c.zh}) is missing`,
      });
  }
  return { sheet: r.sheet, row: r.row, columns, names };
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function parseRow(spec: DatasetSpec<never>, header: Header, r: SheetRow): ParsedRow {
  const parsed: ParsedRow = { sheet: r.sheet, row: r.row, values: {}, errors: [] };
  const error = (key: string | null, zh: string, en: string) => {
    const name = key ? (header.names.get(key) ?? spec.columns.find((c) => c.key === key)?.zh ?? key) : null;
    parsed.errors.push({ sheet: r.sheet, row: r.row, column: name, zh, en });
  };
  const byKey = new Map<string, unknown>();
  header.columns.forEach((column, i) => {
    if (column) byKey.set(column.key, r.cells[i]);
  });
  for (const column of spec.columns) {
    if (!header.names.has(column.key)) {
      if (!column.required) parsed.values[column.key] = column.type === 'bool' ? false : null;
      continue;
    }
    const value = parseCell(column, byKey.get(column.key), (zh, en) =>
      error(column.key, `${column.zh}${zh}`, `${column.key} ${en}`),
    );
    if (value !== undefined) parsed.values[column.key] = value;
  }
  return parsed;
}

/** The row's key as the file names it (county + site name + year for a key holding a site's id). */
function keyOf(spec: DatasetSpec<never>, values: Row): string | null {
  // Once per row: no allocation beyond the parts (nullableKey holds one or two names at most).
  const nullable = spec.nullableKey;
  const parts = (spec.fileKey ?? spec.key).map((k) => values[k] ?? (nullable?.includes(k) ? '' : null));
  return parts.some((p) => p == null) ? null : parts.join(' ').trim();
}

interface Validation {
  facts: FileFacts;
  rows: number;
  invalidRows: number;
  errorCount: number;
  errors: ImportError[];
  /** Row numbers of invalid rows (skipped when comparing). */
  invalid: Set<number>;
  headerFound: boolean;
  /** What the dataset's `prepare` loaded: its derived columns read it when writing. */
  context: unknown;
}

/** Pass 2: streams the file's valid rows in batches. */
async function* validRowBatches(
  spec: DatasetSpec<never>,
  facts: FileFacts,
  invalid: ReadonlySet<number>,
  batchSize = BATCH,
): AsyncGenerator<ParsedRow[]> {
  let header: Header | null = null;
  let batch: ParsedRow[] = [];
  for await (const rows of readRows(facts)) {
    for (const r of rows) {
      if (!header) {
        header = findHeader(spec, r, () => {});
        continue;
      }
      if (invalid.has(r.row)) continue;
      batch.push(parseRow(spec, header, r));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

async function validate(
  db: Executor,
  spec: DatasetSpec<never>,
  facts: FileFacts,
  regionScope: string | null,
): Promise<Validation> {
  const context = await spec.prepare(db, { regionScope });
  const v: Validation = {
    facts,
    rows: 0,
    invalidRows: 0,
    errorCount: 0,
    errors: [],
    invalid: new Set(),
    headerFound: false,
    context,
  };
  const push = (e: ImportError) => {
    v.errorCount++;
    if (v.errors.length < MAX_LISTED_ERRORS * 2) v.errors.push(e);
  };
  const fileKey = spec.fileKey ?? spec.key;
  // Keys seen so far, with the row each was first seen in.
  const seen = new Map<string, number>();
  const slots = new Map<string, Int32Array>();
  const seenBefore = (values: Row, key: string, row: number): number | undefined => {
    const k = spec.keySlots;
    const slot = k ? Number(values[k.slot]) - k.min : -1;
    if (!k || slot < 0 || slot >= k.count) {
      const first = seen.get(key);
      if (first === undefined) seen.set(key, row);
      return first;
    }
    const group = String(values[k.group]);
    let rows = slots.get(group);
    if (!rows) {
      rows = new Int32Array(k.count);
      slots.set(group, rows);
    }
    const first = rows[slot]!;
    if (first === 0) rows[slot] = row;
    return first || undefined;
  };
  let header: Header | null = null;
  let scanned = 0;
  let pending: ParsedRow[] = [];
  const settle = (p: ParsedRow) => {
    if (p.errors.length === 0) return;
    v.invalidRows++;
    v.invalid.add(p.row);
    for (const e of p.errors) push(e);
  };
  const flush = async () => {
    if (spec.checkBatch && pending.length) {
      await spec.checkBatch(
        db,
        pending.map((p) => ({
          row: p.values,
          report: {
            error: (key, zh, en) =>
              p.errors.push({
                sheet: p.sheet,
                row: p.row,
                column: key ? (header?.names.get(key) ?? key) : null,
                zh,
                en,
              }),
          },
        })),
        context as never,
      );
    }
    for (const p of pending) settle(p);
    pending = [];
  };
  function checkRow(r: SheetRow, header: Header): void {
    v.rows++;
    const parsed = parseRow(spec, header, r);
    if (parsed.errors.length === 0 && regionScope != null) {
      const region = spec.regionOf?.(parsed.values) ?? '';
      if (!region.startsWith(regionScope))
        parsed.errors.push({
          sheet: r.sheet,
          row: r.row,
          column: null,
          zh: `不在您的管辖范围（${regionScope}）内：${region || '未知地区'}`,
          en: `lies outside your region (${regionScope}): ${region || 'unknown region'}`,
        });
    }
    if (parsed.errors.length === 0) {
      spec.check(parsed.values, context as never, {
        error: (key, zh, en) =>
          parsed.errors.push({
            sheet: r.sheet,
            row: r.row,
            column: key ? (header?.names.get(key) ?? key) : null,
            zh,
            en,
          }),
      });
    }
    const key = keyOf(spec, parsed.values);
    if (key != null) {
      const first = seenBefore(parsed.values, key, r.row);
      if (first !== undefined) {
        parsed.errors.push({
          sheet: r.sheet,
          row: r.row,
          column: header.names.get(fileKey[0]!) ?? fileKey[0]!,
          zh: `与第 ${first} 行重复（${key}）`,
          en: `duplicates row ${first} (${key})`,
        });
      }
    }
    if (parsed.errors.length) settle(parsed);
    else pending.push(parsed);
  }
  let lastSheet = facts.name;
  reading: for await (const rows of readRows(facts)) {
    for (const r of rows) {
      lastSheet = r.sheet;
      if (!header) {
        if (++scanned > 10) break reading;
        header = findHeader(spec, r, push);
        if (header && v.errorCount > 0) break reading; // unknown or missing columns: the rows cannot be read
        continue;
      }
      if (spec.maxRows != null && v.rows >= spec.maxRows) {
        push({
          sheet: r.sheet,
          row: r.row,
          column: null,
          zh: `${spec.zh}一次最多导入 ${spec.maxRows} 行`,
          en: `an import of ${spec.name} holds at most ${spec.maxRows} rows`,
        });
        break reading;
      }
      checkRow(r, header);
      if (pending.length >= BATCH) await flush();
      if (v.errorCount >= MAX_COUNTED_ERRORS) {
        // A file this wrong is the wrong file: stop, rather than count (and remember) every row.
        push({
          sheet: r.sheet,
          row: r.row,
          column: null,
          zh: `错误超过 ${MAX_COUNTED_ERRORS} 个，检查在第 ${r.row} 行停止`,
          en: `more than ${MAX_COUNTED_ERRORS} errors: checking stopped at row ${r.row}`,
        });
        break reading;
      }
    }
  }
  await flush();
  v.headerFound = header !== null;
  if (!header)
    push({
      sheet: lastSheet,
      row: 1,
      column: null,
      zh: `找不到表头：前 10 行中没有一行包含“${spec.columns[0]!.zh}”等列名`,
      en: `no header row: none of the first 10 rows names a column such as "${spec.columns[0]!.zh}" (${spec.columns[0]!.key})`,
    });
  // checkBatch errors arrive after later rows' errors: list them in file order.
  v.errors.sort((a, b) => a.row - b.row);
  v.errors.length = Math.min(v.errors.length, MAX_LISTED_ERRORS);
  return v;
}

/** The table's columns an import writes, and how each is computed from the input. */
function plan(spec: DatasetSpec<never>, context: unknown) {
  const inputs: Array<{ name: string; type: SqlArrayType; get: (row: Row) => unknown }> = [
    ...spec.columns
      .filter((c) => !c.ignored)
      .map((c) => ({ name: c.key, type: c.sqlType, get: (row: Row) => row[c.key] })),
    ...(spec.derived ?? []).map((d) => ({
      name: d.name,
      type: d.type,
      get: (row: Row) => d.get(row, context as never),
    })),
  ];
  const inputOnly = new Set(spec.inputOnly ?? []);
  const columns = [
    ...inputs.filter((i) => !inputOnly.has(i.name)).map((i) => i.name),
    ...Object.keys(spec.computed ?? {}),
  ];
  const values = columns.filter((c) => !spec.key.includes(c));
  const ident = (name: string) => sql.identifier(name);
  const list = (names: readonly string[], prefix?: string) =>
    sql.join(
      names.map((n) => (prefix ? sql`${sql.raw(prefix)}.${ident(n)}` : ident(n))),
      sql`, `,
    );
  /** The batch as rows of the table's columns; `apply` gives new rows their key (spec.newKey). */
  const source = (rows: readonly ParsedRow[], mode: 'compare' | 'apply' = 'compare'): SQL => {
    const args = inputs.map(
      (i) => sql`${arrayLiteral(rows.map((r) => i.get(r.values)))}::${sql.raw(i.type)}[]`,
    );
    const selects = columns.map((c) => {
      const computed = spec.computed?.[c];
      if (computed) return sql`${computed} AS ${ident(c)}`;
      if (mode === 'apply' && spec.newKey && c === spec.key[0])
        return sql`coalesce(u.${ident(c)}, ${spec.newKey}) AS ${ident(c)}`;
      return sql`u.${ident(c)}`;
    });
    return sql`SELECT ${sql.join(selects, sql`, `)} FROM unnest(${sql.join(args, sql`, `)}) AS u(${list(inputs.map((i) => i.name))})`;
  };
  const incoming = (c: string, from: string) => {
    const value = sql`${sql.raw(from)}.${ident(c)}`;
    return spec.update?.[c] ? spec.update[c](value) : value;
  };
  const nullable = new Set(spec.nullableKey ?? []);
  const keyMatch = (a: string, b: string) =>
    sql.join(
      spec.key.map((k) =>
        nullable.has(k)
          ? sql`${sql.raw(a)}.${ident(k)} IS NOT DISTINCT FROM ${sql.raw(b)}.${ident(k)}`
          : sql`${sql.raw(a)}.${ident(k)} = ${sql.raw(b)}.${ident(k)}`,
      ),
      sql` AND `,
    );
  const differs = (from: string) =>
    sql`(${list(values, 't')}) IS DISTINCT FROM (${sql.join(
      values.map((c) => incoming(c, from)),
      sql`, `,
    )})`;
  return { columns, values, list, source, incoming, keyMatch, differs, ident };
}

/** Dry run of one batch: which rows are new, which changed (with their old values). */
async function compareBatch(
  db: Executor,
  spec: DatasetSpec<never>,
  context: unknown,
  rows: readonly ParsedRow[],
): Promise<{ newRows: number; changed: Array<{ row: ParsedRow; old: Record<string, unknown> }> }> {
  const p = plan(spec, context);
  const table = sql.identifier(spec.table);
  const found = await queryRows<{ i: number; is_new: boolean; old: Record<string, unknown> | string | null }>(
    db,
    sql`WITH src AS (SELECT row_number() OVER () AS i, s.* FROM (${p.source(rows)}) s)
      SELECT src.i::int AS i, t.${p.ident(spec.key[0]!)} IS NULL AS is_new,
        CASE WHEN t.${p.ident(spec.key[0]!)} IS NULL THEN NULL ELSE ${spec.oldJson ?? sql`to_jsonb(t)`} END AS old
      FROM src LEFT JOIN ${table} t ON ${p.keyMatch('t', 'src')}
      WHERE t.${p.ident(spec.key[0]!)} IS NULL OR ${p.differs('src')}`,
  );
  let newRows = 0;
  const changed: Array<{ row: ParsedRow; old: Record<string, unknown> }> = [];
  for (const f of found) {
    if (f.is_new) newRows++;
    else
      changed.push({
        row: rows[f.i - 1]!,
        old: typeof f.old === 'string' ? JSON.parse(f.old) : (f.old ?? {}),
      });
  }
  return { newRows, changed };
}

/** Apply of one batch: upserts, and records old values and inserted keys under the import. */
async function applyBatch(
  db: Executor,
  spec: DatasetSpec<never>,
  context: unknown,
  importId: number,
  rows: readonly ParsedRow[],
): Promise<{ newRows: number; changedRows: number }> {
  const p = plan(spec, context);
  const table = sql.identifier(spec.table);
  const set = sql.join(
    [
      ...p.values.map((c) => sql`${p.ident(c)} = ${p.incoming(c, 'c')}`),
      ...(spec.versionColumn
        ? [sql`${p.ident(spec.versionColumn)} = t.${p.ident(spec.versionColumn)} + 1`]
        : []),
    ],
    sql`, `,
  );
  const keyObject = sql`jsonb_build_object(${sql.join(
    spec.key.map((k) => sql`${k}::text, up.${p.ident(k)}`),
    sql`, `,
  )})`;
  // One lookup per input row by the key's index: `cmp` keeps only rows that are new or differ, with
  // the old row; a plain insert of the new ones and an update of the changed ones read it. (Not an
  // INSERT … ON CONFLICT: the lookup already says which rows are new, the import holds the
  // dataset's lock, and no other writer adds rows with a key an import could bring.)
  const first = p.ident(spec.key[0]!);
  const [counts] = await queryRows<{ new_rows: number; changed: number }>(
    db,
    sql`WITH src AS (${p.source(rows, 'apply')}),
      cmp AS MATERIALIZED (
        SELECT src.*, t.${first} IS NULL AS is_new,
          CASE WHEN t.${first} IS NULL THEN NULL ELSE to_jsonb(t) END AS old_row
        FROM src LEFT JOIN ${table} t ON ${p.keyMatch('t', 'src')}
        WHERE t.${first} IS NULL OR ${p.differs('src')}),
      ins AS (
        INSERT INTO ${table} (${p.list(p.columns)}) SELECT ${p.list(p.columns)} FROM cmp WHERE is_new
        RETURNING 1),
      upd AS (
        UPDATE ${table} AS t SET ${set} FROM cmp c WHERE NOT c.is_new AND ${p.keyMatch('t', 'c')}
        RETURNING 1),
      rec AS (
        INSERT INTO import_changes (import_id, inserted, old)
        SELECT ${importId}::bigint, NULL::jsonb, old_row FROM cmp WHERE NOT is_new
        UNION ALL
        SELECT ${importId}::bigint, jsonb_agg(${keyObject}), NULL::jsonb FROM cmp up WHERE is_new
          HAVING count(*) > 0)
      SELECT (count(*) FILTER (WHERE is_new))::int AS new_rows, (count(*) FILTER (WHERE NOT is_new))::int AS changed
      FROM cmp`,
  );
  const newRows = Number(counts?.new_rows ?? 0);
  const changed = Number(counts?.changed ?? 0);
  return { newRows, changedRows: changed };
}

function changeExamples(
  spec: DatasetSpec<never>,
  row: ParsedRow,
  old: Record<string, unknown>,
  into: ChangeExample[],
): void {
  const inputOnly = new Set(spec.inputOnly ?? []);
  const key = new Set([...spec.key, ...(spec.fileKey ?? [])]);
  for (const c of spec.columns) {
    if (key.has(c.key) || c.ignored) continue;
    const next = row.values[c.key] ?? null;
    if (next === null && inputOnly.has(c.key)) continue; // kept as it is
    const before = old[c.key] ?? null;
    if (before === next) continue;
    if (into.length >= MAX_EXAMPLES) return;
    into.push({
      key: keyOf(spec, row.values) ?? '',
      sheet: row.sheet,
      row: row.row,
      column: `${c.zh} (${c.key})`,
      old: before,
      new: next,
    });
  }
}

async function recordImport(
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
    await tx.execute(sql`RESET enable_hashjoin`);
    await tx.execute(sql`RESET enable_mergejoin`);
    const rollupStarted = performance.now();
    await refreshAfterChange(tx, spec, result.newRows + result.changedRows > 0, log);
    log(
      `  rows written in ${((rollupStarted - writeStarted) / 1000).toFixed(1)} s (${sqlSeconds.toFixed(1)} s in SQL), rollup in ${((performance.now() - rollupStarted) / 1000).toFixed(1)} s`,
    );
  });
}

/** Refreshes what depends on the dataset and moves the version that tells clients it changed. */
async function refreshAfterChange(
  tx: Executor,
  spec: DatasetSpec<never>,
  rowsChanged: boolean,
  log: (line: string) => void,
): Promise<void> {
  if (!rowsChanged) return; // nothing to refresh, and cached tiles stay valid
  if (spec.changes === 'supervision') {
    await bumpDataVersion(tx);
    return;
  }
  log('refreshing the region rollup…');
  await refreshRegionIndicators(tx);
  await bumpFiguresVersion(tx);
}

export interface RollbackResult {
  importId: number;
  dataset: string;
  file: string;
  restoredRows: number;
  deletedRows: number;
}

/** Undoes the most recent applied import of a dataset (restores what it replaced, removes what it added). */
export async function rollbackImport(
  database: Database,
  /** `importId`: the import the caller means; refused when it is no longer the latest. */
  options: { dataset: string; who: string; importId?: number },
): Promise<RollbackResult> {
  const spec = datasetSpec(options.dataset);
  const table = sql.identifier(spec.table);
  // Rollback reads only the column lists, never a derived value: no context is needed.
  const p = plan(spec, null);
  return database.db.transaction(async (tx) => {
    await lockDataset(tx);
    const [last] = await queryRows<{ id: number; file_name: string; previous_part: unknown }>(
      tx,
      sql`SELECT id, file_name, previous_part FROM imports
        WHERE dataset = ${spec.name} AND result = 'applied' AND new_rows + changed_rows > 0
        ORDER BY id DESC LIMIT 1`,
    );
    // An import that changed nothing (the same file again) has nothing to undo: the one before it is
    // the import whose values are in place.
    if (!last) throw new ImportUsageError(`there is no applied import of ${spec.name} to roll back`);
    const id = Number(last.id);
    if (options.importId != null && options.importId !== id)
      throw new ImportUsageError(
        `import ${options.importId} is not the latest applied import of ${spec.name} (import ${id} is): reload and try again`,
      );
    const rowType = sql.raw(`NULL::${spec.table}`);
    if (spec.versionColumn) {
      // Rows changed again since the import (a ledger edit) keep that work: no rollback over it.
      const version = p.ident(spec.versionColumn);
      const moved = await queryRows<{ key: string }>(
        tx,
        sql`SELECT concat_ws(' ', ${sql.join(
          spec.key.map((k) => sql`t.${p.ident(k)}`),
          sql`, `,
        )}) AS key
          FROM import_changes c, jsonb_populate_record(${rowType}, c.old) o, ${table} t
          WHERE c.import_id = ${id} AND c.old IS NOT NULL AND ${p.keyMatch('t', 'o')}
            AND t.${version} <> o.${version} + 1
          ORDER BY 1 LIMIT 10`,
      );
      if (moved.length)
        throw new ImportUsageError(
          `cannot roll back import ${id} of ${spec.name}: rows it changed were changed again since (${moved.map((m) => m.key).join(', ')}); change them back by hand or import a corrected file`,
        );
    }
    await spec.beforeRollback?.(tx, id, options.who);
    // ROW(…): a table with one value column (relocation_origins) is a one-column row, not a scalar.
    const restored = await queryRows<{ n: number }>(
      tx,
      sql`WITH r AS (
          UPDATE ${table} AS t SET (${p.list(p.values)}) = ROW(${p.list(p.values, 'o')})
            ${spec.versionColumn ? sql`, ${p.ident(spec.versionColumn)} = t.${p.ident(spec.versionColumn)} + 1` : sql``}
          FROM import_changes c, jsonb_populate_record(${rowType}, c.old) o
          WHERE c.import_id = ${id} AND c.old IS NOT NULL AND ${p.keyMatch('t', 'o')}
          RETURNING 1)
        SELECT count(*)::int AS n FROM r`,
    );
    let deleted: Array<{ n: number }>;
    try {
      deleted = await queryRows<{ n: number }>(
        tx,
        sql`WITH d AS (
            DELETE FROM ${table} AS t USING (
              SELECT k.* FROM import_changes c, jsonb_array_elements(c.inserted) e,
                jsonb_populate_record(${rowType}, e) k
              WHERE c.import_id = ${id} AND c.inserted IS NOT NULL) o
            WHERE ${p.keyMatch('t', 'o')}
            RETURNING 1)
          SELECT count(*)::int AS n FROM d`,
      );
    } catch (error) {
      const text = `${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`;
      if (/foreign key/i.test(text))
        throw new ImportUsageError(
          `cannot roll back import ${id} of ${spec.name}: rows it added are used by other data (roll back the imports that depend on them first)`,
        );
      throw error;
    }
    await tx.execute(sql`UPDATE imports SET result = 'rolled-back', rolled_back_at = now(),
      rolled_back_by = ${options.who} WHERE id = ${id}`);
    const previous = last.previous_part;
    if (previous == null)
      await tx.execute(
        sql`UPDATE dataset SET details = details #- ARRAY['parts', ${spec.part}::text] WHERE id = 'current'`,
      );
    else
      await tx.execute(
        sql`UPDATE dataset SET details = jsonb_set(details, ARRAY['parts', ${spec.part}::text],
          ${typeof previous === 'string' ? previous : JSON.stringify(previous)}::jsonb) WHERE id = 'current'`,
      );
    await refreshAfterChange(tx, spec, true, () => {});
    return {
      importId: id,
      dataset: spec.name,
      file: last.file_name,
      restoredRows: Number(restored[0]?.n ?? 0),
      deletedRows: Number(deleted[0]?.n ?? 0),
    };
  });
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
