// Sequential colour ramps (ColorBrewer-derived, 9 steps) per indicator, sampled to the class count.
import type { Indicator } from '../i18n.ts';

const RAMPS = {
  greens: ['#f7fcf5', '#e5f5e0', '#c7e9c0', '#a1d99b', '#74c476', '#41ab5d', '#238b45', '#006d2c', '#00441b'],
  blues: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'],
  oranges: [
    '#fff5eb',
    '#fee6ce',
    '#fdd0a2',
    '#fdae6b',
    '#fd8d3c',
    '#f16913',
    '#d94801',
    '#a63603',
    '#7f2704',
  ],
  purples: [
    '#fcfbfd',
    '#efedf5',
    '#dadaeb',
    '#bcbddc',
    '#9e9ac8',
    '#807dba',
    '#6a51a3',
    '#54278f',
    '#3f007d',
  ],
  reds: ['#fff5f0', '#fee0d2', '#fcbba1', '#fc9272', '#fb6a4a', '#ef3b2c', '#cb181d', '#a50f15', '#67000d'],
} as const;

const RAMP_OF: Record<Indicator, keyof typeof RAMPS> = {
  PER_CAPITA_NET_INCOME: 'greens',
  EMPLOYMENT_RATE: 'blues',
  OUT_MIGRANT_WORKERS: 'purples',
  MONITORED_PER_1000: 'reds',
  RISK_REMOVED_SHARE: 'greens',
  HOUSEHOLDS_UNDER_LINE: 'reds',
  PUBLIC_WELFARE_POSTS: 'oranges',
  RELOCATED_PEOPLE: 'purples',
  RELOCATION_EMPLOYMENT_COVERAGE: 'blues',
};

/** A region with villages but no figure for the year (未上报). */
export const NO_DATA_COLOUR = '#bdbdbd';
/**
 * A region with no monitored village at all: paler than "not reported", it reads as outside the
 * work; and apart from the diverging ramp's neutral middle (#f7f7f7) and the base land (#fbfaf6).
 */
export const NO_VILLAGES_COLOUR = '#e3e3e3';
/** Regions outside the view (beyond the region drilled into): unpainted, the base land shows. */
export const OUTSIDE_COLOUR = 'rgba(0, 0, 0, 0)';
/** A village under the monitoring line, and one at or over it. */
export const UNDER_LINE = '#c81e1e';
export const OVER_LINE = '#4d9a5b';
/** The feature-state classes of regions without a value (classes proper are 0…k-1). */
export const MISSING_CLASS = { noVillages: -1, notReported: -2 } as const;

/** `classes` colours from light to dark; the palest step is skipped (barely visible) unless all 9 are needed. */
export function classColours(indicator: Indicator, classes: number): string[] {
  return spread(RAMPS[RAMP_OF[indicator]], Math.max(1, classes));
}

/** Spreads `count` colours over a light-to-dark ramp, skipping its palest step. */
function spread(ramp: readonly string[], count: number): string[] {
  if (count <= 0) return [];
  if (count === 1) return [ramp[5]!];
  const start = count >= ramp.length ? 0 : 1;
  const span = ramp.length - 1 - start;
  return Array.from({ length: count }, (_, i) => ramp[start + Math.round((i * span) / (count - 1))]!);
}

/** Neither rise nor fall: a class that holds zero. */
export const NEUTRAL_COLOUR = '#f7f7f7';

/**
 * Colours for classes of a change (比上年增减): classes entirely above zero are greens (darker
 * for larger rises), classes entirely below are reds (darker for larger falls), a class holding
 * zero is neutral. Each side is spread over its own ramp, so a map where everything rose a little
 * still shows distinct greens, and never a red.
 */
export function divergingColours(breaks: readonly number[]): string[] {
  const classes = breaks.slice(1).map((upper, i) => ({ lower: breaks[i]!, upper }));
  const falls = classes.filter((c) => c.upper <= 0 && c.lower < 0);
  const rises = classes.filter((c) => c.lower >= 0 && c.upper > 0);
  // Falls run from the largest (darkest) up to zero (lightest): reverse the light-to-dark ramp.
  const red = spread(RAMPS.reds, falls.length).reverse();
  const green = spread(RAMPS.greens, rises.length);
  return classes.map((c) => {
    const fall = falls.indexOf(c);
    if (fall >= 0) return red[fall]!;
    const rise = rises.indexOf(c);
    return rise >= 0 ? green[rise]! : NEUTRAL_COLOUR;
  });
}

/** Share of villages under the monitoring line: none (pale green), then ever deeper reds. */
export const SHARE_CLASSES = [
  { upTo: 0, colour: '#e5f5e0' },
  { upTo: 0.05, colour: '#fee5d9' },
  { upTo: 0.1, colour: '#fcae91' },
  { upTo: 0.25, colour: '#fb6a4a' },
  { upTo: 0.5, colour: '#de2d26' },
  { upTo: 1, colour: '#a50f15' },
] as const;
