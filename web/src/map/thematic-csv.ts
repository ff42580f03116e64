// The numbers behind a map the browser worked out itself — the monitoring line's shares per region,
// or a county's villages under and over the line — as a CSV to download: one row per region or
// village from the very values the map is coloured by, and those without a value with the reason.
// (The maps the server classes download from /export/map, server/src/exports/map-values.ts.)
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Lang } from '../i18n.ts';
import type { Thematic } from './thematic.ts';

const COLUMNS = {
  zh: ['代码', '名称', '内容', '数值', '分级(1为最低)', '分级范围', '排名', '说明', '无数据原因'],
  en: ['code', 'name', 'measure', 'value', 'class', 'class_range', 'rank', 'detail', 'no_data_reason'],
} as const;

/** The CSV text (with a byte-order mark, so that Excel reads the Chinese as UTF-8). */
export function thematicCsv(thematic: Thematic, lang: Lang): string {
  const rows: (string | number)[][] = thematic.values.map((v) => [
    v.code,
    v.name ?? '',
    thematic.title,
    v.value,
    v.classIndex + 1,
    thematic.legend[v.classIndex]?.label ?? '',
    v.rank,
    v.detail ?? '',
    '',
  ]);
  for (const code of thematic.missing.keys())
    rows.push([code, '', thematic.title, '', '', '', '', '', thematic.whyNoData(code)]);
  rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return `\uFEFF${stringify([[...COLUMNS[lang]], ...rows])}`;
}

/** Downloads `text` as a file, from the page (nothing is sent anywhere). */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
