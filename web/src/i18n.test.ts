import { describe, expect, it } from 'vitest';
import { formatValue } from './i18n.ts';
import { classColours } from './map/palette.ts';

describe('number formatting', () => {
  it('uses 万 and 亿 in Chinese', () => {
    expect(formatValue(12_560, 'zh')).toBe('1.26万');
    expect(formatValue(9_600_000, 'zh')).toBe('960万');
    expect(formatValue(98_990_000, 'zh')).toBe('9899万');
    expect(formatValue(1_234_000_000, 'zh')).toBe('12.3亿');
    expect(formatValue(4_000, 'zh')).toBe('4000');
  });

  it('uses thousands separators in English, percentages for ratios, and says when there is no value', () => {
    expect(formatValue(12_550, 'en')).toBe('12,550');
    expect(formatValue(0.7966, 'en', { ratio: true })).toBe('79.7%');
    expect(formatValue(null, 'zh')).toBe('无数据');
    expect(formatValue(Number.NaN, 'en')).toBe('No data');
  });
});

describe('class colours', () => {
  it('gives one colour per class, light to dark, all different', () => {
    for (let n = 3; n <= 9; n++) {
      const colours = classColours('PER_CAPITA_NET_INCOME', n);
      expect(colours).toHaveLength(n);
      expect(new Set(colours).size).toBe(n);
    }
  });
});
