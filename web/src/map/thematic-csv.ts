// The numbers behind a map the browser worked out itself — the monitoring line's shares per region,
// or a county's villages under and over the line — as a CSV to download: one row per region or
// village from the very values the map is coloured by, and those without a value with the reason
// (their code only: the shares' answer names the regions with villages, not the others).
// (The maps the server classes download from /export/map, server/src/exports/map-values.ts.)
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Lang } from '../i18n.ts';
import { saveBlob } from '../save-file.ts';
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
  // escape_formulas: a cell starting with = + - @ is not run as a formula by Excel (as the server's).
  return `\uFEFF${stringify([[...COLUMNS[lang]], ...rows], { escape_formulas: true })}`;
}

/** Downloads the CSV, made in the page (nothing is sent anywhere). */
export function downloadCsv(text: string, fileName: string): void {
  saveBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName);
}
