/**
 * An order-independent digest of a replica: the set of (aggregate, version) pairs folded into two
 * 32-bit sums of FNV-1a hashes. Devices and the server's final state are digested the same way,
 * so convergence is a comparison of two short strings per device.
 */

const FNV_PRIME = 0x01000193;
const BASIS_A = 0x811c9dc5;
const BASIS_B = 0x01000193;

/** The two 32-bit hashes of one (aggregate, version) pair, as a digest folds them in. */
export interface PairHashes {
  a: number;
  b: number;
}

/**
 * Both FNV-1a hashes of the text `<prefix>:<key>@<version>` (or `<key>@<version>` when `prefix`
 * is undefined), computed in one pass without building that string; written to `out`.
 */
export function hashPair(prefix: string | undefined, key: string, version: number, out: PairHashes): void {
  let ha = BASIS_A;
  let hb = BASIS_B;
  if (prefix !== undefined) {
    for (let i = 0; i < prefix.length; i++) {
      const c = prefix.charCodeAt(i);
      ha = Math.imul(ha ^ c, FNV_PRIME);
      hb = Math.imul(hb ^ c, FNV_PRIME);
    }
    ha = Math.imul(ha ^ 58 /* : */, FNV_PRIME);
    hb = Math.imul(hb ^ 58, FNV_PRIME);
  }
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    ha = Math.imul(ha ^ c, FNV_PRIME);
    hb = Math.imul(hb ^ c, FNV_PRIME);
  }
  ha = Math.imul(ha ^ 64 /* @ */, FNV_PRIME);
  hb = Math.imul(hb ^ 64, FNV_PRIME);
  const digits = (version | 0) === version && version >= 0 ? null : String(version);
  if (digits === null) {
    // Decimal digits of a non-negative 31-bit integer, most significant first (exact arithmetic).
    let p = 1;
    while (p * 10 <= version) p *= 10;
    for (; p >= 1; p = (p / 10) | 0) {
      const c = 48 + (((version / p) | 0) % 10);
      ha = Math.imul(ha ^ c, FNV_PRIME);
      hb = Math.imul(hb ^ c, FNV_PRIME);
    }
  } else {
    for (let i = 0; i < digits.length; i++) {
      const c = digits.charCodeAt(i);
      ha = Math.imul(ha ^ c, FNV_PRIME);
      hb = Math.imul(hb ^ c, FNV_PRIME);
    }
  }
  out.a = ha >>> 0;
  out.b = hb >>> 0;
}

const scratch: PairHashes = { a: 0, b: 0 };

/** Incremental digest of a set of (aggregate key, version) pairs. */
export class ReplicaDigest {
  private a = 0;
  private b = 0;
  n = 0;

  /** Adds one pair (each aggregate once): both hashes of the text `<agg>@<version>`. */
  add(agg: string, version: number): void {
    hashPair(undefined, agg, version, scratch);
    this.fold(scratch.a, scratch.b);
  }

  /**
   * Adds a pair by its {@link hashPair} hashes — computed once and reused by callers that digest
   * the same pair many times (every converged device of a tenant holds the same pairs).
   */
  fold(a: number, b: number): void {
    this.a = (this.a + a) >>> 0;
    this.b = (this.b + b) >>> 0;
    this.n++;
  }

  /** 16 hex characters. */
  toString(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}
