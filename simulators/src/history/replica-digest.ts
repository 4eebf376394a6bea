/**
 * An order-independent digest of a replica: the set of (aggregate, version) pairs folded into two
 * 32-bit sums of FNV-1a hashes. Devices and the server's final state are digested the same way,
 * so convergence is a comparison of two short strings per device.
 */
import { fnv1a32 } from '../env/random.js';

/** Incremental digest of a set of (aggregate key, version) pairs. */
export class ReplicaDigest {
  private a = 0;
  private b = 0;
  n = 0;

  /** Adds one pair (each aggregate once). */
  add(agg: string, version: number): void {
    const text = agg + '@' + version;
    this.a = (this.a + fnv1a32(text)) >>> 0;
    this.b = (this.b + fnv1a32(text, 0x01000193)) >>> 0;
    this.n++;
  }

  /** 16 hex characters. */
  toString(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}
