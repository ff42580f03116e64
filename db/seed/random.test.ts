import { describe, expect, it } from 'vitest';
import { entityRandom, hash32, randomStream, rank } from './random.ts';

describe('deterministic randomness', () => {
  it('gives the same sequence for the same seed, and another for another seed', () => {
    const a = randomStream(42);
    const b = randomStream(42);
    const c = randomStream(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('pins the stream, so a change to the generator shows up as a failing test', () => {
    expect(hash32('522623')).toBe(hash32('522623'));
    expect(randomStream(1).next()).toBeCloseTo(0.6270739405881613, 12);
  });

  it('draws per entity, independent of the order entities are generated in', () => {
    const first = entityRandom(7, 'village', '522623100200').next();
    entityRandom(7, 'village', '999').next();
    expect(entityRandom(7, 'village', '522623100200').next()).toBe(first);
    expect(rank(7, 'k', 'x')).toBe(rank(7, 'k', 'x'));
  });

  it('has the moments a normal draw should have', () => {
    const r = randomStream(99);
    const xs = Array.from({ length: 20_000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
  });

  it('picks by weight', () => {
    const r = randomStream(5);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++)
      counts[
        r.weighted([
          ['a', 3],
          ['b', 1],
        ] as const)
      ]++;
    expect(counts.a / 10_000).toBeGreaterThan(0.72);
    expect(counts.a / 10_000).toBeLessThan(0.78);
  });
});
