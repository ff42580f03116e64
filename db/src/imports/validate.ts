// The one pass over an import's file: every row is parsed and checked (its cells, the dataset's
// checks, the region of a supervisor, duplicates within the file), and the valid rows are staged
// (stage.ts) in batches as they go; the table itself is not touched.
import type { Executor } from '../bulk.ts';
import { type FileFacts, readRows, type SheetRow } from './read.ts';
import { BATCH, findHeader, type Header, keyOf, type ParsedRow, parseRow } from './rows.ts';
import type { DatasetSpec, ImportError, Row } from './spec.ts';
import type { Stage } from './stage.ts';

export const MAX_LISTED_ERRORS = 1000;
/** Checking stops after this many errors (a wrong file, not a file with mistakes). */
export const MAX_COUNTED_ERRORS = 100_000;

export interface Validation {
  facts: FileFacts;
  rows: number;
  invalidRows: number;
  errorCount: number;
  /** Up to twice MAX_LISTED_ERRORS, as found (checkBatch's come after later rows'): see `tally`. */
  errors: ImportError[];
  headerFound: boolean;
  /** The sheet the rows came from (the file's name, for a CSV). */
  sheet: string;
}

export interface ValidateOptions {
  regionScope: string | null;
  /** What the dataset's `prepare` loaded, in the same transaction. */
  context: unknown;
  /** Where the valid rows go. */
  stage: Stage;
  /**
   * Stage valid rows after the file has shown an error too (a dry run counts what the valid rows
   * would change); an apply stops staging at the first error, since nothing will be written.
   */
  stageAfterErrors: boolean;
  /** Rows checked and staged together (default BATCH). */
  batchSize?: number;
}

/** What the checks found so far: filled as the file is read (so a failure midway still says it). */
export function emptyValidation(facts: FileFacts): Validation {
  return { facts, rows: 0, invalidRows: 0, errorCount: 0, errors: [], headerFound: false, sheet: facts.name };
}

export async function validate(
  db: Executor,
  spec: DatasetSpec<never>,
  facts: FileFacts,
  options: ValidateOptions,
  v: Validation = emptyValidation(facts),
): Promise<Validation> {
  const { regionScope, context, stage } = options;
  const batchSize = options.batchSize ?? BATCH;
  const push = (e: ImportError) => {
    v.errorCount++;
    if (v.errors.length < MAX_LISTED_ERRORS * 2) v.errors.push(e);
  };
  const fileKey = spec.fileKey ?? spec.key;
  // Keys seen so far, with the row each was first seen in.
  const seen = new Map<string, number>();
  const slots = new Map<string, Int32Array>();
  /** The row this row's key was first seen in, if any (the key as text only off the fast path). */
  const seenBefore = (values: Row, row: number): number | undefined => {
    const k = spec.keySlots;
    const slot = k ? Number(values[k.slot]) - k.min : -1;
    const group = k ? values[k.group] : null;
    if (!k || !(slot >= 0 && slot < k.count) || group == null) {
      const key = keyOf(spec, values);
      if (key == null) return undefined;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, row);
      return first;
    }
    let rows = slots.get(String(group));
    if (!rows) {
      rows = new Int32Array(k.count);
      slots.set(String(group), rows);
    }
    const first = rows[slot]!;
    if (first === 0) rows[slot] = row;
    return first || undefined;
  };
  // The dataset's row checks report through one reporter, told which row it is at (a closure per
  // row of a two-million-row file costs seconds).
  let checking: ParsedRow | null = null;
  const rowReport = {
    error(key: string | null, zh: string, en: string) {
      checking!.errors.push({
        sheet: checking!.sheet,
        row: checking!.row,
        column: key ? (header?.names.get(key) ?? key) : null,
        zh,
        en,
      });
    },
  };
  let header: Header | null = null;
  let scanned = 0;
  let pending: ParsedRow[] = [];
  const settle = (p: ParsedRow) => {
    if (p.errors.length === 0) return;
    v.invalidRows++;
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
        context as never /* the context this spec's own prepare() returned */,
      );
    }
    for (const p of pending) settle(p);
    if (v.errorCount === 0 || options.stageAfterErrors)
      await stage.add(pending.filter((p) => p.errors.length === 0));
    pending = [];
  };
  function checkRow(r: SheetRow, header: Header): void {
    v.rows++;
    const parsed = parseRow(header, r);
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
      checking = parsed;
      spec.check(
        parsed.values,
        context as never /* the context this spec's own prepare() returned */,
        rowReport,
      );
      checking = null;
    }
    const first = seenBefore(parsed.values, r.row);
    if (first !== undefined) {
      const key = keyOf(spec, parsed.values);
      parsed.errors.push({
        sheet: r.sheet,
        row: r.row,
        column: header.names.get(fileKey[0]!) ?? fileKey[0]!,
        zh: `与第 ${first} 行重复（${key}）`,
        en: `duplicates row ${first} (${key})`,
      });
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
        if (header) v.sheet = header.sheet;
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
      if (pending.length >= batchSize) await flush();
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
    // A turn of the event loop after each batch read: the database's answers (the end of a lot's
    // COPY, a savepoint, the record of added keys) are taken as they come, and the next statement
    // sent, instead of waiting while Node checks several batches the streams already hold — the
    // database sat idle that long between the statements of every lot.
    await new Promise<void>((resolve) => setImmediate(resolve));
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
  return v;
}
