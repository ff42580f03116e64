// Deterministic randomness. Every entity draws from its own stream, seeded by a hash of the dataset
// seed and the entity's key, so a value never depends on the order things are generated in, and the
// same code always yields the same village, site or problem at every scale.

/** 32-bit FNV-1a hash of a string. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  between(min: number, max: number): number;
  int(min: number, maxInclusive: number): number;
  chance(p: number): boolean;
  /** Standard normal (Box–Muller). */
  normal(): number;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
}

/**
 * mulberry32: small, fast, good enough for synthetic data, and identical on every platform. A
 * class, not an object of closures: the national load makes some ten million streams, and eight
 * closures each (wrapped again by the TypeScript loader to keep their names) cost seconds.
 */
class Mulberry32 implements Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
}

export function randomStream(seed: number | string): Random {
  return new Mulberry32(typeof seed === 'number' ? seed : hash32(seed));
}

/** A stream for one entity of one kind, e.g. entityRandom(seed, 'village', '5134…'). */
export function entityRandom(seed: number, kind: string, key: string): Random {
  return randomStream(hash32(`${seed}:${kind}:${key}`));
}

/** A stable pseudo-random rank in [0, 1) for choosing "the first k" of a set by hash order. */
export function rank(seed: number, kind: string, key: string): number {
  return hash32(`${seed}:${kind}:${key}`) / 4294967296;
}
