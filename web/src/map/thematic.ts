// What the choropleth shows, whatever the mode: each region's value and class, the class colours,
// the legend rows and how a value reads in the tooltip. Pure functions, unit-tested.
import type { Choropleth, VillageChoropleth } from '../data/queries.ts';
import { formatValue, INDICATOR_INFO, type Indicator, type Lang, t } from '../i18n.ts';
import {
  classColours,
  divergingColours,
  NO_DATA_COLOUR,
  NO_VILLAGES_COLOUR,
  OVER_LINE,
  SHARE_CLASSES,
  UNDER_LINE,
} from './palette.ts';

export interface ThematicValue {
  code: string;
  /** Not asked for by the choropleth (the tiles carry names); set for the monitoring line. */
  name?: string;
  value: number;
  classIndex: number;
  /** 1 = highest among the regions shown. */
  rank: number;
  /** Extra words for the tooltip, e.g. "12 / 340 村". */
  detail?: string;
}

export interface LegendRow {
  colour: string;
  label: string;
  count: number;
}

export interface Thematic {
  title: string;
  values: ThematicValue[];
  colours: string[];
  legend: LegendRow[];
  /** A value as the tooltip and side panel show it, with its unit. */
  format: (value: number) => string;
  /** The class bounds, for a choropleth (a playback keeps them; see app.tsx). */
  breaks?: readonly number[];
  /**
   * The regions shown without a value, by why: no monitored village lies in them, or their villages
   * reported no figure (the map paints each its own grey; regions outside the view stay unpainted).
   */
  missing: ReadonlyMap<string, Missing>;
  /** Why a region has no value, as the tooltip says it (a region outside the view: "no data"). */
  whyNoData: (code: string) => string;
}

export type Missing = 'noVillages' | 'notReported';

/**
 * The legend's rows for the regions without a value, apart by why: no monitored village at all
 * (无监测村), or villages that reported no figure for the year (未上报). With `change`, a figure
 * is missing when either year lacks it.
 */
function missingRegions(
  noData: readonly string[],
  noVillages: readonly string[],
  lang: Lang,
  change: boolean,
): { missing: Map<string, Missing>; rows: LegendRow[]; whyNoData: (code: string) => string } {
  const without = new Set(noVillages);
  const missing = new Map<string, Missing>(
    noData.map((code) => [code, without.has(code) ? 'noVillages' : 'notReported']),
  );
  const words: Record<Missing, string> = {
    noVillages: t('noVillages', lang),
    notReported: t(change ? 'notReportedChange' : 'notReported', lang),
  };
  const count = (why: Missing) => [...missing.values()].filter((m) => m === why).length;
  const rows: LegendRow[] = [];
  if (count('noVillages'))
    rows.push({ colour: NO_VILLAGES_COLOUR, label: words.noVillages, count: count('noVillages') });
  if (count('notReported'))
    rows.push({ colour: NO_DATA_COLOUR, label: words.notReported, count: count('notReported') });
  const whyNoData = (code: string) => {
    const why = missing.get(code);
    return why ? words[why] : t('noData', lang);
  };
  return { missing, rows, whyNoData };
}

/** A value of an indicator with its unit; ratios as %, changes of ratios in percentage points. */
export function indicatorFormatter(indicator: Indicator, lang: Lang, change: boolean) {
  const info = INDICATOR_INFO[indicator];
  return (value: number) => {
    const sign = change && value > 0 ? '+' : '';
    if (info.ratio && change) return `${sign}${(value * 100).toFixed(1)} ${t('points', lang)}`;
    if (info.ratio) return formatValue(value, lang, { ratio: true });
    return `${sign}${formatValue(value, lang)} ${info.unit[lang]}`;
  };
}

export function choroplethThematic(c: Choropleth, indicator: Indicator, year: number, lang: Lang): Thematic {
  const info = INDICATOR_INFO[indicator];
  const colours = c.change ? divergingColours(c.breaks) : classColours(indicator, c.counts.length);
  const label = indicatorFormatter(indicator, lang, c.change);
  // Legend bounds without the unit (the title carries it), so rows stay short.
  // Narrow classes of percentage points need a second decimal to tell their bounds apart.
  const spanPoints = ((c.breaks[c.breaks.length - 1] ?? 0) - (c.breaks[0] ?? 0)) * 100;
  const decimals = spanPoints < 5 ? 2 : 1;
  const bound = (x: number) => {
    const sign = c.change && x > 0 ? '+' : '';
    if (info.ratio)
      return c.change ? `${sign}${(x * 100).toFixed(decimals)}` : formatValue(x, lang, { ratio: true });
    return `${sign}${formatValue(x, lang)}`;
  };
  const legend: LegendRow[] = c.counts.map((count, i) => ({
    colour: colours[i]!,
    label: `${bound(c.breaks[i]!)} – ${bound(c.breaks[i + 1]!)}`,
    count,
  }));
  const { missing, rows, whyNoData } = missingRegions(c.noData, c.noVillages, lang, c.change);
  legend.push(...rows);
  const unit = c.change && info.ratio ? t('points', lang) : info.ratio ? '' : info.unit[lang];
  const what = c.change ? `${year} ${t('changeVsPrevious', lang)}` : String(year);
  return {
    title: `${info[lang]} · ${what}${unit ? ` (${unit})` : ''}`,
    values: c.values,
    colours,
    legend,
    format: label,
    breaks: c.breaks,
    missing,
    whyNoData,
  };
}

/** How many of the sorted values lie strictly under the line (binary search). */
export function countUnder(sorted: readonly number[], line: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < line) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The share class (0 = no village under the line). */
export function shareClass(share: number): number {
  const index = SHARE_CLASSES.findIndex((c) => share <= c.upTo);
  return index < 0 ? SHARE_CLASSES.length - 1 : index;
}

/**
 * 监测线: each region coloured by the share of its villages whose per-capita income is under the
 * line. Recomputed in the browser from the incomes already loaded, so moving the line is instant.
 */
export function monitoringLineThematic(
  regions: readonly { code: string; name: string; incomes: readonly number[] }[],
  line: number,
  year: number,
  lang: Lang,
  /** The regions the map shows (its choropleth's codes), and which of them have no monitored village. */
  shown: { codes: readonly string[]; noVillages: readonly string[] },
): Thematic {
  const withVillages = regions.filter((r) => r.incomes.length > 0);
  const shares = withVillages.map((r) => {
    const under = countUnder(r.incomes, line);
    return { r, under, share: under / r.incomes.length };
  });
  const ranked = [...shares].sort((a, b) => b.share - a.share);
  const rankOf = new Map(ranked.map((s, i) => [s.r.code, i + 1]));
  const counts = SHARE_CLASSES.map(() => 0);
  const values = shares.map(({ r, under, share }) => {
    const classIndex = shareClass(share);
    counts[classIndex]! += 1;
    return {
      code: r.code,
      name: r.name,
      value: share,
      classIndex,
      rank: rankOf.get(r.code)!,
      detail: `${under} / ${r.incomes.length} ${t('villagesUnit', lang)}`,
    };
  });
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const legend: LegendRow[] = SHARE_CLASSES.map((c, i) => ({
    colour: c.colour,
    label: i === 0 ? t('noneUnderLine', lang) : `${pct(SHARE_CLASSES[i - 1]!.upTo)} – ${pct(c.upTo)}`,
    count: counts[i]!,
  }));
  const withIncomes = new Set(withVillages.map((r) => r.code));
  const noData = shown.codes.filter((code) => !withIncomes.has(code));
  const { missing, rows, whyNoData } = missingRegions(noData, shown.noVillages, lang, false);
  legend.push(...rows);
  const lineText = `${formatValue(line, lang)} ${INDICATOR_INFO.PER_CAPITA_NET_INCOME.unit[lang]}`;
  return {
    title: `${t('shareUnderLine', lang)} ${lineText} · ${year}`,
    values,
    colours: SHARE_CLASSES.map((c) => c.colour),
    legend,
    format: (share) => `${(share * 100).toFixed(1)}% ${t('underLine', lang)}`,
    missing,
    whyNoData,
  };
}

/**
 * The villages of a county drilled into: classed by the API over the county's villages for the
 * indicator (the same method, classes, fixed legend and ramp as the regions), or, with a monitoring
 * line, under and over it (worked out here, so moving the line asks nothing). `located` are those
 * the map can draw (a village of a county without a boundary has no place).
 */
export function villageThematic(
  c: VillageChoropleth,
  indicator: Indicator,
  year: number,
  lang: Lang,
  line: number | null,
): Thematic & {
  located: { code: string; name: string; lon: number; lat: number }[];
  /** The villages with a value by code (the tooltip's lookup). */
  byCode: ReadonlyMap<string, ThematicValue>;
} {
  // Those without a figure are drawn too (grey, as their legend row says).
  const located = [...c.values, ...c.unreported].flatMap((v) =>
    v.lon == null || v.lat == null ? [] : [{ code: v.code, name: v.name, lon: v.lon, lat: v.lat }],
  );
  const prefix = `${t('villageClasses', lang)} · `;
  if (line == null) {
    const regional = choroplethThematic({ ...c, noVillages: [] }, indicator, year, lang);
    const byCode = new Map(regional.values.map((v) => [v.code, v]));
    return { ...regional, title: prefix + regional.title, located, byCode };
  }
  const under = c.values.filter((v) => v.value < line).length;
  const unreported = c.noData.length;
  const yuan = t('yuan', lang);
  const legend: LegendRow[] = [
    { colour: UNDER_LINE, label: `< ${formatValue(line, lang)} ${yuan}`, count: under },
    { colour: OVER_LINE, label: `≥ ${formatValue(line, lang)} ${yuan}`, count: c.values.length - under },
  ];
  if (unreported) legend.push({ colour: NO_DATA_COLOUR, label: t('notReported', lang), count: unreported });
  const values = c.values.map((v) => ({ ...v, classIndex: v.value < line ? 0 : 1 }));
  return {
    title: `${prefix}${INDICATOR_INFO.PER_CAPITA_NET_INCOME[lang]} · ${year}`,
    values,
    byCode: new Map(values.map((v) => [v.code, v])),
    colours: [UNDER_LINE, OVER_LINE],
    legend,
    format: indicatorFormatter('PER_CAPITA_NET_INCOME', lang, false),
    missing: new Map(c.noData.map((code) => [code, 'notReported' as const])),
    whyNoData: () => t('notReported', lang),
    located,
  };
}
