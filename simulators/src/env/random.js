/**
 * Seeded randomness for the simulator. One 32-bit seed drives every choice; nothing here reads the
 * platform's entropy, so a seed and a commit rebuild the same run.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
const HEX_CODES = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
const UUID_CODES = new Array(36).fill(0);
const TWO_POW_32 = 4294967296;
/** FNV-1a over a string, 32 bits: cheap, stable label hashing for {@link Random.fork}. */
export function fnv1a32(text, basis = 0x811c9dc5) {
    let h = basis >>> 0;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
}
/** Mixes two 32-bit values into a well-spread 32-bit seed (murmur3 finaliser). */
function mix(a, b) {
    let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
    return h | 0;
}
class SeededRandom {
    seed;
    rng;
    constructor(seed) {
        this.seed = seed;
        this.rng = xoroshiro128plus(seed | 0);
        // xoroshiro's first outputs from a small seed are correlated with it; discard a few.
        for (let i = 0; i < 8; i++)
            this.rng.next();
    }
    uint32() {
        return this.rng.next() >>> 0;
    }
    float() {
        return (this.rng.next() >>> 0) / TWO_POW_32;
    }
    int(min, max) {
        if (max <= min)
            return min;
        return min + Math.floor(this.float() * (max - min + 1));
    }
    chance(p) {
        if (p <= 0)
            return false;
        if (p >= 1)
            return true;
        return this.float() < p;
    }
    pick(items) {
        if (items.length === 0)
            throw new RangeError('pick from an empty list');
        return items[this.int(0, items.length - 1)];
    }
    uuid() {
        // Built from char codes in one go: a flat string (not a rope of 20 concatenations), which
        // keeps Map look-ups keyed by ids cheap.
        const a = this.rng.next() >>> 0;
        const b = this.rng.next() >>> 0;
        const c = this.rng.next() >>> 0;
        const d = this.rng.next() >>> 0;
        const u = UUID_CODES;
        let i = 0;
        const hex = (x, nibbles) => {
            for (let k = nibbles - 1; k >= 0; k--)
                u[i++] = HEX_CODES[(x >>> (k * 4)) & 0xf];
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
        return String.fromCharCode.apply(null, u);
    }
    fork(label) {
        return new SeededRandom(mix(this.seed, fnv1a32(label)));
    }
}
/** Builds the seeded stream for `seed` (any integer; reduced to 32 bits). */
export function createRandom(seed) {
    return new SeededRandom(seed | 0);
}
