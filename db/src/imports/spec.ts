// What a dataset module declares (its columns, its checks, its table), and the one parser of
// cells every dataset shares. A dataset's file columns are named by the database column they
// fill (snake_case), so the old row read back from the table compares with the new one key by key.
import type { SQL } from 'drizzle-orm';
import type { Executor, SqlArrayType } from '../bulk.ts';

export type CellType =
  | 'text'
  | 'digits'
  | 'bool'
  | 'year'
  | 'int'
  | 'number'
  | 'share'
  | 'longitude'
  | 'latitude'
  /** A calendar date: 2024-03-31, 2024/3/31, 2024年3月31日, or a date cell of a spreadsheet. */
  | 'date'
  /** One of `choices`: its Chinese label, its stored (English) value or an alias. */
  | 'choice';

/** One allowed value of a `choice` column: stored as `value`, written in the file as `zh` or `value`. */
export interface Choice {
  /** The database's value (an English enum value such as county_town). */
  value: string;
  /** The Chinese label the template writes. */
  zh: string;
  /** Other spellings accepted, e.g. the label the export writes (县城安置). */
  aliases?: readonly string[];
}

/**
 * Text longer than this is refused unless a column says otherwise: no name or label the product
 * holds comes near it, and a cell of megabytes (pasted by mistake, or hostile) must not reach the
 * database, the error list or the map's labels.
 */
export const TEXT_MAX_LENGTH = 200;

export interface ColumnSpec {
  /** English key (accepted as a header on import) and the database column it fills. */
  key: string;
  /** Chinese header: what the template writes first. */
  zh: string;
  /** English name, for the explanation sheet and messages. */
  en: string;
  type: CellType;
  /** For `digits`: how many. */
  digits?: number;
  /** For `year`: the range. */
  min?: number;
  max?: number;
  /** For `text`: the most characters allowed (default TEXT_MAX_LENGTH). */
  maxLength?: number;
  /** For `choice`: the allowed values. */
  choices?: readonly Choice[];
  /**
   * For `text`: accept a value starting with = + - @ (a problem's description may quote a
   * formula); the product's own exports escape such cells, so stored text never runs in Excel.
   */
  formulaText?: boolean;
  required: boolean;
  /**
   * Accepted in a file and checked as text but never written: columns an export writes for people
   * to read (a serial number, a county's name beside its code) so that an export imports as it is.
   */
  ignored?: boolean;
  unitZh?: string;
  unitEn?: string;
  noteZh: string;
  noteEn: string;
  /** Type of the unnest array the value travels in. */
  sqlType: SqlArrayType;
}

export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

/** One problem with the file: where (sheet, row, column) and what, in Chinese and English. */
export interface ImportError {
  sheet: string;
  /** 1-based row number as a spreadsheet program shows it (the line, for a CSV). */
  row: number;
  /** The column's header as written in the file (or as the template names it, when missing). */
  column: string | null;
  zh: string;
  en: string;
}

export interface Reporter {
  /** Reports an error in the current row's column (by key). */
  error(key: string | null, zh: string, en: string): void;
}

export interface DatasetSpec<Context = unknown> {
  name: string;
  zh: string;
  en: string;
  /** The template's data sheet name. */
  sheet: string;
  table: string;
  /** Natural key: database columns. */
  key: readonly string[];
  /**
   * Key columns that may be empty (a county's listing has no village): matched with IS NOT
   * DISTINCT FROM, and the table's unique index is NULLS NOT DISTINCT. Never the first key column.
   */
  nullableKey?: readonly string[];
  columns: readonly ColumnSpec[];
  /** Loads what the checks need (code lists) once per import. */
  prepare(db: Executor, importer: { regionScope: string | null }): Promise<Context>;
  /** Checks a parsed row beyond its cells (codes exist and nest, sums); reports through `report`. */
  check(row: Row, context: Context, report: Reporter): void;
  /** Checks valid rows in batches against the database (e.g. a point inside its county). */
  checkBatch?(
    db: Executor,
    rows: ReadonlyArray<{ row: Row; report: Reporter }>,
    context: Context,
  ): Promise<void>;
  /**
   * Database columns written, besides the file's own (e.g. county_code from the code, a site's id
   * from its county and name through the context `prepare` loaded).
   */
  derived?: ReadonlyArray<{ name: string; type: SqlArrayType; get(row: Row, context: Context): Value }>;
  /**
   * The file columns that name a row, where the natural key holds a derived column (a site's id,
   * found from county code + site name): duplicates in the file and change examples use these.
   * Default: `key`.
   */
  fileKey?: readonly string[];
  /** Columns computed in SQL from input columns (named `u.<key>`), e.g. a point from lon/lat. */
  computed?: Record<string, SQL>;
  /** File columns that are inputs of `computed` only, not table columns. */
  inputOnly?: readonly string[];
  /**
   * The value a column takes on update where it is not simply the incoming one: `incoming` is the
   * incoming value (`excluded.<col>` or the input's), `t` the table's row.
   */
  update?: Record<string, (incoming: SQL) => SQL>;
  /** The old row as JSON keyed like the file (default to_jsonb(t)); `t` is the table's alias. */
  oldJson?: SQL;
  /**
   * A compact index of the keys seen, for the duplicate check of a large file: the key is a group
   * (e.g. the village code) and a small whole number slot (e.g. the year, min … min + count - 1).
   * Two million rows then cost one small array per village instead of one map entry per row.
   */
  keySlots?: { group: string; slot: string; min: number; count: number };
  /** The template's example row (only in the explanation sheet). */
  example: Row;
  /** The part of the dataset's details this import replaces (details.parts[name]). */
  part: string;
  /**
   * The region code a row belongs to (a county's or village's code), for imports limited to a
   * region (a supervisor's ledger): a row outside the importer's scope is an error.
   */
  regionOf?: (row: Row) => string | null;
  /**
   * The key of a row the file gives none for (a new row), e.g. the next id of a serial: used when
   * applying only, so a dry run takes nothing from the sequence. Such rows are never duplicates.
   */
  newKey?: SQL;
  /** The most rows one file may hold (the ledger's: far above a county's, a check on floods). */
  maxRows?: number;
  /** A version column for optimistic concurrency: raised by one on every row an import changes. */
  versionColumn?: string;
  /** What an import of this dataset changes: the base map's figures (default) or the ledger. */
  changes?: 'figures' | 'supervision';
  /** Runs in the apply's transaction after the rows are written (e.g. writes their history). */
  afterApply?(db: Executor, importId: number, who: string): Promise<void>;
  /** Runs in the rollback's transaction before the rows are restored (e.g. removes that history). */
  beforeRollback?(db: Executor, importId: number, who: string): Promise<void>;
}

/** A point as two optional columns, WGS84, checked inside the row's county (checkInsideCounty). */
export const LOCATION_COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'longitude',
    zh: '经度',
    en: 'longitude',
    type: 'longitude',
    required: false,
    unitZh: '度（WGS84）',
    unitEn: 'degrees (WGS84)',
    noteZh: 'WGS84 经度，可不填；填写时须与纬度同填且位于所属县境内（不是 GCJ-02）',
    noteEn: "WGS84, optional; with the latitude, and inside the county's boundary (not GCJ-02)",
    sqlType: 'float8',
  },
  {
    key: 'latitude',
    zh: '纬度',
    en: 'latitude',
    type: 'latitude',
    required: false,
    unitZh: '度（WGS84）',
    unitEn: 'degrees (WGS84)',
    noteZh: 'WGS84 纬度，可不填；填写时须与经度同填',
    noteEn: 'WGS84, optional; with the longitude',
    sqlType: 'float8',
  },
];

const DIGITS = /^\d+$/;
/** A decimal number: 1234, -5, 0.25, 1e3, or with thousands separators 1,234.5; not 0x1F, Infinity or ''. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const GROUPED = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;

function toNumber(text: string): number {
  if (DECIMAL.test(text)) return Number(text);
  if (GROUPED.test(text)) return Number(text.replace(/,/g, ''));
  return Number.NaN;
}

/**
 * A cell as an error message quotes it: a long cell is cut, so that a hostile megabyte-long cell
 * makes neither a megabyte-long message nor a thousand of them.
 */
function quoted(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Text a spreadsheet program would take for a formula when the value is exported again (=, +, -,
 * @ first: the characters the exports escape). No name or label starts so; a formula that reached
 * a text cell is a mistake or an attack, and is refused rather than stored.
 */
const FORMULA_START = /^[=+\-@]/;

// C0 controls but tab, line feed and carriage return (a finding may have lines), DEL, C1, and the
// bidirectional embeddings, overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const TRUE = new Set(['是', 'true', 'yes', 'y', '1', 't', '√']);
const FALSE = new Set(['否', 'false', 'no', 'n', '0', 'f', '']);

/** Parses one cell of a column; returns the value or reports why not. Empty → null. */
export function parseCell(
  column: ColumnSpec,
  raw: unknown,
  report: (zh: string, en: string) => void,
): Value | undefined {
  let text: string;
  if (raw === null || raw === undefined) text = '';
  else if (typeof raw === 'number' || typeof raw === 'boolean') text = String(raw);
  else text = String(raw).trim();
  if (text === '') {
    if (column.type === 'bool' && !column.required) return false;
    if (column.required) {
      report('必填，不能为空', 'is required and empty');
      return undefined;
    }
    return null;
  }
  switch (column.type) {
    case 'text': {
      // The export writes '=… for a cell starting with = + - @ so that Excel shows it as text:
      // the quote says "this is text", and is not part of it.
      if (/^'[=+\-@]/.test(text)) text = text.slice(1);
      const max = column.maxLength ?? TEXT_MAX_LENGTH;
      // Characters as people count them (code points); a cell of more than two UTF-16 units per
      // allowed character is too long without counting (a hostile 100 MB cell is not spread out).
      const length = text.length > 2 * max ? text.length : text.length > max ? [...text].length : text.length;
      if (length > max) {
        report(
          `过长：${length > 2 * max ? `超过 ${2 * max}` : length} 个字符，最多 ${max} 个`,
          `is too long: ${length > 2 * max ? `over ${2 * max}` : length} characters, at most ${max}`,
        );
        return undefined;
      }
      // NUL, other control characters and the direction overrides that can disguise a name on
      // the map or in an export (U+202A–202E, U+2066–2069) have no place in a name or a finding.
      const control = CONTROL.exec(text);
      if (control) {
        const code = `U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
        report(`含有不可见的控制字符 ${code}`, `contains an invisible control character ${code}`);
        return undefined;
      }
      if (FORMULA_START.test(text) && !column.formulaText) {
        report(
          `不能以“${text[0]}”开头（电子表格会当作公式）：“${quoted(text)}”`,
          `must not start with "${text[0]}" (a spreadsheet would take it for a formula): "${quoted(text)}"`,
        );
        return undefined;
      }
      return text;
    }
    case 'choice': {
      const lower = text.toLowerCase();
      const choices = column.choices ?? [];
      const found = choices.find(
        (c) => c.value === lower || c.zh === text || (c.aliases ?? []).includes(text),
      );
      if (!found) {
        report(
          `应为 ${choices.map((c) => c.zh).join('、')} 之一，实为“${quoted(text)}”`,
          `must be one of ${choices.map((c) => `${c.value} (${c.zh})`).join(', ')}, got "${quoted(text)}"`,
        );
        return undefined;
      }
      return found.value;
    }
    case 'date':
      return parseDate(raw, text, report);
    case 'digits': {
      if (text.length !== column.digits || !DIGITS.test(text)) {
        report(
          `应为 ${column.digits} 位数字，实为“${quoted(text)}”`,
          `must be ${column.digits} digits, got "${quoted(text)}"`,
        );
        return undefined;
      }
      return text;
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      report(`应为“是”或“否”，实为“${quoted(text)}”`, `must be 是/否 (true/false), got "${quoted(text)}"`);
      return undefined;
    }
    default: {
      const n = typeof raw === 'number' ? raw : toNumber(text);
      if (!Number.isFinite(n)) {
        report(`不是数字：“${quoted(text)}”`, `is not a number: "${quoted(text)}"`);
        return undefined;
      }
      if (column.type === 'longitude' || column.type === 'latitude') {
        const [lo, hi] = column.type === 'longitude' ? [73, 136] : [3, 54];
        if (n < lo || n > hi) {
          report(
            `超出中国范围（${lo}–${hi}）：${quoted(text)}`,
            `is outside China (${lo}–${hi}): ${quoted(text)}`,
          );
          return undefined;
        }
        return n;
      }
      if (n < 0) {
        report(`不能为负数：${quoted(text)}`, `must not be negative: ${quoted(text)}`);
        return undefined;
      }
      if (column.type === 'share' && n > 1) {
        report(`比例应在 0–1 之间：${quoted(text)}`, `is a share and must lie within 0–1: ${quoted(text)}`);
        return undefined;
      }
      if (column.type === 'int' || column.type === 'year') {
        if (!Number.isInteger(n)) {
          report(`应为整数：${quoted(text)}`, `must be a whole number: ${quoted(text)}`);
          return undefined;
        }
        if (n > 2_147_483_647) {
          report(`数值过大：${quoted(text)}`, `is too large: ${quoted(text)}`);
          return undefined;
        }
      }
      if (column.type === 'year' && (n < (column.min ?? 0) || n > (column.max ?? 9999))) {
        report(
          `应在 ${column.min}–${column.max} 之间：${quoted(text)}`,
          `must lie within ${column.min}–${column.max}: ${quoted(text)}`,
        );
        return undefined;
      }
      return n;
    }
  }
}

const DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;

/** A real calendar date as YYYY-MM-DD (2021-02-30 is refused), from text or a spreadsheet date. */
function parseDate(raw: unknown, text: string, report: (zh: string, en: string) => void): Value | undefined {
  // A date cell: ExcelJS gives a Date at UTC midnight of the day shown.
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) return raw.toISOString().slice(0, 10);
  const m = DATE.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) {
      if (y < 2000 || y > 2100) {
        report(`年份超出范围（2000–2100）：${quoted(text)}`, `has a year outside 2000–2100: ${quoted(text)}`);
        return undefined;
      }
      return date.toISOString().slice(0, 10);
    }
  }
  report(
    `不是有效日期（应为 YYYY-MM-DD）：“${quoted(text)}”`,
    `is not a real date (YYYY-MM-DD): "${quoted(text)}"`,
  );
  return undefined;
}

/** Header text → column key: the Chinese header, the English key (snake_case or camelCase, any case). */
export function headerIndex(columns: readonly ColumnSpec[]): (header: string) => ColumnSpec | undefined {
  const byName = new Map<string, ColumnSpec>();
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');
  for (const c of columns) {
    byName.set(norm(c.zh), c);
    byName.set(norm(c.key), c);
  }
  return (header) => {
    // "人口（人）" and "population (people)": a unit in brackets after the name is allowed.
    const bare = header.replace(/[（(][^（）()]*[）)]\s*$/, '').trim();
    return byName.get(norm(header)) ?? byName.get(norm(bare));
  };
}

/** A column's header as the template writes it. */
export function describeColumn(c: ColumnSpec): string {
  return c.zh;
}
