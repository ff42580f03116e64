// The map page's data: its documents (their types are the page's types) and the hooks that read them.
import { useMemo } from 'react';
import { useQuery } from '../api.ts';
import { graphql, type ResultOf, type VariablesOf } from '../graphql.ts';
import type { Indicator } from '../i18n.ts';
import {
  choroplethThematic,
  monitoringLineThematic,
  type Thematic,
  villageThematic,
} from '../map/thematic.ts';
import { FIRST_YEAR, type ViewState } from '../state/url-state.ts';

export const CHOROPLETH = graphql(`
  query($level: RegionLevel!, $indicator: Indicator!, $year: Int!, $method: ClassificationMethod, $classes: Int, $parent: String, $change: Boolean, $breaks: [Float!], $breaksOverYears: [Int!]) {
    choropleth(level: $level, indicator: $indicator, year: $year, method: $method, classes: $classes, parentCode: $parent, change: $change, breaks: $breaks, breaksOverYears: $breaksOverYears) {
      change breaks counts values { code value classIndex rank } noData noVillages
    }
  }
`);
export type Choropleth = ResultOf<typeof CHOROPLETH>['choropleth'];

export const VILLAGE_CHOROPLETH = graphql(`
  query($county: String!, $indicator: Indicator!, $year: Int!, $method: ClassificationMethod, $classes: Int, $change: Boolean, $breaks: [Float!]) {
    villageChoropleth(countyCode: $county, indicator: $indicator, year: $year, method: $method, classes: $classes, change: $change, breaks: $breaks) {
      change breaks counts values { code name value classIndex rank lon lat } noData unreported { code name lon lat }
    }
  }
`);
export type VillageChoropleth = ResultOf<typeof VILLAGE_CHOROPLETH>['villageChoropleth'];
export type VillageChoroplethArgs = VariablesOf<typeof VILLAGE_CHOROPLETH>;

/** The indicators counted from the monitored households (answered once they are loaded). */
export const HOUSEHOLD_INDICATORS: readonly Indicator[] = ['RISK_REMOVED_SHARE', 'HOUSEHOLDS_UNDER_LINE'];

/** The indicators a village has (the relocation figures belong to sites and regions). */
export const VILLAGE_INDICATORS: readonly Indicator[] = [
  'PER_CAPITA_NET_INCOME',
  'EMPLOYMENT_RATE',
  'OUT_MIGRANT_WORKERS',
  'PUBLIC_WELFARE_POSTS',
  'MONITORED_PER_1000',
  // Not RISK_REMOVED_SHARE nor HOUSEHOLDS_UNDER_LINE: counted from household rows, the API gives
  // them for counties and wider regions only (a village's would tell one household's situation).
];

/** What a county's villages are coloured by: the map's indicator, or income under a monitoring line. */
function villageIndicator(view: ViewState): Indicator | null {
  const indicator = view.line != null ? 'PER_CAPITA_NET_INCOME' : view.indicator;
  return VILLAGE_INDICATORS.includes(indicator) ? indicator : null;
}

/**
 * The village classes of the county drilled into, as the main map asks for them: its indicator,
 * method, classes, mode and fixed legend (the monitoring line maps incomes); null without a county
 * or for an indicator villages do not have.
 */
export function villageChoroplethArgs(view: ViewState): VillageChoroplethArgs | null {
  const indicator = villageIndicator(view);
  if (!view.county || !indicator) return null;
  const lineMode = view.line != null;
  return {
    county: view.county,
    indicator,
    year: view.year,
    method: view.method,
    classes: view.classes,
    change: !lineMode && view.change && view.year > FIRST_YEAR,
    ...(view.breaks && !lineMode ? { breaks: view.breaks } : {}),
  };
}

const INCOMES = graphql(`
  query($level: RegionLevel!, $year: Int!, $parent: String) {
    villageIncomes(level: $level, year: $year, parentCode: $parent) { code name incomes }
  }
`);
export type RegionIncomes = ResultOf<typeof INCOMES>['villageIncomes'][number];

/** What the banner says about the data, and the provinces' label points. */
export const DATASET_AND_PROVINCES = graphql(`
  { dataset { label demo householdsLoading parts { name kind nameZh nameEn } } provinces { name labelPoint } }
`);
export type DatasetSummary = NonNullable<ResultOf<typeof DATASET_AND_PROVINCES>['dataset']>;
export type Province = ResultOf<typeof DATASET_AND_PROVINCES>['provinces'][number];

export const KPIS = graphql(`
  query($year: Int!, $parent: String, $level: RegionLevel!, $monitoring: Boolean!) {
    regionStats(level: $level, year: $year, parentCode: $parent) {
      isTotal name counties povertyVillages relocatedPeople perCapitaNetIncome employmentRate
      supervisedCounties supervisedVillages openProblems overdueProblems
    }
    monitoringStats(level: $level, parentCode: $parent, year: $year) @include(if: $monitoring) {
      monitored earlyWarning
    }
  }
`);
export type Kpis = ResultOf<typeof KPIS>['regionStats'][number];

/** Monitored households at the end of the year and today's early warnings (预警), summed over the view. */
export interface MonitoringKpis {
  monitored: number;
  earlyWarning: number;
}

/** The monitoring counts of a KPI answer (none before monitoring began in 2020). */
export function monitoringKpis(answer: ResultOf<typeof KPIS> | null): MonitoringKpis | null {
  const rows = answer?.monitoringStats;
  if (!rows) return null;
  return {
    monitored: rows.reduce((s, r) => s + r.monitored, 0),
    earlyWarning: rows.reduce((s, r) => s + r.earlyWarning, 0),
  };
}

export const REGION = graphql('query($code: String!) { region(code: $code) { code name bbox } }');

export type ChoroplethArgs = VariablesOf<typeof CHOROPLETH>;

export function useChoropleth(args: ChoroplethArgs | null, onError: (message: string) => void) {
  // While a new answer is on its way the previous one stays on the map (no flash of grey).
  return useQuery(CHOROPLETH, args, onError, { keepPrevious: true })?.choropleth ?? null;
}

/** Village incomes per region, only while the monitoring line is shown. */
export function useVillageIncomes(
  args: VariablesOf<typeof INCOMES> | null,
  onError: (message: string) => void,
) {
  return useQuery(INCOMES, args, onError, { keepPrevious: true })?.villageIncomes ?? null;
}

/** The thematic model of one map: the monitoring line, or the API's classes of a value or change. */
/**
 * Where a map's class breaks come from when not from its own values alone: fixed (the breaks of
 * the year a playback started from) or computed over other years too (the compare view).
 */
export type SharedBreaks = { breaks: number[] } | { overYears: number[] } | null;

/** The choropleth a map of the view asks for. */
export function choroplethArgs(
  view: ViewState,
  indicator: Indicator,
  year: number,
  shared: SharedBreaks,
): ChoroplethArgs {
  return {
    level: view.level,
    indicator,
    year,
    method: view.method,
    classes: view.classes,
    parent: view.region,
    change: view.change && year > FIRST_YEAR,
    // Only when set: the usual request (and its cached answer) stays as it was.
    ...(shared && 'breaks' in shared ? { breaks: shared.breaks } : {}),
    ...(shared && 'overYears' in shared ? { breaksOverYears: shared.overYears } : {}),
  };
}

/**
 * The download of the values behind a map (server/src/exports/map-values.ts): the same
 * choropleth as the map's, so the file holds the classes and ranks the map shows.
 */
export function mapValuesUrl(
  args: ChoroplethArgs | VillageChoroplethArgs,
  format: 'csv' | 'xlsx',
  lang: 'zh' | 'en',
): string {
  const { parent, breaks, breaksOverYears, change, ...rest } = args as ChoroplethArgs &
    Partial<VillageChoroplethArgs>;
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries(rest)) if (value != null) p.set(key, String(value));
  if (parent) p.set('parentCode', parent);
  if (change) p.set('change', '1');
  if (Array.isArray(breaks)) p.set('breaks', breaks.join(','));
  if (Array.isArray(breaksOverYears)) p.set('breaksOverYears', breaksOverYears.join(','));
  p.set('lang', lang);
  return `/export/map.${format}?${p.toString()}`;
}

export function useThematic(
  view: ViewState,
  indicator: Indicator,
  year: number,
  onError: (message: string) => void,
  enabled = true,
  shared: SharedBreaks = null,
): Thematic | null {
  const args = enabled ? choroplethArgs(view, indicator, year, shared) : null;
  const choropleth = useChoropleth(args, onError);
  const incomes = useVillageIncomes(
    enabled && view.line != null ? { level: view.level, year, parent: view.region } : null,
    onError,
  );
  return useMemo(() => {
    if (!choropleth) return null;
    if (view.line != null) {
      if (!incomes) return null;
      return monitoringLineThematic(incomes, view.line, year, view.lang, {
        codes: [...choropleth.values.map((v) => v.code), ...choropleth.noData],
        noVillages: choropleth.noVillages,
      });
    }
    return choroplethThematic(choropleth, indicator, year, view.lang);
  }, [choropleth, incomes, view.line, indicator, year, view.lang]);
}

/** The villages of the county drilled into, classed (see villageChoroplethArgs). */
export function useVillageThematic(view: ViewState, onError: (message: string) => void) {
  const args = villageChoroplethArgs(view);
  const indicator = villageIndicator(view);
  // Null without a county (the last answer is not kept: it was another county's).
  const answer = useQuery(VILLAGE_CHOROPLETH, args, onError)?.villageChoropleth ?? null;
  return useMemo(
    () => (answer && indicator ? villageThematic(answer, indicator, view.year, view.lang, view.line) : null),
    [answer, indicator, view.year, view.lang, view.line],
  );
}
