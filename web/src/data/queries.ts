// The page's data: each hook asks the API once per change of what it depends on and ignores
// answers that arrive after the view moved on.
import { useEffect, useState } from 'react';
import { graphql } from '../api.ts';
import type { Indicator } from '../i18n.ts';
import type { Choropleth } from '../map/thematic.ts';
import type { Level, Method } from '../state/url-state.ts';

const CHOROPLETH = `query($level: RegionLevel!, $indicator: Indicator!, $year: Int!, $method: ClassificationMethod, $classes: Int, $parent: String, $change: Boolean) {
  choropleth(level: $level, indicator: $indicator, year: $year, method: $method, classes: $classes, parentCode: $parent, change: $change) {
    change breaks counts values { code value classIndex rank } noData
  }
}`;

const INCOMES = `query($level: RegionLevel!, $year: Int!, $parent: String) {
  villageIncomes(level: $level, year: $year, parentCode: $parent) { code name incomes }
}`;

/** Runs `load` whenever `key` changes; keeps only the answer for the latest key. */
function useQuery<T>(
  key: string | null,
  load: () => Promise<T>,
  onError: (message: string) => void,
): T | null {
  const [state, setState] = useState<{ key: string; value: T } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key names everything `load` reads
  useEffect(() => {
    if (key === null) return;
    let current = true;
    load()
      .then((value) => current && setState({ key, value }))
      .catch((e: Error) => current && onError(e.message));
    return () => {
      current = false;
    };
  }, [key]);
  // While a new answer is on its way the previous one stays on the map (no flash of grey).
  return key === null ? null : (state?.value ?? null);
}

export interface ChoroplethArgs {
  level: Level;
  indicator: Indicator;
  year: number;
  method: Method;
  classes: number;
  parent: string | null;
  change: boolean;
}

export function useChoropleth(args: ChoroplethArgs | null, onError: (message: string) => void) {
  return useQuery(
    args && JSON.stringify(args),
    () => graphql<{ choropleth: Choropleth }>(CHOROPLETH, { ...args }).then((d) => d.choropleth),
    onError,
  );
}

export interface RegionIncomes {
  code: string;
  name: string;
  incomes: number[];
}

/** Village incomes per region, only while the monitoring line is shown. */
export function useVillageIncomes(
  args: { level: Level; year: number; parent: string | null } | null,
  onError: (message: string) => void,
) {
  return useQuery(
    args && JSON.stringify(args),
    () => graphql<{ villageIncomes: RegionIncomes[] }>(INCOMES, { ...args }).then((d) => d.villageIncomes),
    onError,
  );
}
