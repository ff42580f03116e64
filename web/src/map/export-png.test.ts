import { describe, expect, it } from 'vitest';
import { scaleBar } from './export-png.ts';

describe('the scale bar of an exported picture', () => {
  it('takes the longest round length (1, 2 or 5 × 10^n) that fits', () => {
    // 1 km per pixel, 120 pixels at most: 100 km over 100 pixels.
    expect(scaleBar(1000, 120)).toEqual({ metres: 100_000, pixels: 100, label: '100 km' });
    // 2.5 km per pixel: 300 km fit, so 200 km over 80 pixels.
    expect(scaleBar(2500, 120)).toEqual({ metres: 200_000, pixels: 80, label: '200 km' });
    // 4 m per pixel: 480 m fit, 500 m do not: 200 m over 50 pixels.
    expect(scaleBar(4, 120)).toMatchObject({ metres: 200, pixels: 50, label: '200 m' });
    expect(scaleBar(0.04, 120)).toMatchObject({ metres: 2, label: '2 m' });
  });
});
