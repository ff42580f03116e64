// Class breaks for choropleth maps. Pure functions; the maths comes from simple-statistics.
import { ckmeans, equalIntervalBreaks, quantileSorted } from 'simple-statistics';

export type ClassificationMethod = 'QUANTILE' | 'EQUAL_INTERVAL' | 'NATURAL_BREAKS';
export const MIN_CLASSES = 3;
export const MAX_CLASSES = 9;

/**
 * Breaks as ascending bounds [b0, b1, …, bk]: class i holds values in [b_i, b_{i+1}), the last class
 * also its upper bound. Fewer than `classes` classes come back when the data cannot fill them
 * (few distinct values, or quantiles that coincide).
 */
export function classBreaks(
  values: readonly number[],
  method: ClassificationMethod,
  classes: number,
): number[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  if (min === max) return [min, max];
  let breaks: number[];
  switch (method) {
    case 'EQUAL_INTERVAL':
      breaks = equalIntervalBreaks(sorted, classes);
      break;
    case 'QUANTILE':
      breaks = Array.from({ length: classes + 1 }, (_, i) => quantileSorted(sorted, i / classes));
      break;
    case 'NATURAL_BREAKS': {
      // Ckmeans: optimal 1-D clustering, the exact form of what Jenks' natural breaks approximate.
      const clusters = ckmeans(sorted, Math.min(classes, new Set(sorted).size));
      breaks = [...clusters.map((c) => c[0]!), max];
      break;
    }
  }
  breaks[0] = min;
  breaks[breaks.length - 1] = max;
  return breaks.filter((b, i) => i === 0 || b > breaks[i - 1]!);
}

/** The class a value falls in (0-based), or null for no data. */
export function classIndex(value: number | null | undefined, breaks: readonly number[]): number | null {
  if (value == null || !Number.isFinite(value) || breaks.length < 2) return null;
  const classes = breaks.length - 1;
  for (let i = 0; i < classes; i++) {
    if (value < breaks[i + 1]!) return Math.max(0, i);
  }
  return classes - 1;
}
