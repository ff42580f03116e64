// Bulk loading by COPY, on both backends: PostgreSQL reads `COPY … FROM STDIN` from the
// transaction's own connection (postgres.js's stream); PGlite reads `COPY … FROM '/dev/blob'`
// from a Blob handed to its query. Rows travel as COPY's text format, built into buffers of a
// few megabytes as they are made (no string kept per row).
//
// COPY is the fastest way in on both: on PGlite the national village-years went in ~2× faster
// than by `unnest` inserts (bulk.ts), which parse every value twice (an array literal, then the
// array) and push the whole batch through the wire protocol as text parameters.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Executor, SqlArrayType } from './bulk.ts';
import type { Backend } from './client.ts';

export interface CopyInto {
  /** One `COPY table (columns) FROM …` of the pieces' lines (COPY text format). */
  into(table: string, columns: readonly string[], pieces: readonly Buffer[]): Promise<void>;
}

/**
 * The driver's own client under a drizzle transaction: drizzle wraps neither COPY stream nor
 * PGlite's blob option. drizzle keeps it as `session.client` (postgres.js: the transaction's
 * reserved connection; PGlite: its Transaction); checked here so that a drizzle upgrade that
 * moves it fails loudly, not silently.
 */
interface PostgresCopyClient {
  unsafe(statement: string): { writable(): Promise<NodeJS.WritableStream> };
}
interface PgliteCopyClient {
  query(statement: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

export function copyClient(tx: Executor, backend: Backend): CopyInto {
  const client = (tx as unknown as { session?: { client?: Partial<PostgresCopyClient & PgliteCopyClient> } })
    .session?.client;
  const statement = (table: string, columns: readonly string[], source: string) =>
    `COPY ${quoteName(table)} (${columns.map(quoteName).join(', ')}) FROM ${source}`;
  if (backend === 'postgres') {
    if (typeof client?.unsafe !== 'function')
      throw new Error('COPY needs the postgres.js client under the drizzle transaction');
    const postgres = client as PostgresCopyClient;
    return {
      async into(table, columns, pieces) {
        const sink = await postgres.unsafe(statement(table, columns, 'STDIN')).writable();
        await pipeline(Readable.from(pieces), sink);
      },
    };
  }
  if (typeof client?.query !== 'function')
    throw new Error('COPY needs the PGlite transaction under the drizzle transaction');
  const pglite = client as PgliteCopyClient;
  return {
    async into(table, columns, pieces) {
      await pglite.query(statement(table, columns, "'/dev/blob'"), [], { blob: new Blob([...pieces]) });
    },
  };
}

/** An SQL identifier, quoted (the names are the code's own; quoted all the same). */
function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Bytes of COPY text sent in one COPY: each COPY costs a round trip of some tens of milliseconds
 * on PostgreSQL (measured ~10–40 ms here), so rows go a few megabytes at a time.
 */
const COPY_CHUNK_BYTES = 4 * 1024 * 1024;

/** Characters of COPY lines joined before they are written into a piece. */
const LINES_CHARS = 60 * 1024;

/**
 * Lines of COPY text in pieces of about COPY_CHUNK_BYTES: `add` takes a line of cells (already
 * formatted, see copyFormatter) and returns a piece when one is full; `rest` the partly full one.
 */
export class CopyBuffer {
  // Lines go into a buffer soon after they are made, so that they die young: kept as strings
  // until sent, two million lines outlived the young generation and grew the heap by some hundred
  // megabytes. Not one at a time either: some 60,000 characters of lines are joined and written
  // in one call into Buffer's encoder, where a call per line was about a sixth of the national
  // import's time in Node.
  private buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  private used = 0;
  private lines: string[] = [];
  private chars = 0;

  /** Adds one line; returns the piece it filled, if it filled one. */
  add(cells: readonly string[]): Buffer | null {
    // One array joined per line: a line built by += is a tree of 20 strings until it is read.
    const line = cells.join('\t');
    this.lines.push(line);
    this.chars += line.length;
    return this.chars >= LINES_CHARS ? this.writeLines(true) : null;
  }

  /** The piece being filled, with the lines not yet written, if it holds anything (a new one is started). */
  rest(): Buffer | null {
    // The last lines stay in this piece even if it grows past COPY_CHUNK_BYTES: one piece out.
    this.writeLines(false);
    if (this.used === 0) return null;
    const piece = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
    this.used = 0;
    return piece;
  }

  /**
   * Writes the joined lines; with `split`, a full piece is handed back and the lines start the
   * next one, else the piece grows to hold them.
   */
  private writeLines(split: boolean): Buffer | null {
    if (!this.lines.length) return null;
    const text = `${this.lines.join('\n')}\n`;
    this.lines.length = 0;
    this.chars = 0;
    const bytes = Buffer.byteLength(text);
    let full: Buffer | null = null;
    if (this.used + bytes > this.buffer.length) {
      if (split && this.used > 0) {
        full = this.buffer.subarray(0, this.used);
        this.used = 0;
      }
      // Lines longer than a buffer (long text cells), or the last lines, get room of their own.
      const size = Math.max(COPY_CHUNK_BYTES, this.used + bytes);
      const next = Buffer.allocUnsafe(size);
      if (this.used > 0) this.buffer.copy(next, 0, 0, this.used);
      this.buffer = next;
    }
    this.used += this.buffer.write(text, this.used);
    return full;
  }
}

/** COPY's text format: \N is NULL; backslash, tab, line feed and carriage return are escaped. */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

/** The formatter of a column's values as COPY text cells. */
export function copyFormatter(type: SqlArrayType): (value: unknown) => string {
  // Numbers need no escaping; anything else in a number column (never, once checked) is escaped.
  if (type === 'int4' || type === 'int8' || type === 'float8')
    return (value) => (typeof value === 'number' ? String(value) : copyText(value));
  if (type === 'jsonb') return (value) => copyText(value == null ? null : JSON.stringify(value));
  return copyText;
}

/**
 * Copies rows into a table, column by column as `columns` says: COPY's text format, a few
 * megabytes per COPY. The values are the columns' own (a geometry as EWKT, an array as its
 * literal); unlike `bulkInsertRows` there are no computed columns.
 */
export async function copyRows<T>(
  tx: Executor,
  backend: Backend,
  table: string,
  rows: Iterable<T>,
  columns: ReadonlyArray<readonly [name: string, type: SqlArrayType, get: (row: T) => unknown]>,
): Promise<number> {
  const copy = copyClient(tx, backend);
  const names = columns.map(([name]) => name);
  const format = columns.map(([, type]) => copyFormatter(type));
  const buffer = new CopyBuffer();
  const cells: string[] = new Array(columns.length);
  let count = 0;
  for (const row of rows) {
    for (let j = 0; j < columns.length; j++) cells[j] = format[j]!(columns[j]![2](row));
    const full = buffer.add(cells);
    if (full) await copy.into(table, names, [full]);
    count++;
  }
  const rest = buffer.rest();
  if (rest) await copy.into(table, names, [rest]);
  return count;
}
