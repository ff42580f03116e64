// A choropleth's classes: breaks over the regions that have a value, each region's class and rank,
// and the regions without data. Pure (the values come in), so its rules are tested without a database.
import type { ChoroplethValueRow } from '@rrm/db';
import { type ClassificationMethod, classBreaks, classIndex } from './classification.ts';

export interface ChoroplethValue {
  code: string;
  name: string;
  value: number;
  /** 0-based, from the lowest class. */
  classIndex: number;
  /** 1 = the highest value among the regions with one. */
  rank: number;
}

export interface ChoroplethClasses {
  breaks: number[];
  /** How many regions fall in each class. */
  counts: number[];
  values: ChoroplethValue[];
  /** Codes of the regions whose value is null. */
  noData: string[];
  /** Those of noData with no monitored village at all (the others have villages but no figure). */
  noVillages: string[];
}

export function classifyRegions(
  rows: readonly ChoroplethValueRow[],
  method: ClassificationMethod,
  classes: number,
  /**
   * `breaks`: the caller's own (a fixed legend), used as they are; `alsoOver`: values of other
   * years the breaks are computed over as well, so that a colour means the same in each.
   */
  options: { breaks?: readonly number[]; alsoOver?: readonly number[] } = {},
): ChoroplethClasses {
  // Number(): a SQL numeric can reach us as a string, whatever the row type says.
  const withValue = rows.filter((r) => r.value != null && Number.isFinite(Number(r.value)));
  const breaks = options.breaks
    ? [...options.breaks]
    : classBreaks([...withValue.map((r) => Number(r.value)), ...(options.alsoOver ?? [])], method, classes);
  const counts = Array.from({ length: Math.max(0, breaks.length - 1) }, () => 0);
  const ranked = [...withValue].sort((a, b) => Number(b.value) - Number(a.value));
  const rankOf = new Map(ranked.map((r, i) => [r.code, i + 1]));
  const values = withValue.map((r) => {
    const index = classIndex(Number(r.value), breaks) ?? 0;
    counts[index] = (counts[index] ?? 0) + 1;
    return {
      code: r.code,
      name: r.name,
      value: Number(r.value),
      classIndex: index,
      rank: rankOf.get(r.code)!,
    };
  });
  const noData = rows.filter((r) => r.value == null);
  return {
    breaks,
    counts,
    values,
    noData: noData.map((r) => r.code),
    noVillages: noData.filter((r) => r.hasVillages === false).map((r) => r.code),
  };
}
