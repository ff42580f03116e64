// The valid rows of an import, staged in a temporary table inside the import's transaction while
// the file is checked: the file is read once, and the comparison (a dry run) or the apply (lot by
// lot, while the rest is checked) is a few set-based statements over the staged rows (write.ts). Nothing outside the transaction ever
// sees the table; it goes with the transaction (ON COMMIT DROP), applied or rolled back.
//
// On PostgreSQL each batch travels by `COPY … FROM STDIN` (text format) on the transaction's own
// connection; on PGlite, which has no COPY from a client stream, by one `unnest` insert per batch.
// Rows go a few megabytes at a time; while PostgreSQL stores one lot on the other core, Node parses
// the next — unless the dataset's checks query the database between batches (`checkBatch`): a
// connection in the middle of a COPY takes no other statement, so then each lot is waited for.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { bulkInsert, type Executor, type SqlArrayType } from '../bulk.ts';
import type { Backend } from '../client.ts';
import type { ParsedRow } from './rows.ts';
import type { Row } from './spec.ts';

/** The staging table's name: temporary, so one per connection, and dropped with the transaction. */
export const STAGE_TABLE = 'import_stage';
/** The staged row's file row number (its first column): examples of changes name it. */
export const STAGE_ROW = 'file_row';

export interface StageColumn {
  name: string;
  type: SqlArrayType;
  get: (row: Row) => unknown;
}

export interface Stage {
  /** Stages a batch of valid rows (in the background, unless told otherwise: see createStage). */
  add(rows: readonly ParsedRow[]): Promise<void>;
  /** Waits for every batch, then gathers the table's statistics for the set-based statements. */
  finish(): Promise<number>;
  /**
   * After a failure (an unreadable file, a check that threw): skips the work not yet started and
   * waits for the piece running, so that no statement of the import is left on the connection
   * when its transaction rolls back.
   */
  abandon(): Promise<void>;
}

export interface StageOptions {
  /**
   * Send rows while the next are checked. Off for a dataset whose checks query the database
   * between batches (`checkBatch`): a connection in the middle of a COPY takes no other statement.
   */
  sendInBackground: boolean;
  /**
   * Hands the staged rows over every `rows` rows (the first lots smaller; an apply writes them,
   * then the table is emptied), so that PostgreSQL writes one lot while Node checks the next; the rows staged
   * after the last lot are the caller's, after `finish`.
   */
  lots?: { rows: number; write: () => Promise<void> };
}

/** Pieces of work queued for the database at most: Node reads on while they run. */
const MAX_QUEUED = 8;

/** Creates the staging table in the transaction `tx` (of a database on `backend`). */
export async function createStage(
  tx: Executor,
  backend: Backend,
  columns: readonly StageColumn[],
  options: StageOptions,
): Promise<Stage> {
  const definitions = [
    sql`${sql.identifier(STAGE_ROW)} int4`,
    ...columns.map((c) => sql`${sql.identifier(c.name)} ${sql.raw(c.type)}`),
  ];
  const table = sql.identifier(STAGE_TABLE);
  await tx.execute(sql`CREATE TEMP TABLE ${table} (${sql.join(definitions, sql`, `)}) ON COMMIT DROP`);
  const sender = backend === 'postgres' ? copySender(tx, columns) : insertSender(tx, columns);
  let staged = 0;
  let sinceLot = 0;
  // The first lot is a 32nd of the rest, doubling up to a full lot: the database starts writing
  // while Node is still on the first rows, not a full lot later.
  let lotRows = options.lots ? Math.max(1, Math.ceil(options.lots.rows / 32)) : 0;
  // The work runs one piece after another on the transaction's connection; `add` waits only when
  // MAX_QUEUED pieces are pending. A failed piece fails those after it, and the next wait.
  let tail: Promise<void> = Promise.resolve();
  const queued: Array<Promise<void>> = [];
  let stopped = false;
  const send = async (work: () => Promise<void>) => {
    tail = tail.then(() => (stopped ? undefined : work()));
    tail.catch(() => {}); // observed below, by whoever waits next
    queued.push(tail);
    while (queued.length > MAX_QUEUED) await queued.shift();
  };
  const settle = async () => {
    while (queued.length) await queued.shift();
  };
  const analyze = () => tx.execute(sql`ANALYZE ${table}`);
  return {
    async add(rows) {
      staged += rows.length;
      sinceLot += rows.length;
      const ready = sender.take(rows);
      if (ready) await send(ready);
      if (options.lots && sinceLot >= lotRows) {
        sinceLot = 0;
        lotRows = Math.min(options.lots.rows, lotRows * 2);
        const rest = sender.rest();
        if (rest) await send(rest);
        const { write } = options.lots;
        // No ANALYZE: a lot's write probes the table's key index row by row whatever the figures.
        await send(async () => {
          await write();
          await tx.execute(sql`TRUNCATE ${table}`);
        });
      }
      if (!options.sendInBackground) await settle();
    },
    async finish() {
      const rest = sender.rest();
      if (rest) await send(rest);
      await settle();
      await analyze();
      return staged;
    },
    async abandon() {
      stopped = true;
      await tail.catch(() => {});
    },
  };
}

/** Takes rows; hands back the work that sends them once there are enough to send. */
interface Sender {
  take(rows: readonly ParsedRow[]): (() => Promise<void>) | null;
  rest(): (() => Promise<void>) | null;
}

function insertSender(tx: Executor, columns: readonly StageColumn[]): Sender {
  const insert = (rows: readonly ParsedRow[]) => async () => {
    await bulkInsert(tx, STAGE_TABLE, [
      { name: STAGE_ROW, type: 'int4', values: rows.map((r) => r.row) },
      ...columns.map((c) => ({ name: c.name, type: c.type, values: rows.map((r) => c.get(r.values)) })),
    ]);
  };
  return { take: (rows) => (rows.length ? insert(rows) : null), rest: () => null };
}

/**
 * The postgres.js client under a drizzle transaction: COPY needs the driver's own stream, which
 * drizzle does not wrap. drizzle keeps it as `session.client` (the transaction's reserved
 * connection); checked here so that a drizzle upgrade that moves it fails loudly, not silently.
 */
interface CopyClient {
  unsafe(statement: string): { writable(): Promise<NodeJS.WritableStream> };
}
function copyClient(tx: Executor): CopyClient {
  const client = (tx as unknown as { session?: { client?: Partial<CopyClient> } }).session?.client;
  if (typeof client?.unsafe !== 'function')
    throw new Error('staging an import needs the postgres.js client under the drizzle transaction');
  return client as CopyClient;
}

/**
 * Bytes of COPY text sent in one COPY: each COPY costs a round trip of some tens of milliseconds
 * (measured ~10–40 ms here), so rows go a few megabytes at a time.
 */
const COPY_CHUNK_BYTES = 4 * 1024 * 1024;

function copySender(tx: Executor, columns: readonly StageColumn[]): Sender {
  const client = copyClient(tx);
  const names = [STAGE_ROW, ...columns.map((c) => c.name)].map((n) => `"${n}"`).join(', ');
  const statement = `COPY ${STAGE_TABLE} (${names}) FROM STDIN`;
  const format = columns.map((c) => copyFormatter(c.type));
  // Each line goes into a buffer as soon as it is made, so that the line dies young: kept as
  // strings until sent, two million lines outlived the young generation and grew the heap by
  // some hundred megabytes.
  let buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  let used = 0;
  const copy = (bytes: Buffer) => async () => {
    const sink = await client.unsafe(statement).writable();
    await pipeline(Readable.from([bytes]), sink);
  };
  const drain = () => {
    if (used === 0) return null;
    const piece = buffer.subarray(0, used);
    buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
    used = 0;
    return copy(piece);
  };
  return {
    take(rows) {
      let ready: (() => Promise<void>) | null = null;
      const pieces: Array<() => Promise<void>> = [];
      // One array joined per line: a line built by += is a tree of 20 strings until it is read.
      const cells: string[] = new Array(columns.length + 1);
      for (const r of rows) {
        cells[0] = String(r.row);
        for (let j = 0; j < columns.length; j++) cells[j + 1] = format[j]!(columns[j]!.get(r.values));
        const line = `${cells.join('\t')}\n`;
        const bytes = Buffer.byteLength(line);
        if (used + bytes > buffer.length) {
          const piece = drain();
          if (piece) pieces.push(piece);
          // A line longer than a buffer (a long text cell) gets a buffer of its own.
          if (bytes > buffer.length) buffer = Buffer.allocUnsafe(bytes);
        }
        used += buffer.write(line, used);
      }
      if (pieces.length === 1) ready = pieces[0]!;
      else if (pieces.length > 1)
        ready = async () => {
          for (const piece of pieces) await piece();
        };
      return ready;
    },
    rest: drain,
  };
}

/** COPY's text format: \N is NULL; backslash, tab, line feed and carriage return are escaped. */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}
function copyFormatter(type: SqlArrayType): (value: unknown) => string {
  // Numbers need no escaping; anything else in a number column (never, once checked) is escaped.
  if (type === 'int4' || type === 'int8' || type === 'float8')
    return (value) => (typeof value === 'number' ? String(value) : copyText(value));
  if (type === 'jsonb') return (value) => copyText(value == null ? null : JSON.stringify(value));
  return copyText;
}
