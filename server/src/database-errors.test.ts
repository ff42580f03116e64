import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logUnavailable } from './database-errors.ts';

describe('the log of an unreachable database', () => {
  let lines: string[];
  beforeEach(() => {
    vi.useFakeTimers();
    lines = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('writes one line per code every 5 s, and the count it held back even when the outage ends', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    logUnavailable(refused, '/graphql');
    logUnavailable(refused, '/tiles/a');
    logUnavailable({ cause: refused }, '/tiles/b');
    // Not a database outage: nothing.
    logUnavailable(new Error('syntax error'), '/graphql');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/database unavailable \(ECONNREFUSED\) in \/graphql$/);
    // The outage ends: no request comes to carry the count, the window's end writes it.
    vi.advanceTimersByTime(5_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/database unavailable \(ECONNREFUSED\) 2 more times$/);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
  });
});
