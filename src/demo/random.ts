/**
 * A seeded pseudo-random generator for the demo data: the same seed always
 * gives the same region (same names, identifiers and ids), so documentation,
 * screenshots and tests can rely on it. mulberry32 (a 32-bit state, good
 * enough statistical quality for test data, and fast); never for secrets.
 */
import { mulberry32 } from '../core/random.js';

export class Random {
  private readonly source: () => number;

  constructor(seed: number | string) {
    this.source = mulberry32(typeof seed === 'number' ? seed : hashSeed(seed));
  }

  /** A float in [0, 1). */
  next(): number {
    return this.source();
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A string of `length` decimal digits (leading zeros allowed). */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }

  /** A child generator for one part of the data: adding a part never shifts the others. */
  fork(label: string): Random {
    return new Random((hashSeed(label) ^ Math.floor(this.next() * 4294967296)) >>> 0);
  }
}

/** Weighted choice over a fixed list, in O(log n) per draw (cumulative weights). */
export class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly items: readonly T[], weight: (item: T) => number) {
    let sum = 0;
    for (const item of items) {
      sum += Math.max(weight(item), 0);
      this.cumulative.push(sum);
    }
    if (items.length === 0 || sum <= 0) throw new Error('weighted choice needs at least one positive weight');
    this.total = sum;
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}

/** FNV-1a of a text seed, so that "demo" and "42" are both valid seeds. */
function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
