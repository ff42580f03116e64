// The login limits of throttle.ts on a fake clock: the growing delay per name and address, the slow
// lane for a name guessed from many addresses, and a sweep that forgets nothing a guesser could use.
import { describe, expect, it } from 'vitest';
import {
  LoginThrottle,
  NAME_FREE_FAILURES,
  NAME_HOURLY_FAILURES,
  NAME_SLOW_INTERVAL_MS,
} from './throttle.ts';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** One failed attempt that must be admitted. */
function fail(throttle: LoginThrottle, name: string, address: string) {
  expect(throttle.admit(name, address)).toBe(0);
  throttle.settle(name, address, false);
}

describe('LoginThrottle', () => {
  it('doubles the wait after the free failures, per name and address, and a success clears it', () => {
    const time = clock();
    const throttle = new LoginThrottle({ now: time.now, attemptsPerAddress: 1_000 });
    for (let i = 0; i < NAME_FREE_FAILURES - 1; i++) fail(throttle, 'zhang', '10.0.0.1');
    // The fifth failure is admitted and sets the first delay.
    fail(throttle, 'zhang', '10.0.0.1');
    expect(throttle.admit('zhang', '10.0.0.1')).toBe(30);
    time.advance(30_000);
    fail(throttle, 'zhang', '10.0.0.1');
    expect(throttle.admit('zhang', '10.0.0.1')).toBe(60);
    time.advance(60_000);
    fail(throttle, 'zhang', '10.0.0.1');
    expect(throttle.admit('zhang', '10.0.0.1')).toBe(120);
    // Another address is not held up by these failures.
    expect(throttle.admit('zhang', '10.0.0.2')).toBe(0);
    throttle.settle('zhang', '10.0.0.2', true);
    // A success from the first address clears its count.
    time.advance(120_000);
    expect(throttle.admit('zhang', '10.0.0.1')).toBe(0);
    throttle.settle('zhang', '10.0.0.1', true);
    expect(throttle.admit('zhang', '10.0.0.1')).toBe(0);
  });

  it('slows a name guessed from many addresses to one attempt per interval, for everyone', () => {
    const time = clock();
    const throttle = new LoginThrottle({ now: time.now });
    // One guess from each of many addresses: no address reaches its own limits.
    for (let i = 0; i < NAME_HOURLY_FAILURES; i++) {
      fail(throttle, 'admin.li', `10.1.${i >> 8}.${i & 255}`);
      time.advance(100);
    }
    const wait = throttle.admit('admin.li', '10.9.9.9');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(NAME_SLOW_INTERVAL_MS / 1000);
    // Other names are not slowed.
    expect(throttle.admit('someone.else', '10.9.9.9')).toBe(0);
    // After the interval one attempt goes through (the real user gets in), then the lane closes again.
    time.advance(NAME_SLOW_INTERVAL_MS);
    expect(throttle.admit('admin.li', '10.9.9.9')).toBe(0);
    throttle.settle('admin.li', '10.9.9.9', false);
    expect(throttle.admit('admin.li', '10.9.9.8')).toBeGreaterThan(0);
    // An hour without failures opens it.
    time.advance(3_600_000);
    expect(throttle.admit('admin.li', '10.9.9.8')).toBe(0);
  });

  it('never slows a name where it logged in lately, and charges the lane’s refusals to the address', () => {
    const time = clock();
    const throttle = new LoginThrottle({ now: time.now, attemptsPerAddress: 20 });
    // The user logs in from the office.
    expect(throttle.admit('zhao', '10.5.0.1')).toBe(0);
    throttle.settle('zhao', '10.5.0.1', true);
    // Guessers elsewhere fill the name's hour.
    for (let i = 0; i < NAME_HOURLY_FAILURES; i++) fail(throttle, 'zhao', `10.6.${i >> 8}.${i & 255}`);
    expect(throttle.admit('zhao', '10.7.0.1')).toBeGreaterThan(0);
    // From the office the user is not slowed.
    expect(throttle.admit('zhao', '10.5.0.1')).toBe(0);
    throttle.settle('zhao', '10.5.0.1', true);
    // Each refusal by the lane spent one of that address's 20 a minute: the 21st is refused by the
    // address's own limit, for up to a minute.
    for (let i = 0; i < 19; i++) throttle.admit('zhao', '10.7.0.1');
    const wait = throttle.admit('zhao', '10.7.0.1');
    expect(wait).toBeGreaterThan(NAME_SLOW_INTERVAL_MS / 1000);
  });

  it('keeps its tables bounded under a spray of names from many addresses', () => {
    const time = clock();
    const throttle = new LoginThrottle({ now: time.now, attemptsPerAddress: 1_000_000 });
    for (let i = 0; i < 120_000; i++) {
      throttle.admit(`name${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      if (i % 1_000 === 0) time.advance(1_001);
    }
    const sizes = throttle as unknown as Record<'addresses' | 'names' | 'nameFailures', Map<string, unknown>>;
    for (const table of ['addresses', 'names', 'nameFailures'] as const)
      expect(sizes[table].size, table).toBeLessThanOrEqual(50_000);
  });

  it('keeps the count of a name being guessed when a spray of other names passes the hard cap', () => {
    const time = clock();
    const throttle = new LoginThrottle({ now: time.now, attemptsPerAddress: 10_000_000 });
    for (let i = 0; i < NAME_FREE_FAILURES; i++) fail(throttle, 'target', '10.8.0.1');
    let admitted = 0;
    for (let i = 0; i < 60_000; i++) {
      throttle.admit(`spray${i}`, `10.9.${(i >> 8) & 255}.${i & 255}`);
      time.advance(1);
      // The guesser keeps trying meanwhile; the first delay (30 s) runs out halfway.
      if (i % 500 === 0 && throttle.admit('target', '10.8.0.1') === 0) {
        admitted++;
        throttle.settle('target', '10.8.0.1', false);
      }
    }
    // One guess got in when the first delay ran out, and it set the doubled one: the count survived.
    expect(admitted).toBe(1);
    expect(throttle.admit('target', '10.8.0.1')).toBeGreaterThan(0);
  });

  it('takes back a success from the name count: a user who logs in often is never slowed', () => {
    const time = clock();
    const throttle = new LoginThrottle({ now: time.now, attemptsPerAddress: 10_000 });
    for (let i = 0; i < NAME_HOURLY_FAILURES * 3; i++) {
      expect(throttle.admit('leader.wang', '10.2.0.1')).toBe(0);
      throttle.settle('leader.wang', '10.2.0.1', true);
      time.advance(1_000);
    }
  });

  it('keeps a blocked name and address through a sweep forced by a spray of other names', () => {
    const time = clock();
    const throttle = new LoginThrottle({ now: time.now, attemptsPerAddress: 100_000 });
    for (let i = 0; i < NAME_FREE_FAILURES; i++) fail(throttle, 'target', '10.3.0.1');
    time.advance(31_000); // the first delay has passed, the count has not
    // 10,001 other names from another address fill the table and force a sweep.
    for (let i = 0; i <= 10_000; i++) fail(throttle, `spray${i}`, '10.3.0.2');
    fail(throttle, 'target', '10.3.0.1');
    // Still counted: the next delay is the doubled one, not a fresh set of free attempts.
    expect(throttle.admit('target', '10.3.0.1')).toBe(60);
  });
});
