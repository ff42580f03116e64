// Which answers may be kept under a day in China (response-cache.ts `settled`): none computed in
// the first minute of the day, when the database's clock, which counts "overdue", may still be on
// the day before; none once the day is over.
import { describe, expect, it } from 'vitest';
import { settled } from './response-cache.ts';

/** A moment in China's time zone (UTC+8). */
const china = (iso: string) => new Date(`${iso}+08:00`).getTime();

describe('keeping answers around midnight in China', () => {
  it('keeps what was computed during the day it is keyed by', () => {
    expect(settled('2026-12-01', china('2026-12-01T12:00:00'))).toBe(true);
    expect(settled('2026-12-01', china('2026-12-01T00:01:00'))).toBe(true);
    expect(settled('2026-12-01', china('2026-12-01T23:59:59'))).toBe(true);
  });

  it('keeps nothing from the first minute of the day, nor under a day that is over', () => {
    expect(settled('2026-12-01', china('2026-12-01T00:00:00'))).toBe(false);
    expect(settled('2026-12-01', china('2026-12-01T00:00:59'))).toBe(false);
    expect(settled('2026-11-30', china('2026-12-01T00:00:30'))).toBe(false);
    expect(settled('2026-11-30', china('2026-12-01T08:00:00'))).toBe(false);
  });
});
