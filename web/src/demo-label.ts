// What the banner and an exported picture say about where the data comes from. The demo dataset
// is generated except the places and the published designation lists; once a user imports a part
// (a dataset of the data page), that part is theirs, and the banner names only what is still
// generated — a partly imported product says which parts are demo data.
import type { DatasetSummary } from './data/queries.ts';
import { type Lang, t } from './i18n.ts';

export type DatasetPart = DatasetSummary['parts'][number];
/** What the labels read of the dataset. */
type Labelled = Pick<DatasetSummary, 'label' | 'demo' | 'parts'>;

const names = (parts: DatasetPart[], lang: Lang) =>
  parts.map((p) => (lang === 'zh' ? p.nameZh : p.nameEn)).join(lang === 'zh' ? '、' : ', ');

/** The banner's text, or null when nothing shown is generated. */
export function demoBanner(dataset: Labelled | null, lang: Lang): string | null {
  if (!dataset?.demo) return null;
  const generated = dataset.parts.filter((p) => p.kind === 'GENERATED');
  const imported = dataset.parts.filter((p) => p.kind === 'IMPORTED');
  if (imported.length === 0) return t('demo', lang);
  if (generated.length === 0) return null;
  return lang === 'zh'
    ? `部分为演示数据：${names(generated, lang)}为生成数据；${names(imported, lang)}已导入。`
    : `Partly demo data: ${names(generated, lang)} generated; ${names(imported, lang)} imported.`;
}

/** The source line of an exported picture: whether what it shows includes generated data. */
export function demoNote(dataset: Labelled | null, lang: Lang): string | null {
  if (!dataset?.demo) return null;
  const generated = dataset.parts.filter((p) => p.kind === 'GENERATED');
  if (generated.length === 0) return null;
  const imported = dataset.parts.some((p) => p.kind === 'IMPORTED');
  return imported ? `${t('demoNote', lang)} (${names(generated, lang)})` : t('demoNote', lang);
}

/**
 * An exported picture's source line: what the data is (generated, partly or wholly imported), where
 * the boundaries come from (the map sources' attributions) and the day the picture was made.
 */
export function sourceLine(
  dataset: Labelled | null,
  lang: Lang,
  attributions: readonly string[],
  day: string,
): string {
  const generated = dataset?.parts.filter((p) => p.kind === 'GENERATED') ?? [];
  const imported = dataset?.parts.filter((p) => p.kind === 'IMPORTED') ?? [];
  const zh = lang === 'zh';
  let data: string;
  if (!dataset) data = zh ? '无数据集' : 'no dataset';
  else if (dataset.demo && imported.length === 0) data = t('demoNote', lang);
  else if (generated.length && dataset.demo)
    data = zh
      ? `${names(imported, lang)}为导入数据，${names(generated, lang)}为生成的演示数据`
      : `${names(imported, lang)} imported; ${names(generated, lang)} generated demo data`;
  else data = dataset.label;
  const parts = [
    `${zh ? '数据' : 'Data'}: ${data}`,
    ...(attributions.length ? [`${zh ? '底图' : 'Map'}: ${attributions.join('; ')}`] : []),
    `${zh ? '制图日期' : 'Made'}: ${day}`,
  ];
  return parts.join(' · ');
}
