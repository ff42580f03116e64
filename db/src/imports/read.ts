// Reads a user's file as rows of cells, streaming: XLSX through exceljs' WorkbookReader (never the
// whole workbook in memory), CSV through Papa Parse after detecting its encoding (Papa Parse reads
// a national file about five times as fast as csv-parse did, which was most of an import's time). A CSV is UTF-8
// (with or without BOM) when all of it decodes as UTF-8, and GB18030 (the superset of GBK that
// Excel on Chinese Windows writes) otherwise: a strict UTF-8 check over the whole file decides this
// exactly, where a statistical detector can take a short GBK file for Big5 or Shift-JIS.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import unzipper, { type ZipEntry } from 'unzipper';

export type FileFormat = 'csv' | 'xlsx';
export type Encoding = 'utf-8' | 'gb18030';

export interface FileFacts {
  path: string;
  name: string;
  format: FileFormat;
  /** For a CSV. */
  encoding: Encoding | null;
  sha256: string;
  bytes: number;
}

export interface SheetRow {
  sheet: string;
  /** 1-based, as a spreadsheet shows it (for a CSV: the record's number, comment and empty lines counted). */
  row: number;
  cells: unknown[];
}

export class FileFormatError extends Error {}

export function formatOf(path: string): FileFormat | null {
  const ext = extname(path).toLowerCase();
  return ext === '.csv' || ext === '.txt' ? 'csv' : ext === '.xlsx' ? 'xlsx' : null;
}

/** What an XLSX may hold once inflated: far above a full worksheet of 1,048,576 rows of figures. */
const MAX_XLSX_INFLATED = 1024 * 1024 * 1024;
/**
 * The shared strings are read into memory whole (exceljs `sharedStrings: 'cache'`): far below the
 * workbook's cap. 128 MB of XML is millions of distinct texts; a table of codes and figures has few.
 */
const MAX_SHARED_STRINGS = 128 * 1024 * 1024;
/** Deflate packs XML ten- to thirtyfold; a part packed beyond this is built to explode. */
const MAX_XLSX_RATIO = 200;

/**
 * Refuses a zip bomb before the streaming reader inflates it (to memory for the shared strings, to
 * a temporary file for a worksheet that comes before them): first by the sizes its central
 * directory declares, then by inflating it as the reader will (checkInflatedSizes), so that a
 * directory that lies about its sizes does not let a bomb through.
 */
async function checkZipSizes(path: string, name: string): Promise<void> {
  let directory: { files: Array<{ path: string; compressedSize: number; uncompressedSize: number }> };
  try {
    directory = await unzipper.Open.file(path);
  } catch (error) {
    throw new FileFormatError(
      `cannot read ${name} as an XLSX workbook: ${String((error as Error).message).slice(0, 200)}`,
    );
  }
  let total = 0;
  const declared = new Map<string, number>();
  for (const f of directory.files) {
    total += f.uncompressedSize;
    declared.set(f.path, Math.max(declared.get(f.path) ?? 0, f.uncompressedSize));
    if (
      f.uncompressedSize > 1024 * 1024 &&
      f.uncompressedSize > MAX_XLSX_RATIO * Math.max(1, f.compressedSize)
    )
      throw new FileFormatError(
        `${name} is not an ordinary workbook: its part ${f.path.slice(0, 100)} inflates ${Math.round(f.uncompressedSize / Math.max(1, f.compressedSize))}-fold`,
      );
  }
  if (total > MAX_XLSX_INFLATED) throw tooLarge(name, total);
  const sharedStrings = declared.get('xl/sharedStrings.xml') ?? 0;
  if (sharedStrings > MAX_SHARED_STRINGS)
    throw new FileFormatError(
      `${name} holds ${Math.round(sharedStrings / 1024 / 1024)} MB of shared text (xl/sharedStrings.xml); an import reads at most ${MAX_SHARED_STRINGS / 1024 / 1024} MB of it`,
    );
  // Checked against what the directory declares, and the inflation below keeps each part to that.
  await checkInflatedSizes(path, name, declared);
}

const tooLarge = (name: string, bytes: number) =>
  new FileFormatError(
    `${name} inflates to ${bytes > MAX_XLSX_INFLATED ? 'over ' : ''}${Math.round(bytes / 1024 / 1024)} MB; an import takes at most ${MAX_XLSX_INFLATED / 1024 / 1024} MB of workbook`,
  );

/**
 * Inflates every part as exceljs's streaming reader will (unzipper's Parse: the local headers in
 * file order, not the directory) and stops at the first part that inflates beyond the size the
 * directory declared for it, or that the directory does not list, or once the whole passes the
 * cap. Counting the bytes as they come bounds the work: a lying part is refused after at most its
 * declared size and one chunk, never inflated whole.
 */
async function checkInflatedSizes(path: string, name: string, declared: ReadonlyMap<string, number>) {
  const source = createReadStream(path);
  const zip = source.pipe(unzipper.Parse({ forceStream: true }));
  // Once stopped, the parser may still report the stream it lost: nobody is waiting for it then.
  zip.on('error', () => {});
  let total = 0;
  try {
    for await (const entry of zip as AsyncIterable<ZipEntry>) {
      const part = entry.path.slice(0, 100);
      const limit = declared.get(entry.path);
      if (limit === undefined)
        throw new FileFormatError(
          `${name} is not an ordinary workbook: its part ${part} is missing from its directory`,
        );
      let inflated = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        total += chunk.length;
        if (inflated > limit)
          throw new FileFormatError(
            `${name} is not an ordinary workbook: its part ${part} inflates beyond the ${limit} bytes its directory declares`,
          );
        if (total > MAX_XLSX_INFLATED) throw tooLarge(name, total);
      }
    }
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw new FileFormatError(
      `cannot read ${name} as an XLSX workbook: ${String((error as Error).message).slice(0, 200)}`,
    );
  } finally {
    source.destroy();
  }
}

/**
 * Bytes read at a time by the first pass: with the stream's default (64 KB) the national file's
 * 2,400 reads cost more than hashing it (0.35–0.45 s against 0.15–0.2 s at 1 MB).
 */
const INSPECT_CHUNK = 1024 * 1024;

/** One pass over the bytes: SHA-256, size, and (for a CSV) whether it is all valid UTF-8. */
export async function inspectFile(path: string): Promise<FileFacts> {
  const format = formatOf(path);
  if (!format)
    throw new FileFormatError(`unsupported file type ${extname(path) || '(none)'}: use .xlsx or .csv`);
  const hash = createHash('sha256');
  const utf8 = new Utf8Check();
  let bytes = 0;
  for await (const chunk of createReadStream(path, {
    highWaterMark: INSPECT_CHUNK,
  }) as AsyncIterable<Buffer>) {
    // Excel's "Unicode text" is UTF-16: GB18030 would read it as nonsense and find no header.
    if (
      bytes === 0 &&
      format === 'csv' &&
      chunk.length >= 2 &&
      ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
    )
      throw new FileFormatError(
        `${basename(path)} is UTF-16 text (Excel's "Unicode text"): save it as "CSV UTF-8" or as .xlsx`,
      );
    hash.update(chunk);
    bytes += chunk.length;
    if (format === 'csv') utf8.update(chunk);
  }
  if (format === 'xlsx') await checkZipSizes(path, basename(path));
  return {
    path,
    name: basename(path),
    format,
    encoding: format === 'csv' ? (utf8.end() ? 'utf-8' : 'gb18030') : null,
    sha256: hash.digest('hex'),
    bytes,
  };
}

/**
 * Whether a stream of bytes is all valid UTF-8, chunk by chunk, without decoding it (TextDecoder
 * made a string of every chunk only to throw it away): a character cut at a chunk's end is checked
 * with the start of the next.
 */
export class Utf8Check {
  private valid = true;
  private carry: Buffer | null = null;
  update(chunk: Buffer): void {
    if (!this.valid) return;
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = unfinishedCharacter(bytes);
    this.carry = cut ? Buffer.from(bytes.subarray(bytes.length - cut)) : null;
    if (!isUtf8(bytes.subarray(0, bytes.length - cut))) this.valid = false;
  }
  /** True if every byte was UTF-8 and the last character is whole. */
  end(): boolean {
    return this.valid && this.carry === null;
  }
}

/**
 * How many bytes at the end begin a character that is not complete yet (0–3): the last lead byte
 * within three of the end, if it announces more bytes than follow it. Anything else (a stray
 * continuation byte, a byte no UTF-8 has) is left for isUtf8 to refuse.
 */
function unfinishedCharacter(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * The rows of the file's first sheet (an XLSX's first worksheet; a CSV's lines, `#` comments
 * skipped), in batches: one await per batch, not per row, keeps a 2-million-row file fast.
 */
export async function* readRows(facts: FileFacts): AsyncGenerator<SheetRow[]> {
  if (facts.format === 'csv') yield* readCsv(facts);
  else yield* readXlsx(facts);
}

const READ_BATCH = 2000;
/** Characters in one CSV record, and cells in one row: far above any template's. */
const MAX_RECORD_CHARS = 1_000_000;
const MAX_COLUMNS = 500;

/** A record too long to be a spreadsheet row, found before the parser holds it (see csvText). */
class RecordTooLong extends Error {}

/**
 * The CSV's text as the parser gets it:
 * - line ends as one: CRLF (what Excel writes) and a lone CR become LF, so that a file whose lines
 *   end differently (a line appended by another tool) reads as one table; a CR inside a quoted
 *   cell becomes LF too, which is how a cell's line breaks are kept anyway;
 * - no record longer than `maxChars`: Papa Parse keeps an unfinished record and parses it again
 *   from its start with every chunk, so one unclosed quote near the top of a 40 MB file cost
 *   9.5 s of the event loop (20 MB: 2.5 s — it grows with the square). The quotes are followed
 *   here as Papa Parse reads them (a quote opens a cell only at its start; "" inside is a quote)
 *   and a record is cut off once it passes the bound.
 */
function csvText(maxChars: number): Transform {
  let endedInCr = false;
  let inQuotes = false;
  /** A quote just closed a quoted cell: another one straight after is an escaped quote. */
  let justClosed = false;
  let atCellStart = true;
  /** Characters since the last line end outside quotes. */
  let open = 0;
  return new Transform({
    decodeStrings: false,
    transform(chunk, _encoding, done) {
      let text = String(chunk);
      if (endedInCr && text.startsWith('\n')) text = text.slice(1);
      endedInCr = text.endsWith('\r');
      if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
      if (!inQuotes && !justClosed && !text.includes('"')) {
        // The common case, a chunk of figures: no quote to follow.
        const lastEnd = text.lastIndexOf('\n');
        open = lastEnd < 0 ? open + text.length : text.length - lastEnd - 1;
        const last = text.charCodeAt(text.length - 1);
        if (text.length) atCellStart = last === 10 || last === 44;
      } else {
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          open++;
          if (inQuotes) {
            if (c === 34) {
              inQuotes = false;
              justClosed = true;
            }
            continue;
          }
          if (c === 34 && (atCellStart || justClosed)) {
            inQuotes = true;
            justClosed = false;
            atCellStart = false;
            continue;
          }
          justClosed = false;
          atCellStart = c === 44 || c === 10;
          if (c === 10) open = 0;
        }
      }
      if (open > maxChars) return done(new RecordTooLong());
      done(null, text);
    },
  });
}

/**
 * The CSV's records, numbered as a spreadsheet program shows them: every record is a row,
 * including `#` comment lines and empty lines, which are skipped (a cell with line breaks is one
 * row, as Excel shows it).
 */
async function* readCsv(facts: FileFacts): AsyncGenerator<SheetRow[]> {
  const bytes = createReadStream(facts.path);
  const decoder =
    facts.encoding === 'gb18030'
      ? iconv.decodeStream('gb18030')
      : iconv.decodeStream('utf-8', { stripBOM: true });
  const text = bytes.pipe(decoder).pipe(csvText(MAX_RECORD_CHARS));
  const sheet = facts.name;
  const ready: SheetRow[][] = [];
  let row = 0;
  let done = false;
  let failure: Error | null = null;
  let parser: Papa.Parser | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  const fail = (message: string) => {
    failure ??= new FileFormatError(`cannot read ${facts.name} as CSV: ${message.slice(0, 200)}`);
    parser?.abort();
    signal();
  };
  // pipe() does not pass errors on: each stream's own ends the read (never an unhandled 'error').
  bytes.on('error', (error: Error) => fail(error.message));
  decoder.on('error', (error: Error) => fail(error.message));
  text.on('error', (error: Error) =>
    fail(
      error instanceof RecordTooLong
        ? `after row ${row} a record holds over ${MAX_RECORD_CHARS.toLocaleString('en')} characters (a quote not closed?)`
        : error.message,
    ),
  );
  // Papa Parse hands over what it read of each chunk of text (some thousand rows); the text is
  // paused until they are taken, so the file is never held whole however fast it is read (pausing
  // the parser alone would not stop the stream feeding it).
  Papa.parse<string[]>(text, {
    delimiter: ',',
    newline: '\n',
    quoteChar: '"',
    chunk(results, chunkParser) {
      parser = chunkParser;
      text.pause();
      const first = row;
      const batch: SheetRow[] = [];
      for (const record of results.data) {
        row++;
        if (record[0]?.startsWith('#')) continue;
        // A line of only commas (Excel keeps the width of the widest row) is an empty line.
        if (record.every((c) => c.trim() === '')) continue;
        if (record.length > MAX_COLUMNS)
          return fail(`row ${row} has ${record.length} columns; a dataset has at most ${MAX_COLUMNS}`);
        let chars = 0;
        for (const cell of record) chars += cell.length;
        // A record of megabytes is no spreadsheet row (an unclosed quote, or an attack).
        if (chars > MAX_RECORD_CHARS)
          return fail(`row ${row} holds over ${MAX_RECORD_CHARS.toLocaleString('en')} characters`);
        batch.push({ sheet, row, cells: record });
      }
      // A quote that does not close, or text after a closing quote: the cells cannot be trusted.
      const quotes = results.errors.find((e) => e.type === 'Quotes');
      if (quotes) return fail(`row ${first + (quotes.row ?? 0) + 1}: ${quotes.message.toLowerCase()}`);
      ready.push(batch);
      signal();
    },
    complete() {
      done = true;
      signal();
    },
    error(error: Error) {
      fail(error.message);
      done = true;
    },
  });
  try {
    while (true) {
      if (failure) throw failure;
      const batch = ready.shift();
      if (batch) {
        if (batch.length) yield batch;
        continue;
      }
      if (done) break;
      text.resume();
      if (ready.length || failure) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    // Stopped early (the checks gave up, or failed) or at the end: nothing more is read.
    (parser as Papa.Parser | null)?.abort();
    bytes.destroy();
  }
}

/** A read that failed before giving any row: safe to start again (see readXlsx). */
class IncompleteRead extends Error {}

/** How often a workbook is read again after the reader lost one of its parts. */
const XLSX_ATTEMPTS = 3;

/**
 * The first worksheet's rows. exceljs' streaming reader sometimes loses a part of the zip — most
 * often xl/workbook.xml, which exceljs itself writes last (exceljs issue #3064, "Cannot read
 * properties of undefined (reading 'sheets')": 4 reads in 1,000 of a small exceljs-written
 * workbook on this machine) — and then fails before the first row, or reads string cells without
 * their shared strings. Both show before any row is given (the header row holds strings), so such
 * a read is started again, up to three times; rows are never given twice.
 */
async function* readXlsx(facts: FileFacts): AsyncGenerator<SheetRow[]> {
  for (let attempt = 1; ; attempt++) {
    const progress = { gave: false };
    try {
      yield* readXlsxOnce(facts, progress, attempt === XLSX_ATTEMPTS);
      return;
    } catch (error) {
      if (progress.gave || attempt >= XLSX_ATTEMPTS) {
        if (error instanceof FileFormatError) throw error;
        throw new FileFormatError(
          `cannot read ${facts.name} as an XLSX workbook: ${(error as Error).message}`,
        );
      }
    }
  }
}

async function* readXlsxOnce(
  facts: FileFacts,
  progress: { gave: boolean },
  lastAttempt: boolean,
): AsyncGenerator<SheetRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(facts.path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  // The streaming reader names a worksheet from workbook.xml, and reads `model.sheets` without a
  // check when a worksheet comes first in the zip (ExcelJS's own writer sometimes puts it there):
  // "Cannot read properties of undefined (reading 'sheets')". An empty model until workbook.xml is
  // read lets such a sheet through, unnamed (exceljs/exceljs#962): read again in case the part was
  // lost, and on the last attempt take the rows under the name Sheet1.
  (reader as unknown as { model?: { sheets: unknown[] } }).model ??= { sheets: [] };
  let batch: SheetRow[] = [];
  let worksheets = 0;
  const give = (rows: SheetRow[]) => {
    progress.gave = true;
    return rows;
  };
  // The worksheets by hand, not `for await … break`: breaking would end exceljs's reader where it
  // stands, before it deletes the temporary file it wrote a worksheet to (it does so when asked
  // for the next worksheet), and every import would leave one in the system's temp folder.
  const sheets = (reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader>)[Symbol.asyncIterator]();
  try {
    const first = await sheets.next();
    if (!first.done) {
      worksheets++;
      const worksheet = first.value;
      const name = (worksheet as unknown as { name?: string }).name;
      if (!name && !lastAttempt) {
        closeUnread(worksheet);
        throw new IncompleteRead('a worksheet without its name');
      }
      const sheet = name ?? 'Sheet1';
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells = values.slice(1).map(cellValue);
        if (cells.every((c) => c === null || c === '')) continue;
        batch.push({ sheet, row: row.number, cells });
        if (batch.length >= READ_BATCH) {
          yield give(batch);
          batch = [];
        }
      }
      // Only the first worksheet holds data; the template's second explains the columns.
    }
  } finally {
    // Run the reader to its end without reading the other worksheets: it deletes its files. A
    // worksheet it had put in a temporary file comes with a file stream, opened lazily: closed
    // here, with a listener, so that its file's deletion is not an uncaught ENOENT.
    for (;;) {
      const next = await sheets.next().catch(() => ({ done: true as const, value: undefined }));
      if (next.done) break;
      closeUnread(next.value);
    }
  }
  if (worksheets === 0) throw new IncompleteRead('no worksheet found');
  if (batch.length) yield give(batch);
}

/** Closes the file stream of a worksheet that will not be read (exceljs keeps it as `iterator`). */
function closeUnread(worksheet: unknown): void {
  const stream = (worksheet as { iterator?: { on?: unknown; destroy?: unknown } } | undefined)?.iterator;
  if (stream && typeof stream.on === 'function' && typeof stream.destroy === 'function') {
    (stream as NodeJS.ReadableStream & { destroy(): void }).on('error', () => {});
    (stream as { destroy(): void }).destroy();
  }
}

/**
 * An exceljs cell value as a plain value: formulas give their result, rich text its text. A formula
 * saved without its result (written by a program, never calculated) is its formula text, `=…`, so
 * that the cell is refused as not a number or as formula-like text instead of read as
 * "[object Object]".
 */
function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as {
      formula?: string;
      sharedFormula?: string;
      result?: unknown;
      richText?: Array<{ text: string }>;
      text?: unknown;
      error?: string;
    };
    if ('sharedString' in v) throw new IncompleteRead('a string cell without its shared strings');
    if ('result' in v && v.result !== undefined) return cellValue(v.result);
    if (v.formula !== undefined || v.sharedFormula !== undefined)
      return `=${v.formula || v.sharedFormula || ''}`;
    if (v.richText) return v.richText.map((p) => p.text).join('');
    if ('text' in v) return cellValue(v.text);
    if (v.error) return v.error;
  }
  return value;
}

/** Writes text as GB18030 bytes (for tests and users who want what Excel writes). */
export function encodeGb18030(text: string): Buffer {
  return iconv.encode(text, 'gb18030');
}
