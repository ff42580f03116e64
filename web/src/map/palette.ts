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
