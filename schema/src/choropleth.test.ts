import type { ChoroplethValueRow } from '@rrm/db';
import { describe, expect, it } from 'vitest';
import { classifyRegions } from './choropleth.ts';

const row = (code: string, value: number | null): ChoroplethValueRow => ({ code, name: `区${code}`, value });

describe('classifyRegions', () => {
  const rows = [row('01', 30), row('02', 10), row('03', null), row('04', 50), row('05', 20), row('06', 40)];

  it('breaks over the regions with a value and counts each class', () => {
    const result = classifyRegions(rows, 'EQUAL_INTERVAL', 2);
    expect(result.breaks).toEqual([10, 30, 50]);
    // [10, 30) holds 10 and 20; the last class [30, 50] holds 30, 40 and its upper bound 50.
    expect(result.counts).toEqual([2, 3]);
    expect(result.values.map((v) => [v.code, v.classIndex])).toEqual([
      ['01', 1],
      ['02', 0],
      ['04', 1],
      ['05', 0],
      ['06', 1],
    ]);
  });

  it('ranks from the highest value, keeping the rows in their order', () => {
    const { values } = classifyRegions(rows, 'QUANTILE', 5);
    expect(values.map((v) => v.code)).toEqual(['01', '02', '04', '05', '06']);
    expect(values.map((v) => v.rank)).toEqual([3, 5, 1, 4, 2]);
    expect(values[0]).toEqual({ code: '01', name: '区01', value: 30, classIndex: 2, rank: 3 });
  });

  it('lists the regions without a value as no data, outside every class', () => {
    const result = classifyRegions(rows, 'NATURAL_BREAKS', 3);
    expect(result.noData).toEqual(['03']);
    expect(result.values.some((v) => v.code === '03')).toBe(false);
    expect(result.counts.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('has no classes when no region has a value', () => {
    expect(classifyRegions([row('01', null), row('02', null)], 'QUANTILE', 5)).toEqual({
      breaks: [],
      counts: [],
      values: [],
      noData: ['01', '02'],
      noVillages: [],
    });
  });

  it('tells a region with no monitored village from one whose villages reported nothing', () => {
    const result = classifyRegions(
      [row('01', 5), { ...row('02', null), hasVillages: true }, { ...row('03', null), hasVillages: false }],
      'QUANTILE',
      3,
    );
    expect(result.noData).toEqual(['02', '03']);
    expect(result.noVillages).toEqual(['03']);
  });

  it('puts every region in one class when they all have the same value', () => {
    const result = classifyRegions([row('01', 7), row('02', 7)], 'QUANTILE', 5);
    expect(result.breaks).toEqual([7, 7]);
    expect(result.counts).toEqual([2]);
    expect(result.values.map((v) => v.classIndex)).toEqual([0, 0]);
  });

  it('reads numeric strings as numbers', () => {
    const asText = [row('01', '2.5' as unknown as number), row('02', 5)];
    const result = classifyRegions(asText, 'EQUAL_INTERVAL', 3);
    expect(result.values[0]!.value).toBe(2.5);
    expect(result.breaks).toEqual([2.5, 3.3333333333333335, 4.166666666666667, 5]);
    expect(result.values.map((v) => v.rank)).toEqual([2, 1]);
  });
});
