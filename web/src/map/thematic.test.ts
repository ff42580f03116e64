import { describe, expect, it } from 'vitest';
import {
  divergingColours,
  NEUTRAL_COLOUR,
  NO_DATA_COLOUR,
  NO_VILLAGES_COLOUR,
  SHARE_CLASSES,
} from './palette.ts';
import { choroplethThematic, countUnder, monitoringLineThematic, shareClass } from './thematic.ts';

describe('change vs previous year', () => {
  it('keeps zero neutral: falls red, rises green, whatever the breaks', () => {
    const colours = divergingColours([-100, -50, 0, 50, 100]);
    expect(colours).toHaveLength(4);
    const [r0, g0] = rgb(colours[0]!);
    const [r3, g3] = rgb(colours[3]!);
    expect(r0).toBeGreaterThan(g0);
    expect(g3).toBeGreaterThan(r3);
    // Everything rose, and by much the same: no red at all, and every class its own green.
    const rises = divergingColours([2.6, 3.2, 3.25, 3.3, 3.4, 3.7]);
    expect(new Set(rises).size).toBe(5);
    for (const c of rises) {
      const [r, g] = rgb(c);
      expect(g).toBeGreaterThan(r);
    }
    // A class that holds zero is neutral; larger falls are darker reds.
    const mixed = divergingColours([-9, -5, -1, 1, 6]);
    expect(mixed[2]).toBe(NEUTRAL_COLOUR);
    expect(rgb(mixed[0]!).reduce((a, b) => a + b)).toBeLessThan(rgb(mixed[1]!).reduce((a, b) => a + b));
  });

  it('reads rates in percentage points with a sign, and says which year is compared', () => {
    const t = choroplethThematic(
      {
        change: true,
        breaks: [-0.02, 0, 0.031],
        counts: [3, 4],
        values: [{ code: '520102', value: 0.031, classIndex: 1, rank: 1 }],
        noData: ['520103', '520111'],
        noVillages: ['520111'],
      },
      'EMPLOYMENT_RATE',
      2021,
      'zh',
    );
    expect(t.title).toBe('脱贫劳动力务工就业率 · 2021 比上年增减 (个百分点)');
    expect(t.format(0.031)).toBe('+3.1 个百分点');
    // No figure and no village are told apart, in the legend and in the tooltip.
    expect(t.legend.map((r) => r.label)).toEqual([
      '-2.0 – 0.0',
      '0.0 – +3.1',
      '无监测村',
      '本年或上年未上报',
    ]);
    expect(t.legend.at(-2)).toMatchObject({ colour: NO_VILLAGES_COLOUR, count: 1 });
    expect(t.legend.at(-1)).toMatchObject({ colour: NO_DATA_COLOUR, count: 1 });
    expect(t.whyNoData('520111')).toBe('无监测村');
    expect(t.whyNoData('520103')).toBe('本年或上年未上报');
    const narrow = choroplethThematic(
      {
        change: true,
        breaks: [0.026, 0.0322, 0.037],
        counts: [1, 1],
        values: [],
        noData: [],
        noVillages: [],
      },
      'EMPLOYMENT_RATE',
      2021,
      'zh',
    );
    expect(narrow.legend.map((r) => r.label)).toEqual(['+2.60 – +3.22', '+3.22 – +3.70']);
  });

  it('writes values with their unit and 万 in Chinese when not a change', () => {
    const t = choroplethThematic(
      { change: false, breaks: [8000, 12000, 17000], counts: [1, 1], values: [], noData: [], noVillages: [] },
      'PER_CAPITA_NET_INCOME',
      2021,
      'zh',
    );
    expect(t.title).toBe('脱贫人口人均纯收入 · 2021 (元)');
    expect(t.format(14500)).toBe('1.45万 元');
    expect(t.legend.map((r) => r.label)).toEqual(['8000 – 1.2万', '1.2万 – 1.7万']);
  });
});

describe('monitoring line', () => {
  it('counts the values under a line by binary search', () => {
    const sorted = [1000, 2000, 2000, 4000, 9000];
    expect(countUnder(sorted, 500)).toBe(0);
    expect(countUnder(sorted, 2000)).toBe(1);
    expect(countUnder(sorted, 2001)).toBe(3);
    expect(countUnder(sorted, 99_999)).toBe(5);
    expect(countUnder([], 4000)).toBe(0);
  });

  it('puts a share in its class: none under the line is a class of its own', () => {
    expect(shareClass(0)).toBe(0);
    expect(shareClass(0.01)).toBe(1);
    expect(shareClass(0.05)).toBe(1);
    expect(shareClass(0.07)).toBe(2);
    expect(shareClass(0.5)).toBe(4);
    expect(shareClass(1)).toBe(SHARE_CLASSES.length - 1);
  });

  it('colours regions by their share under the line, ranks them and counts each class', () => {
    const regions = [
      { code: 'a', name: 'A', incomes: [3000, 3500, 5000, 8000] },
      { code: 'b', name: 'B', incomes: [5000, 6000] },
      { code: 'c', name: 'C', incomes: [] },
    ];
    // Four regions shown: a and b with figures; c reports none this year; d has no village at all.
    const shown = { codes: ['a', 'b', 'c', 'd'], noVillages: ['d'] };
    const t = monitoringLineThematic(regions, 4000, 2020, 'en', shown);
    expect(t.values).toEqual([
      { code: 'a', name: 'A', value: 0.5, classIndex: 4, rank: 1, detail: '2 / 4 villages' },
      { code: 'b', name: 'B', value: 0, classIndex: 0, rank: 2, detail: '0 / 2 villages' },
    ]);
    expect(t.legend.map((r) => r.count)).toEqual([1, 0, 0, 0, 1, 0, 1, 1]);
    expect(t.legend.slice(-2).map((r) => r.label)).toEqual([
      'No monitored villages',
      'Not reported this year',
    ]);
    expect(t.whyNoData('d')).toBe('No monitored villages');
    expect(t.whyNoData('c')).toBe('Not reported this year');
    expect(t.title).toBe('Share of villages under 4,000 yuan · 2020');
    // Moving the line recomputes from the same incomes.
    const higher = monitoringLineThematic(regions, 9000, 2020, 'en', shown);
    expect(higher.values.map((v) => v.value)).toEqual([1, 1]);
  });
});

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
