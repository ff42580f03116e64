import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, formatView, parseView } from './url-state.ts';

describe('view state in the URL', () => {
  it('round-trips a view', () => {
    const view = {
      indicator: 'EMPLOYMENT_RATE',
      year: 2019,
      method: 'NATURAL_BREAKS',
      classes: 7,
      lang: 'en',
      region: '52',
      level: 'PREFECTURE',
    } as const;
    expect(parseView(formatView(view))).toEqual(view);
  });

  it('falls back to defaults for anything unknown or out of range, never throwing', () => {
    expect(parseView('')).toEqual(DEFAULT_VIEW);
    expect(parseView('?region=5').region).toBeNull();
    expect(parseView('?indicator=GDP&year=1999&method=RANDOM&classes=42&lang=fr')).toEqual(DEFAULT_VIEW);
    expect(parseView('?year=2020.5&classes=2')).toMatchObject({
      year: DEFAULT_VIEW.year,
      classes: DEFAULT_VIEW.classes,
    });
  });
});
