// Streaming writers: each consumes batches of rows and writes them as they come, so a national list
// never sits in memory whole. CSV carries a UTF-8 BOM so Excel opens Chinese text correctly.
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { ExportBatch } from './columns.ts';

export type ExportFormat = 'csv' | 'geojson' | 'xlsx';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The client closed the connection before the file was written (nothing to log). */
export class ClientGone extends Error {
  constructor() {
    super('the client went away');
  }
}

/** Writes, honouring back-pressure: waits for 'drain' when the socket's buffer is full. */
function write(out: Writable, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed) return reject(new ClientGone());
    if (out.write(chunk)) resolve();
    else out.once('drain', resolve);
  });
}

export async function writeCsv(
  out: Writable,
  headers: string[],
  batches: AsyncIterable<ExportBatch>,
): Promise<void> {
  await write(out, '\uFEFF');
  // escape_formulas: a cell starting with =, +, -, @, tab or CR gets a leading ' so that Excel shows
  // it as text rather than running it (a problem description "=HYPERLINK(…)" stays a description).
  const csv = stringify({
    header: true,
    columns: headers,
    escape_formulas: true,
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
  csv.on('data', (chunk: Buffer) => out.write(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    csv.on('end', resolve);
    csv.on('error', reject);
  });
  for await (const batch of batches) {
    for (const row of batch.values) {
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
    }
    // Let the socket catch up between pages.
    if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
  }
  csv.end();
  await ended;
}

export async function writeGeoJson(
  out: Writable,
  headers: string[],
  batches: AsyncIterable<ExportBatch>,
  label: string,
): Promise<void> {
  await write(
    out,
    `{"type":"FeatureCollection","metadata":${JSON.stringify({ dataset: label })},"features":[\n`,
  );
  let first = true;
  for await (const batch of batches) {
    let chunk = '';
    batch.values.forEach((values, i) => {
      const properties = Object.fromEntries(headers.map((h, j) => [h, values[j] ?? null]));
      chunk += `${first ? '' : ',\n'}{"type":"Feature","geometry":${batch.geometries[i] ?? 'null'},"properties":${JSON.stringify(properties)}}`;
      first = false;
    });
    await write(out, chunk);
  }
  await write(out, '\n]}\n');
}

export async function writeXlsx(
  out: Writable,
  headers: string[],
  batches: AsyncIterable<ExportBatch>,
  sheetName: string,
  note: string,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = headers.map((h) => ({
    header: h,
    key: h,
    width: Math.max(10, Math.min(40, h.length * 2 + 4)),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const batch of batches) {
    for (const values of batch.values) sheet.addRow(values).commit();
  }
  sheet.commit();
  const about = workbook.addWorksheet('说明 About');
  about.addRow([note]).commit();
  about.commit();
  await workbook.commit();
}
