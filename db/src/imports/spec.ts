// What a dataset module declares: its columns, its checks, its table (cells.ts parses the cells
// every dataset shares). A dataset's file columns are named by the database column they
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
  | 'choice'
  /**
   * Several of `choices` in one cell, separated by 、 , ， ; ； or spaces (a household's risk
   * causes): stored as their values in the choices' order, joined by commas.
   */
  | 'choices';

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
  /** For `choice` and `choices`: the allowed values. */
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
  /** SQL type of the value as it is staged (the COPY text's column type). */
  sqlType: SqlArrayType;
}

/** The allowed values of a `choice` column from a value → Chinese label table. */
export function choices(labels: Readonly<Record<string, string>>): Choice[] {
  return Object.entries(labels).map(([value, zh]) => ({ value, zh }));
}

/**
 * A column the export writes for people (a serial number, a name beside a code): read, never
 * written, so that an export imports as it is.
 */
export const shownOnly = (key: string, zh: string, en: string): ColumnSpec => ({
  key,
  zh,
  en,
  type: 'text',
  required: false,
  ignored: true,
  noteZh: '导出文件中的说明列，导入时不读取',
  noteEn: 'written by the export for people; not read on import',
  sqlType: 'text',
});

/** The 6-digit county code column that most datasets key on; the notes say which county it is. */
export function countyCodeColumn(noteZh: string, noteEn: string): ColumnSpec {
  return {
    key: 'county_code',
    zh: '县代码',
    en: 'county code',
    type: 'digits',
    digits: 6,
    required: true,
    noteZh,
    noteEn,
    sqlType: 'text',
  };
}

/** The 12-digit village code column, required; the notes say which village, `more` adds to it. */
export function villageCodeColumn(
  noteZh: string,
  noteEn: string,
  more: Partial<ColumnSpec> = {},
): ColumnSpec {
  return {
    key: 'village_code',
    zh: '村代码',
    en: 'village code',
    type: 'digits',
    digits: 12,
    required: true,
    noteZh,
    noteEn,
    sqlType: 'text',
    ...more,
  };
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
  prepare(db: Executor, importer: { regionScope: string | null; who: string }): Promise<Context>;
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
  /**
   * What an import of this dataset changes: the base map's figures (default), the ledger, or the
   * monitored households (防止返贫监测, personal data: admins, and supervisors in their region).
   */
  changes?: 'figures' | 'supervision' | 'monitoring';
  /** Runs in the apply's transaction after the rows are written (e.g. writes their history). */
  afterApply?(db: Executor, importId: number, who: string): Promise<void>;
  /** Runs in the rollback's transaction before the rows are restored (e.g. removes that history). */
  beforeRollback?(db: Executor, importId: number, who: string): Promise<void>;
  /** Runs in the rollback's transaction after the rows are restored (e.g. refreshes a summary of them). */
  afterRollback?(db: Executor, importId: number): Promise<void>;
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
