// The valid rows of an import, staged in a temporary table inside the import's transaction while
// the file is checked: the file is read once, and the comparison (a dry run) or the apply (lot by
// lot, while the rest is checked) is a few set-based statements over the staged rows (write.ts).
// Nothing outside the transaction ever sees the table; it goes with the transaction (ON COMMIT
// DROP), applied or rolled back.
//
// Each batch travels by COPY (text format, copy.ts): on PostgreSQL `FROM STDIN` on the
// transaction's own connection, on PGlite `FROM '/dev/blob'`.
// Rows go a few megabytes at a time; while PostgreSQL stores one lot on the other core, Node parses
// the next — unless the dataset's checks query the database between batches (`checkBatch`): a
// connection in the middle of a COPY takes no other statement, so then each lot is waited for.
//
// An apply of new rows skips the stage where it can (DirectCopy): each lot is first copied
// straight into the table under a savepoint, and only a lot the table refuses (a key already
// there) goes through the stage, with every lot after it.
import { sql } from 'drizzle-orm';
import type { Executor, SqlArrayType } from '../bulk.ts';
import type { Backend } from '../client.ts';
import { CopyBuffer, type CopyInto, copyClient, copyFormatter } from '../copy.ts';
import type { ParsedRow } from './rows.ts';
import type { Row } from './spec.ts';

/** The staging table's name: temporary, so one per connection, and dropped with the transaction. */
export const STAGE_TABLE = 'import_stage';
/**
 * The staged row's file row number (its first column): a dry run's examples of changes name it.
 * An apply that may copy straight into the table (DirectCopy) leaves it NULL: its lines must suit
 * the table too, and an apply shows no examples.
 */
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
   * then the table is emptied), so that PostgreSQL writes one lot while Node checks the next; the
   * rows staged after the last lot are the caller's, after `finish`.
   */
  lots?: { rows: number; write: () => Promise<void>; direct?: DirectCopy };
}

/**
 * An apply's shortcut for new rows (both backends): each lot is first copied straight into the
 * table, inside a savepoint; the table's unique key refuses the copy if any of its keys is there
 * already (or a foreign key or check refuses a row), and then the lot, and every lot after it,
 * goes through the stage and `write` as usual. A file of new rows is then loaded at the speed
 * of COPY itself, which staging and inserting doubled in the database's share of the work.
 * Only for a dataset whose staged columns are the table's own, in order, under a unique key.
 */
export interface DirectCopy {
  table: string;
  key: readonly string[];
  /**
   * After a lot went straight in: how many rows, and their keys as one JSON object of arrays by
   * key column (for the record of added rows).
   */
  written: (rows: number, keysJson: string) => Promise<void>;
}

/** Pieces of work queued for the database at most: Node reads on while they run. */
const MAX_QUEUED = 8;
/**
 * Rows in a lot held for a direct copy at most: it stays in Node's memory until the table takes
 * it (64,000 national rows are some 4.5 MB of COPY text). Lots of 250,000 went as fast, but the
 * peak RSS of the national import then ranged from 400 to 550 MB as garbage collection lagged
 * behind; with 64,000, 350–365 MB.
 */
const DIRECT_LOT_ROWS = 64_000;
/** And bytes of COPY text, for rows with long text cells. */
const DIRECT_LOT_BYTES = 16 * 1024 * 1024;
/**
 * Lots copied directly at most; the rest of a bigger file goes through the stage. Each takes a
 * savepoint, a subtransaction, and PostgreSQL keeps the ids of 64 per transaction where other
 * sessions see them cheaply: past that, every snapshot they take looks the others up on disk
 * while the import runs. (The national file takes about 40.)
 */
const MAX_DIRECT_LOTS = 48;
const SAVEPOINT = 'import_direct_lot';

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
  // A lot that may go straight into the table is held until it is complete (its lines carry no
  // file row, so that the same bytes suit the table and, if refused there, the stage).
  let direct = options.sendInBackground ? (options.lots?.direct ?? null) : null;
  const copy = copyClient(tx, backend);
  const lines = copyLines(columns, { fileRow: !direct });
  // The columns of each COPY line, in the stage and (for a direct copy) in the table.
  const copyColumns = [...(direct ? [] : [STAGE_ROW]), ...columns.map((c) => c.name)];
  const toStage = (pieces: readonly Buffer[]) => async () => copy.into(STAGE_TABLE, copyColumns, pieces);
  let staged = 0;
  let sinceLot = 0;
  // The first lot is a 32nd of a full lot, doubling up to a full lot: the database starts writing
  // while Node is still on the first rows, not a full lot later.
  let lotRows = options.lots ? Math.max(1, Math.ceil(options.lots.rows / 32)) : 0;
  // The lot being held for a direct copy: its COPY pieces, and its keys as JSON arrays by key
  // column, written into buffers as they come (no string kept per key).
  const keyColumns = direct ? direct.key.map((k) => columns.find((c) => c.name === k)!) : [];
  const noKeys = () => keyColumns.map(() => new JsonArray());
  let held: Buffer[] = [];
  let heldKeys = noKeys();
  let heldRows = 0;
  let heldBytes = 0;
  let directLots = 0;
  // Once a lot is refused (direct is off), what is still held goes to the stage with its lot.
  const holding = () => direct !== null || held.length > 0;
  // The work runs one piece after another on the transaction's connection; `add` waits only when
  // MAX_QUEUED pieces are pending. A failed piece fails those after it, and the next wait.
  let tail: Promise<void> = Promise.resolve();
  const queued: Array<Promise<void>> = [];
  let stopped = false;
  const send = async (work: () => Promise<void>, limit = MAX_QUEUED) => {
    tail = tail.then(() => (stopped ? undefined : work()));
    tail.catch(() => {}); // observed below, by whoever waits next
    queued.push(tail);
    while (queued.length > limit) await queued.shift();
  };
  const settle = async () => {
    while (queued.length) await queued.shift();
  };
  /**
   * A held lot: straight into the table if it takes it, else into the stage (then written by
   * `write`, unless this is the rows after the last lot, which are the caller's).
   */
  const sendHeld = async (thenWrite: boolean) => {
    const pieces = held;
    const keys = `{${keyColumns.map((c, i) => `${JSON.stringify(c.name)}:${heldKeys[i]!.text()}`).join(',')}}`;
    const rows = heldRows;
    held = [];
    heldKeys = noKeys();
    heldRows = 0;
    heldBytes = 0;
    if (!pieces.length) return;
    // At most one held lot waits while the next is read: each is some megabytes of Node's memory.
    await send(async () => {
      if (direct && (await copyDirect(tx, copy, direct, copyColumns, pieces))) {
        await direct.written(rows, keys);
        if (++directLots === MAX_DIRECT_LOTS) direct = null;
        return;
      }
      // Refused (the rest of the file most likely has rows already there too), or past
      // MAX_DIRECT_LOTS: this lot and all after it go through the stage.
      direct = null;
      if (stopped) return; // the import failed meanwhile: nothing more for it
      await toStage(pieces)();
      if (thenWrite && !stopped) await writeLot();
    }, 1);
  };
  const writeLot = async () => {
    await options.lots!.write();
    await tx.execute(sql`TRUNCATE ${table}`);
  };
  const analyze = () => tx.execute(sql`ANALYZE ${table}`);
  return {
    async add(rows) {
      staged += rows.length;
      sinceLot += rows.length;
      const pieces = lines.take(rows);
      if (holding()) {
        held.push(...pieces);
        for (const piece of pieces) heldBytes += piece.length;
        heldRows += rows.length;
        keyColumns.forEach((c, i) => {
          const values = heldKeys[i]!;
          for (const r of rows) values.push(c.get(r.values));
        });
      } else for (const piece of pieces) await send(toStage([piece]));
      if (options.lots && (sinceLot >= lotRows || heldBytes >= DIRECT_LOT_BYTES)) {
        sinceLot = 0;
        lotRows = Math.min(
          options.lots.rows,
          direct ? DIRECT_LOT_ROWS : Number.POSITIVE_INFINITY,
          lotRows * 2,
        );
        const rest = lines.rest();
        if (holding()) {
          if (rest) held.push(rest);
          await sendHeld(true);
        } else {
          if (rest) await send(toStage([rest]));
          // No ANALYZE of the stage per lot: a lot's write steps through the table's key index
          // (the range check, or a probe per staged row), whatever the stage's figures say.
          await send(writeLot);
        }
      }
      if (!options.sendInBackground) await settle();
    },
    async finish() {
      const rest = lines.rest();
      if (holding()) {
        if (rest) held.push(rest);
        await sendHeld(false);
      } else if (rest) await send(toStage([rest]));
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

/**
 * Copies a held lot straight into its table, inside a savepoint: true if the table took it; false
 * (the savepoint rolled back, nothing of the lot kept) if PostgreSQL refused it.
 */
async function copyDirect(
  tx: Executor,
  copy: CopyInto,
  direct: DirectCopy,
  columns: readonly string[],
  pieces: readonly Buffer[],
): Promise<boolean> {
  await tx.execute(sql.raw(`SAVEPOINT ${SAVEPOINT}`));
  try {
    await copy.into(direct.table, columns, pieces);
  } catch (error) {
    // Refused (a key already there, most often): back to before the lot. Anything but a refusal
    // of the data (a lost connection) fails the rollback too, and the import with it.
    if (!isDataRefusal(error)) throw error;
    await tx.execute(sql.raw(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`));
    return false;
  }
  await tx.execute(sql.raw(`RELEASE SAVEPOINT ${SAVEPOINT}`));
  return true;
}

/** An integrity constraint (class 23: unique, foreign key, check, not null) refused a row. */
function isDataRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('23');
}

/**
 * Whether JSON needs to escape a character of the text (a quote, a backslash, a control
 * character, half of a surrogate pair): codes and names almost never.
 */
function needsJsonEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/**
 * Whether the text holds half of a UTF-16 surrogate pair. It would go into the table as U+FFFD
 * (COPY text is UTF-8) but into the undo record as itself, and a rollback would miss its row. No
 * decoder of a file makes one; refused all the same, where it would do harm.
 */
function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    }
  }
  return false;
}

/**
 * A JSON array written into a growing buffer some thousands of values at a time: no string kept
 * per value beyond that, and one call into Buffer's encoder per run (three per value cost a
 * second of the national import).
 */
export class JsonArray {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private run: string[] = [];
  push(value: unknown): void {
    if (typeof value === 'string' && needsJsonEscape(value) && hasLoneSurrogate(value))
      throw new Error(`a key holds half of a UTF-16 surrogate pair: ${JSON.stringify(value).slice(0, 80)}`);
    this.run.push(
      typeof value === 'string' && !needsJsonEscape(value)
        ? `"${value}"`
        : typeof value === 'number' && Number.isFinite(value)
          ? String(value)
          : (JSON.stringify(value) ?? 'null'),
    );
    if (this.run.length >= JSON_RUN) this.flush();
  }
  text(): string {
    this.flush();
    return `[${this.buffer.toString('utf8', 0, this.used)}]`;
  }
  private flush(): void {
    if (!this.run.length) return;
    const text = `${this.used > 0 ? ',' : ''}${this.run.join(',')}`;
    this.run.length = 0;
    const room = Buffer.byteLength(text);
    if (this.used + room > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + room));
      this.buffer.copy(bigger, 0, 0, this.used);
      this.buffer = bigger;
    }
    this.used += this.buffer.write(text, this.used);
  }
}

/** Values of a JsonArray joined before they are written. */
const JSON_RUN = 4096;

/**
 * Rows as lines of COPY text, in pieces of a few megabytes: the file row first (unless told
 * otherwise), then the columns.
 */
function copyLines(columns: readonly StageColumn[], options: { fileRow: boolean }) {
  const format = columns.map((c) => copyFormatter(c.type));
  const first = options.fileRow ? 1 : 0;
  const buffer = new CopyBuffer();
  return {
    /** The pieces these rows filled (the last, partly full, stays for the next rows). */
    take(rows: readonly ParsedRow[]): Buffer[] {
      const pieces: Buffer[] = [];
      const cells: string[] = new Array(columns.length + first);
      for (const r of rows) {
        if (first) cells[0] = String(r.row);
        for (let j = 0; j < columns.length; j++) cells[j + first] = format[j]!(columns[j]!.get(r.values));
        const full = buffer.add(cells);
        if (full) pieces.push(full);
      }
      return pieces;
    },
    rest: () => buffer.rest(),
  };
}
