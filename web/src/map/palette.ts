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
  PUBLIC_WELFARE_POSTS: 'oranges',
  RELOCATED_PEOPLE: 'purples',
  RELOCATION_EMPLOYMENT_COVERAGE: 'blues',
};

export const NO_DATA_COLOUR = '#d9d9d9';

/** `classes` colours from light to dark; the palest step is skipped (barely visible) unless all 9 are needed. */
export function classColours(indicator: Indicator, classes: number): string[] {
  const ramp = RAMPS[RAMP_OF[indicator]];
  if (classes <= 1) return [ramp[5]];
  const start = classes >= ramp.length ? 0 : 1;
  const span = ramp.length - 1 - start;
  return Array.from({ length: classes }, (_, i) => ramp[start + Math.round((i * span) / (classes - 1))]!);
}

/** Red (falling) to green (rising), ColorBrewer RdYlGn with a neutral middle. */
const DIVERGING = [
  '#a50026',
  '#d73027',
  '#f46d43',
  '#fdae61',
  '#fee08b',
  '#f7f7f7',
  '#d9ef8b',
  '#a6d96a',
  '#66bd63',
  '#1a9850',
  '#006837',
] as const;

/**
 * Colours for classes of a change (比上年增减): each class takes the diverging colour of its middle,
 * scaled by the largest change either way, so that zero stays neutral, falls are red and rises are
 * green whatever the breaks, and a map where everything rose shows only greens.
 */
export function divergingColours(breaks: readonly number[]): string[] {
  const extent = Math.max(Math.abs(breaks[0] ?? 0), Math.abs(breaks[breaks.length - 1] ?? 0)) || 1;
  const middle = (DIVERGING.length - 1) / 2;
  return breaks.slice(1).map((upper, i) => {
    const mid = (breaks[i]! + upper) / 2;
    const step = Math.round(middle + (mid / extent) * middle);
    return DIVERGING[Math.min(DIVERGING.length - 1, Math.max(0, step))]!;
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

/** Listing status colours for 挂牌督战 places; overdue problems outrank the listing status. */
export const STATUS_COLOURS = {
  overdue: '#d64545',
  supervising: '#f08c00',
  lifted: '#2680c2',
  closed: '#3f9142',
} as const;
