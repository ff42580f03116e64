// Reading a file's rows against a dataset's columns: the header, each row's parsed values and
// errors, the row's key, and (for writing) the valid rows in batches.

import { headerIndex, parseCell } from './cells.ts';
import { type FileFacts, readRows, type SheetRow } from './read.ts';
import type { ColumnSpec, DatasetSpec, ImportError, Row } from './spec.ts';

/** Rows per batch: one statement writes (or compares) a batch. */
export const BATCH = 10_000;

export interface Header {
  sheet: string;
  row: number;
  /** Column spec per cell index (undefined: an unknown column, already reported). */
  columns: Array<ColumnSpec | undefined>;
  /** Header text per key, as written in the file. */
  names: Map<string, string>;
}

export interface ParsedRow {
  sheet: string;
  row: number;
  values: Row;
  errors: ImportError[];
}

/** The header: the first of the first ten rows naming at least one known column. */
export function findHeader(
  spec: DatasetSpec<never>,
  r: SheetRow,
  errors: (e: ImportError) => void,
): Header | null {
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

export function parseRow(spec: DatasetSpec<never>, header: Header, r: SheetRow): ParsedRow {
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
export function keyOf(spec: DatasetSpec<never>, values: Row): string | null {
  // Once per row: no allocation beyond the parts (nullableKey holds one or two names at most).
  const nullable = spec.nullableKey;
  const parts = (spec.fileKey ?? spec.key).map((k) => values[k] ?? (nullable?.includes(k) ? '' : null));
  return parts.some((p) => p == null) ? null : parts.join(' ').trim();
}

/** Pass 2: streams the file's valid rows in batches. */
export async function* validRowBatches(
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
