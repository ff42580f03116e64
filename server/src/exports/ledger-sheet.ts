// GET /export/ledger-sheet.xlsx?county=520526[&unit=…][&preparedBy=…]
// The county's problem ledger as county offices file it (问题整改台账): a title row, the 填报单位 /
// 填报日期 line, a two-row header with merged cells (整改情况 over 整改进展 and 销号日期), bordered
// rows, frozen header, A4 landscape with the header repeated on every printed page, and the
// signature line (审核人 / 填表人) at the foot. The data-exchange export (/export/problems.xlsx)
// stays as it is: that one is read back by an import, this one is printed and signed.
import {
  type Database,
  findDataset,
  findProblems,
  ledgerToday,
  PROBLEM_CATEGORY_LABELS,
  PROBLEM_SOURCE_LABELS,
  PROBLEM_STATUS_LABELS,
  type ProblemRow,
  type ProblemSource,
} from '@rrm/db';
import { identify, problemReadScope, requireLogin, type Viewer } from '@rrm/schema';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Request, Response } from 'express';
import type { GraphQLError } from 'graphql';
import { ConcurrencyLimit } from '../concurrency.ts';
import { readerFor } from '../read-routing.ts';

/** A county's ledger is printed: beyond this many rows, the data export is the tool. */
export const MAX_SHEET_ROWS = 5_000;
/** Sheets built at once (each is built whole in memory, a few MB at most); more are refused with 503. */
const SHEET_SLOTS = 2;

/** The columns of the filed sheet, in order; `group` puts a column under a merged group header. */
const COLUMNS: { header: string; width: number; group?: string }[] = [
  { header: '序号', width: 6 },
  { header: '乡镇', width: 12 },
  { header: '村', width: 12 },
  { header: '问题来源', width: 10 },
  { header: '问题类别', width: 10 },
  { header: '问题描述', width: 36 },
  { header: '责任单位', width: 12 },
  { header: '责任人', width: 10 },
  { header: '整改措施', width: 36 },
  { header: '整改时限', width: 12 },
  { header: '整改进展', width: 16, group: '整改情况' },
  { header: '销号日期', width: 12, group: '整改情况' },
  { header: '备注', width: 18 },
];
export const LEDGER_SHEET_HEADERS = COLUMNS.map((c) => c.header);

const LAST_COLUMN = String.fromCharCode('A'.charCodeAt(0) + COLUMNS.length - 1);
/** Rows 1–2 are the title and the 填报 line; 3–4 the header; problems start at 5. */
const FIRST_DATA_ROW = 5;

class SheetInputError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** Free text from the URL for a line of the sheet: trimmed, at most 50 characters, no control characters. */
function lineText(req: Request, name: string): string | null {
  const raw = req.query[name];
  if (raw == null) return null;
  if (typeof raw !== 'string') throw new SheetInputError(name, 'give it once, as text');
  const text = raw.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(text))
    throw new SheetInputError(name, 'must not contain control characters');
  if (text.length > 50) throw new SheetInputError(name, `at most 50 characters, got ${text.length}`);
  return text || null;
}

const ALLOWED = new Set(['county', 'unit', 'preparedBy']);

export function ledgerSheetHandler(database: Database) {
  const slots = new ConcurrencyLimit(SHEET_SLOTS);
  return async (req: Request, res: Response) => {
    const viewer = await identify(database, {
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
    });
    try {
      requireLogin(viewer, 'the ledger sheet');
    } catch (error) {
      const e = error as GraphQLError;
      res.status(401).json({ errors: [{ message: e.message, extensions: e.extensions }] });
      return;
    }
    let county: string;
    let unit: string | null;
    let preparedBy: string | null;
    try {
      for (const name of Object.keys(req.query))
        if (!ALLOWED.has(name))
          throw new SheetInputError(name, `unknown parameter; use ${[...ALLOWED].join(', ')}`);
      const code = req.query.county;
      if (typeof code !== 'string' || !/^\d{6}$/.test(code))
        throw new SheetInputError('county', 'give a 6-digit county code');
      county = code;
      unit = lineText(req, 'unit');
      preparedBy = lineText(req, 'preparedBy');
    } catch (error) {
      if (!(error instanceof SheetInputError)) throw error;
      res.status(400).json({
        errors: [
          { message: error.message, extensions: { code: 'BAD_USER_INPUT', argument: error.argument } },
        ],
      });
      return;
    }

    // A department user's sheet is of their own county (their scope); another county's would be empty.
    if (viewer.kind === 'user' && viewer.user.role === 'department' && viewer.user.regionScope !== county) {
      res.status(403).json({
        errors: [
          {
            message: `county: your department is in county ${viewer.user.regionScope}, not ${county}`,
            extensions: { code: 'FORBIDDEN', argument: 'county' },
          },
        ],
      });
      return;
    }
    // No queue: each sheet is built whole in memory, so a request beyond the slots is told to retry.
    const release = slots.tryAcquire();
    if (!release) {
      res.setHeader('retry-after', '5');
      res.status(503).json({
        errors: [
          {
            message: 'ledger sheets are being built; try again in a few seconds',
            extensions: { code: 'BUSY' },
          },
        ],
      });
      return;
    }
    try {
      await sendSheet(database, req, res, { county, unit, preparedBy, viewer });
    } finally {
      release();
    }
  };
}

async function sendSheet(
  database: Database,
  req: Request,
  res: Response,
  ask: { county: string; unit: string | null; preparedBy: string | null; viewer: Viewer },
) {
  const { county, unit, preparedBy, viewer } = ask;
  const source = await readerFor(database, (name) => req.get(name));
  const [countyRow] = await source.rows<{ name: string }>(
    sql`SELECT name FROM regions WHERE code = ${county} AND level = 'county'`,
  );
  if (!countyRow) {
    res.status(400).json({
      errors: [
        {
          message: `county: there is no county ${county}`,
          extensions: { code: 'BAD_USER_INPUT', argument: 'county' },
        },
      ],
    });
    return;
  }
  // A department user's sheet holds their department's problems only, as everything they read,
  // and says so in its title and 填报单位.
  const ofDepartment = problemReadScope(viewer);
  const [department] =
    ofDepartment == null
      ? []
      : await source.rows<{ name: string }>(sql`SELECT name FROM departments WHERE id = ${ofDepartment}`);
  const page = await findProblems(
    source.db,
    { regionCode: county, ofDepartment },
    { first: MAX_SHEET_ROWS + 1 },
    { field: 'FOUND_ON' },
  );
  if (page.rows.length > MAX_SHEET_ROWS) {
    res.status(400).json({
      errors: [
        {
          message: `county: more than ${MAX_SHEET_ROWS} problems, too many to print; export the data instead (/export/problems.xlsx)`,
          extensions: { code: 'BAD_USER_INPUT', argument: 'county' },
        },
      ],
    });
    return;
  }
  const dataset = await findDataset(source.db);
  const filer = department ? `${countyRow.name}${department.name}` : countyRow.name;
  const workbook = ledgerWorkbook({
    countyName: filer,
    unit: unit ?? `${filer}（盖章）`,
    date: ledgerToday(),
    preparedBy,
    demo: dataset?.kind === 'demo' ? (dataset.label ?? '') : null,
    problems: page.rows,
  });
  res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader(
    'content-disposition',
    `attachment; filename="ledger-${county}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${countyRow.name}问题整改台账.xlsx`)}`,
  );
  res.setHeader('cache-control', 'no-store');
  res.end(Buffer.from(await workbook.xlsx.writeBuffer()));
}

const THIN = { style: 'thin' } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** 整改进展: the status in words, with the rectified date and "逾期" where it applies. */
function progress(p: ProblemRow): string {
  const status = PROBLEM_STATUS_LABELS[p.status] ?? p.status;
  const parts = [status];
  if (p.rectifiedOn && p.status !== 'closed') parts.push(`${p.rectifiedOn}完成整改`);
  if (p.overdue) parts.push('已逾期');
  return parts.join('，');
}

/** 备注: the problem's number (to find it in the system) and the last verification's note. */
function remark(p: ProblemRow): string {
  const parts = [`问题编号${p.id}`];
  if (p.verificationResult === 'failed' && p.verificationNote) parts.push(`退回：${p.verificationNote}`);
  return parts.join('；');
}

/** The filed sheet as an exceljs workbook (exported for its test). */
export function ledgerWorkbook(sheet: {
  countyName: string;
  unit: string;
  date: string;
  preparedBy: string | null;
  /** The demo dataset's label, said under the title so a printout cannot pass for real data. */
  demo: string | null;
  problems: readonly ProblemRow[];
}): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '巩固拓展脱贫攻坚成果监测';
  const ws = workbook.addWorksheet('问题整改台账', {
    views: [{ state: 'frozen', ySplit: FIRST_DATA_ROW - 1 }],
  });
  ws.columns = COLUMNS.map((c) => ({ width: c.width }));

  ws.mergeCells(`A1:${LAST_COLUMN}1`);
  const title = ws.getCell('A1');
  title.value = `${sheet.countyName}脱贫攻坚问题整改台账${sheet.demo ? '（演示数据）' : ''}`;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 30;

  ws.mergeCells('A2:F2');
  ws.getCell('A2').value = `填报单位：${sheet.unit}`;
  ws.mergeCells(`J2:${LAST_COLUMN}2`);
  ws.getCell('J2').value = `填报日期：${sheet.date}`;
  ws.getCell('J2').alignment = { horizontal: 'right' };

  // Two header rows: a grouped column sits under its group; every other column spans both rows.
  COLUMNS.forEach((column, index) => {
    const letter = String.fromCharCode(65 + index);
    if (column.group) {
      ws.getCell(`${letter}4`).value = column.header;
      return;
    }
    ws.mergeCells(`${letter}3:${letter}4`);
    ws.getCell(`${letter}3`).value = column.header;
  });
  const groups = new Map<string, number[]>();
  COLUMNS.forEach((c, i) => {
    if (c.group) groups.set(c.group, [...(groups.get(c.group) ?? []), i]);
  });
  for (const [group, indexes] of groups) {
    const from = String.fromCharCode(65 + indexes[0]!);
    const to = String.fromCharCode(65 + indexes.at(-1)!);
    ws.mergeCells(`${from}3:${to}3`);
    ws.getCell(`${from}3`).value = group;
  }
  for (const rowNumber of [3, 4]) {
    const row = ws.getRow(rowNumber);
    for (let i = 1; i <= COLUMNS.length; i++) {
      const cell = row.getCell(i);
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    }
  }

  // Problems by township, village and date found, as a county's ledger reads.
  const ordered = [...sheet.problems].sort(
    (a, b) =>
      (a.townshipName ?? '').localeCompare(b.townshipName ?? '', 'zh') ||
      (a.villageName ?? '').localeCompare(b.villageName ?? '', 'zh') ||
      a.foundOn.localeCompare(b.foundOn) ||
      a.id - b.id,
  );
  ordered.forEach((p, index) => {
    const row = ws.addRow([
      index + 1,
      p.townshipName ?? '',
      p.villageName ?? '（县级）',
      p.source ? PROBLEM_SOURCE_LABELS[p.source as ProblemSource] : '',
      PROBLEM_CATEGORY_LABELS[p.category] ?? p.category,
      p.description,
      p.department,
      p.responsiblePerson ?? '',
      p.measures ?? '',
      p.deadline,
      progress(p),
      p.closedOn ?? '',
      remark(p),
    ]);
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: true };
    });
  });

  const lastData = FIRST_DATA_ROW + ordered.length - 1;
  const signature = lastData + 2;
  ws.mergeCells(`A${signature}:F${signature}`);
  ws.getCell(`A${signature}`).value = '审核人：';
  ws.mergeCells(`H${signature}:${LAST_COLUMN}${signature}`);
  ws.getCell(`H${signature}`).value = `填表人：${sheet.preparedBy ?? ''}`;

  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: '3:4',
    printArea: `A1:${LAST_COLUMN}${signature}`,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { oddFooter: '第 &P 页，共 &N 页' };
  return workbook;
}
