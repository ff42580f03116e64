// The map page's data: its documents (their types are the page's types) and the hooks that read them.
import { useMemo } from 'react';
import { useQuery } from '../api.ts';
import { graphql, type ResultOf, type VariablesOf } from '../graphql.ts';
import type { Indicator } from '../i18n.ts';
import { choroplethThematic, monitoringLineThematic, type Thematic } from '../map/thematic.ts';
import { FIRST_YEAR, type ViewState } from '../state/url-state.ts';

export const CHOROPLETH = graphql(`
  query($level: RegionLevel!, $indicator: Indicator!, $year: Int!, $method: ClassificationMethod, $classes: Int, $parent: String, $change: Boolean, $breaks: [Float!], $breaksOverYears: [Int!]) {
    choropleth(level: $level, indicator: $indicator, year: $year, method: $method, classes: $classes, parentCode: $parent, change: $change, breaks: $breaks, breaksOverYears: $breaksOverYears) {
      change breaks counts values { code value classIndex rank } noData
    }
  }
`);
export type Choropleth = ResultOf<typeof CHOROPLETH>['choropleth'];

const INCOMES = graphql(`
  query($level: RegionLevel!, $year: Int!, $parent: String) {
    villageIncomes(level: $level, year: $year, parentCode: $parent) { code name incomes }
  }
`);
export type RegionIncomes = ResultOf<typeof INCOMES>['villageIncomes'][number];

/** What the banner says about the data, and the provinces' label points. */
export const DATASET_AND_PROVINCES = graphql(`
  { dataset { label demo parts { name kind nameZh nameEn } } provinces { name labelPoint } }
`);
export type DatasetSummary = NonNullable<ResultOf<typeof DATASET_AND_PROVINCES>['dataset']>;
export type Province = ResultOf<typeof DATASET_AND_PROVINCES>['provinces'][number];

export const KPIS = graphql(`
  query($year: Int!, $parent: String, $level: RegionLevel!) {
    regionStats(level: $level, year: $year, parentCode: $parent) {
      isTotal name counties povertyVillages relocatedPeople perCapitaNetIncome employmentRate
      supervisedCounties supervisedVillages openProblems overdueProblems
    }
  }
`);
export type Kpis = ResultOf<typeof KPIS>['regionStats'][number];

export const REGION = graphql('query($code: String!) { region(code: $code) { name bbox } }');

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

export function useThematic(
  view: ViewState,
  indicator: Indicator,
  year: number,
  onError: (message: string) => void,
  enabled = true,
  shared: SharedBreaks = null,
): Thematic | null {
  const args: ChoroplethArgs | null = enabled
    ? {
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
      }
    : null;
  const choropleth = useChoropleth(args, onError);
  const incomes = useVillageIncomes(
    enabled && view.line != null ? { level: view.level, year, parent: view.region } : null,
    onError,
  );
  return useMemo(() => {
    if (!choropleth) return null;
    if (view.line != null) {
      if (!incomes) return null;
      const shown = choropleth.values.length + choropleth.noData.length;
      return monitoringLineThematic(incomes, view.line, year, view.lang, shown);
    }
    return choroplethThematic(choropleth, indicator, year, view.lang);
  }, [choropleth, incomes, view.line, indicator, year, view.lang]);
}
