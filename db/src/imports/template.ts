// Templates: the contract of an import. The first sheet (or, in a CSV, the first line that is not a
// `#` comment) holds the Chinese headers; the second sheet (or the `#` lines) explains each column,
// its unit and whether it is required. A filled template imports as it is.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { datasetSpec } from './datasets.ts';
import type { ColumnSpec, Value } from './spec.ts';

export type TemplateFormat = 'xlsx' | 'csv';

function required(c: ColumnSpec): { zh: string; en: string } {
  return c.required ? { zh: '必填', en: 'required' } : { zh: '选填', en: 'optional' };
}

/** The template's explanation lines (also the CSV's `#` comments). */
export function templateNotes(dataset: string): string[][] {
  const spec = datasetSpec(dataset);
  return spec.columns.map((c) => [
    c.zh,
    c.key,
    c.unitZh ? `${c.unitZh} (${c.unitEn})` : '',
    `${required(c).zh} (${required(c).en})`,
    c.noteZh,
    c.noteEn,
    formatValue(spec.example[c.key] ?? null, c),
  ]);
}

/** A value as the template writes it: 是/否, and a choice (or several, joined by 、) by its Chinese label. */
function formatValue(v: Value, c: ColumnSpec): string {
  if (c.type === 'choice') return c.choices?.find((x) => x.value === v)?.zh ?? (v == null ? '' : String(v));
  if (c.type === 'choices' && typeof v === 'string')
    return v
      .split(',')
      .map((value) => c.choices?.find((x) => x.value === value)?.zh ?? value)
      .join('、');
  if (v === true) return '是';
  if (v === false) return '否';
  return v == null ? '' : String(v);
}

const NOTE_HEADER = [
  '列名',
  '英文键 (key)',
  '单位 (unit)',
  '是否必填 (required)',
  '说明',
  'Notes',
  '示例 (example)',
];

/** Writes a template: xlsx (data sheet + 说明 sheet) or csv (UTF-8 with BOM, `#` comment lines). */
export async function writeTemplate(dataset: string, format: TemplateFormat, path: string): Promise<void> {
  const spec = datasetSpec(dataset);
  if (format === 'csv') {
    const out = createWriteStream(path);
    const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const lines = [
      `# ${spec.zh}（${spec.name}）导入模板：第一行非 # 的行为表头（中文列名，也可用英文键），其下每行一条记录。以 # 开头的行是说明，导入时忽略。`,
      `# Import template for ${spec.en} (${spec.name}): the first line not starting with # is the header (Chinese names or English keys); one record per line below it. Lines starting with # are ignored.`,
      ...templateNotes(dataset).map(
        ([zh, key, unit, req, noteZh, noteEn, example]) =>
          `# ${zh} (${key})；${unit ? `单位 ${unit}；` : ''}${req}；${noteZh} / ${noteEn}${example ? `；例 e.g. ${example}` : ''}`,
      ),
      spec.columns.map((c) => quote(c.zh)).join(','),
    ];
    out.write('\uFEFF');
    out.write(`${lines.join('\r\n')}\r\n`);
    out.end();
    await once(out, 'close');
    return;
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'rural-revitalization-monitor';
  const data = workbook.addWorksheet(spec.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  data.addRow(spec.columns.map((c) => c.zh));
  data.getRow(1).font = { bold: true };
  spec.columns.forEach((c, i) => {
    const column = data.getColumn(i + 1);
    column.width = Math.max(12, c.zh.length * 2 + 4);
    // Codes stay text: Excel would otherwise show 520102001001 as 5.20102E+11 and drop leading zeros.
    if (c.type === 'digits') column.numFmt = '@';
    const note = [c.noteZh, c.noteEn, c.unitZh ? `单位 unit: ${c.unitZh}` : '', required(c).zh]
      .filter(Boolean)
      .join('\n');
    data.getCell(1, i + 1).note = note;
  });
  const notes = workbook.addWorksheet('说明 (notes)');
  notes.addRow(NOTE_HEADER);
  notes.getRow(1).font = { bold: true };
  for (const line of templateNotes(dataset)) notes.addRow(line);
  notes.columns.forEach((c, i) => {
    c.width = [22, 28, 20, 20, 50, 60, 16][i] ?? 16;
  });
  await workbook.xlsx.writeFile(path);
}
