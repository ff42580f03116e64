// Reading a file's rows against a dataset's columns: the header, each row's parsed values and
// errors, and the row's key.

import { headerIndex, parseCell } from './cells.ts';
import type { SheetRow } from './read.ts';
import type { ColumnSpec, DatasetSpec, ImportError, Row } from './spec.ts';

/** Rows checked and staged together (validate.ts). */
export const BATCH = 2_000;

export interface Header {
  sheet: string;
  row: number;
  /** Column spec per cell index (undefined: an unknown column, already reported). */
  columns: Array<ColumnSpec | undefined>;
  /** Header text per key, as written in the file. */
  names: Map<string, string>;
  /** Each of the dataset's columns, in the spec's order, with its cell index (undefined: not in the file). */
  slots: Array<{ column: ColumnSpec; index: number | undefined }>;
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
  const slots = spec.columns.map((column) => {
    const index = columns.indexOf(column);
    return { column, index: index < 0 ? undefined : index };
  });
  return { sheet: r.sheet, row: r.row, columns, names, slots };
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

/**
 * Where parseRow is: its row and column. One reporter serves every cell of every row: this runs
 * for each cell of a two-million-row file, where a closure per cell (or per row) was a good part of
 * an import's time. parseRow is synchronous, so nothing else uses it meanwhile.
 */
const at: { parsed: ParsedRow | null; header: Header | null; column: ColumnSpec | null } = {
  parsed: null,
  header: null,
  column: null,
};
function reportAtCell(zh: string, en: string): void {
  const { parsed, header, column } = at;
  parsed!.errors.push({
    sheet: parsed!.sheet,
    row: parsed!.row,
    column: header!.names.get(column!.key) ?? column!.zh,
    zh: `${column!.zh}${zh}`,
    en: `${column!.key} ${en}`,
  });
}

export function parseRow(header: Header, r: SheetRow): ParsedRow {
  const parsed: ParsedRow = { sheet: r.sheet, row: r.row, values: {}, errors: [] };
  at.parsed = parsed;
  at.header = header;
  for (const slot of header.slots) {
    const column = slot.column;
    if (slot.index === undefined) {
      if (!column.required) parsed.values[column.key] = column.type === 'bool' ? false : null;
      continue;
    }
    at.column = column;
    const value = parseCell(column, r.cells[slot.index], reportAtCell);
    if (value !== undefined) parsed.values[column.key] = value;
  }
  at.parsed = null;
  return parsed;
}

/** The row's key as the file names it (county + site name + year for a key holding a site's id). */
export function keyOf(spec: DatasetSpec<never>, values: Row): string | null {
  // Once per row: no allocation beyond the parts (nullableKey holds one or two names at most).
  const nullable = spec.nullableKey;
  const parts = (spec.fileKey ?? spec.key).map((k) => values[k] ?? (nullable?.includes(k) ? '' : null));
  return parts.some((p) => p == null) ? null : parts.join(' ').trim();
}
