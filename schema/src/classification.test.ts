import { describe, expect, it } from 'vitest';
import { classBreaks, classIndex } from './classification.ts';

describe('class breaks', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('splits the range evenly for equal interval', () => {
    expect(classBreaks(values, 'EQUAL_INTERVAL', 3)).toEqual([1, 4, 7, 10]);
  });

  it('puts about the same number of values in each quantile class', () => {
    const breaks = classBreaks(values, 'QUANTILE', 5);
    expect(breaks).toHaveLength(6);
    const counts = [0, 0, 0, 0, 0];
    for (const v of values) counts[classIndex(v, breaks)!]! += 1;
    expect(counts).toEqual([2, 2, 2, 2, 2]);
  });

  it('finds the natural groups', () => {
    const grouped = [1, 2, 3, 50, 51, 52, 100, 101, 102];
    expect(classBreaks(grouped, 'NATURAL_BREAKS', 3)).toEqual([1, 50, 100, 102]);
  });

  it('returns fewer classes when the data cannot fill them, never repeated bounds', () => {
    expect(classBreaks([5, 5, 5, 5], 'QUANTILE', 4)).toEqual([5, 5]);
    const skewed = [0, 0, 0, 0, 0, 0, 0, 1, 2, 3];
    const breaks = classBreaks(skewed, 'QUANTILE', 5);
    for (let i = 1; i < breaks.length; i++) expect(breaks[i]).toBeGreaterThan(breaks[i - 1]!);
    expect(classBreaks([], 'EQUAL_INTERVAL', 5)).toEqual([]);
    expect(classBreaks([1, 2], 'NATURAL_BREAKS', 5)).toEqual([1, 2]);
  });

  it('ignores non-finite values', () => {
    expect(classBreaks([1, Number.NaN, 3, Number.POSITIVE_INFINITY], 'EQUAL_INTERVAL', 2)).toEqual([1, 2, 3]);
  });
});

describe('class index', () => {
  const breaks = [0, 10, 20, 30];
  it('is half-open, with the maximum in the last class', () => {
    expect(classIndex(0, breaks)).toBe(0);
    expect(classIndex(9.99, breaks)).toBe(0);
    expect(classIndex(10, breaks)).toBe(1);
    expect(classIndex(30, breaks)).toBe(2);
  });
  it('is null for no data', () => {
    expect(classIndex(null, breaks)).toBeNull();
    expect(classIndex(5, [])).toBeNull();
  });
});
