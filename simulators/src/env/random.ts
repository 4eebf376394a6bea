/**
 * Seeded randomness for the simulator. One 32-bit seed drives every choice; nothing here reads the
 * platform's entropy, so a seed and a commit rebuild the same run.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A seeded source of random choices. Every method advances the stream deterministically. */
export interface Random {
  /** The seed this stream was built from (after forking: the derived seed). */
  readonly seed: number;
  /** A uniform unsigned 32-bit integer. */
  uint32(): number;
  /** A uniform float in [0, 1). */
  float(): number;
  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /**
   * True with probability `p`. A probability ≤ 0 is false and ≥ 1 is true *without drawing*, so a
   * disabled or zero-probability choice leaves the stream untouched.
   */
  chance(p: number): boolean;
  /** One element, uniformly. Throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** A version-4 layout UUID drawn from the stream. */
  uuid(): string;
  /** An independent stream derived from this seed and a label (does not advance this stream). */
  fork(label: string): Random;
}

const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
const UUID_CODES: number[] = new Array<number>(36).fill(0);
const TWO_POW_32 = 4294967296;

/** FNV-1a over a string, 32 bits: cheap, stable label hashing for {@link Random.fork}. */
export function fnv1a32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Mixes two 32-bit values into a well-spread 32-bit seed (murmur3 finaliser). */
function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h | 0;
}

class SeededRandom implements Random {
  private readonly rng: RandomGenerator;

  constructor(readonly seed: number) {
    this.rng = xoroshiro128plus(seed | 0);
    // xoroshiro's first outputs from a small seed are correlated with it; discard a few.
    for (let i = 0; i < 8; i++) this.rng.next();
  }

  uint32(): number {
    return this.rng.next() >>> 0;
  }

  float(): number {
    return (this.rng.next() >>> 0) / TWO_POW_32;
  }

  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  uuid(): string {
    // Built from char codes in one go: a flat string (not a rope of 20 concatenations), which
    // keeps Map look-ups keyed by ids cheap.
    const a = this.rng.next() >>> 0;
    const b = this.rng.next() >>> 0;
    const c = this.rng.next() >>> 0;
    const d = this.rng.next() >>> 0;
    const u = UUID_CODES;
    let i = 0;
    const hex = (x: number, nibbles: number): void => {
      for (let k = nibbles - 1; k >= 0; k--) u[i++] = HEX_CODES[(x >>> (k * 4)) & 0xf] as number;
    };
    hex(a, 8);
    u[i++] = 45;
    hex(b >>> 16, 4);
    u[i++] = 45;
    hex(0x4000 | (b & 0x0fff), 4);
    u[i++] = 45;
    hex(0x8000 | ((c >>> 16) & 0x3fff), 4);
    u[i++] = 45;
    hex(c & 0xffff, 4);
    hex(d, 8);
    return String.fromCharCode.apply(null, u as unknown as number[]);
  }

  fork(label: string): Random {
    return new SeededRandom(mix(this.seed, fnv1a32(label)));
  }
}

/** Builds the seeded stream for `seed` (any integer; reduced to 32 bits). */
export function createRandom(seed: number): Random {
  return new SeededRandom(seed | 0);
}
