import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency.ts';

/** A promise and the function that settles it, to hold work open until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('ConcurrencyLimit', () => {
  it('runs at most `slots` pieces of work at once and the rest in arrival order', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const done = gates.map((g, i) =>
      limit.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limit.active).toBe(2);
    gates[1]!.open();
    await done[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    expect(limit.active).toBe(2);
    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(limit.active).toBe(0);
  });

  it('frees the slot when the work throws', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('cut failed')))).rejects.toThrow('cut failed');
    expect(limit.active).toBe(0);
    expect(await limit.run(async () => 'next')).toBe('next');
  });

  it('tryAcquire refuses beyond the slots instead of waiting, and a release frees one slot once', () => {
    const limit = new ConcurrencyLimit(2);
    const first = limit.tryAcquire();
    const second = limit.tryAcquire();
    expect(first).toBeTypeOf('function');
    expect(second).toBeTypeOf('function');
    expect(limit.tryAcquire()).toBeNull();
    expect(limit.active).toBe(2);
    first!();
    first!(); // a second call must not free the other holder's slot
    expect(limit.active).toBe(1);
    const third = limit.tryAcquire();
    expect(third).toBeTypeOf('function');
    expect(limit.tryAcquire()).toBeNull();
    second!();
    third!();
    expect(limit.active).toBe(0);
  });

  it('hands a slot freed by tryAcquire to the first waiter of run', async () => {
    const limit = new ConcurrencyLimit(1);
    const release = limit.tryAcquire()!;
    let ran = false;
    const waiting = limit.run(async () => {
      ran = true;
    });
    await Promise.resolve();
    expect(ran).toBe(false);
    expect(limit.tryAcquire()).toBeNull();
    release();
    await waiting;
    expect(ran).toBe(true);
    expect(limit.active).toBe(0);
  });

  it('refuses a limit that could never run anything', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
    expect(() => new ConcurrencyLimit(1.5)).toThrow(RangeError);
  });
});
