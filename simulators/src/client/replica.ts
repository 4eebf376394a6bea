/**
 * A device's replica of its tenant's aggregates: the version it holds of each (type, id).
 *
 * Every device of a tenant learns the same aggregates (it pulls the tenant's whole log), so the
 * aggregates are numbered once per tenant ({@link AggregateNumbering}, shared by that tenant's
 * devices in one world) and each device keeps only its versions, in a typed array indexed by that
 * number. A pull then looks each change up in one small, shared, cache-warm table instead of a
 * per-device map of the whole tenant, and the versions live outside the traced JS heap. The
 * numbering is storage, not knowledge: a device holds a version only for what it learnt itself.
 */
import { type PairHashes, type ReplicaDigest, hashPair } from '../history/replica-digest.js';

/** Dense numbers of a tenant's aggregates, in order of first sight by any of its devices. */
export class AggregateNumbering {
  /** type → id → number (nested, so a look-up builds no key string). */
  private readonly byType = new Map<string, Map<string, number>>();
  readonly types: string[] = [];
  readonly ids: string[] = [];
  /**
   * Digest hashes of (aggregate n, hashedVersion[n]), filled by the first device that digests the
   * pair: at the end of a run every device of a tenant holds (mostly) the same pairs.
   */
  private hashedVersion = new Float64Array(0);
  private hashA = new Uint32Array(0);
  private hashB = new Uint32Array(0);
  private readonly pair: PairHashes = { a: 0, b: 0 };
  /**
   * Number of the aggregate of the p-th change of the tenant's log, as the first device to pull
   * it numbered it (-1: not seen). Every device pulls the same log from its start, so the others
   * find a change's number by position — one array read and a check — instead of two map look-ups.
   */
  private byPosition = new Int32Array(1024).fill(-1);

  /** The number of (type, id), or undefined if no device of the tenant has seen it. */
  find(type: string, id: string): number | undefined {
    return this.byType.get(type)?.get(id);
  }

  /** The number of (type, id), assigning the next one on first sight. */
  number(type: string, id: string): number {
    let byId = this.byType.get(type);
    if (byId === undefined) this.byType.set(type, (byId = new Map()));
    let n = byId.get(id);
    if (n === undefined) {
      n = this.ids.length;
      byId.set(id, n);
      this.types.push(type);
      this.ids.push(id);
    }
    return n;
  }

  /**
   * The number of (type, id), the aggregate of the change at `position` of the tenant's log as a
   * device pulled it. The position is a hint: checked against the aggregate, never trusted.
   */
  numberAt(position: number, type: string, id: string): number {
    const byPosition = this.byPosition;
    if (position < byPosition.length) {
      const n = byPosition[position] as number;
      if (n !== -1 && this.ids[n] === id && this.types[n] === type) return n;
    }
    const n = this.number(type, id);
    if (position >= 0 && position < 2 ** 30) {
      if (position >= this.byPosition.length) this.growPositions(position);
      this.byPosition[position] = n;
    }
    return n;
  }

  private growPositions(position: number): void {
    let size = this.byPosition.length * 2;
    while (size <= position) size *= 2;
    const grown = new Int32Array(size).fill(-1);
    grown.set(this.byPosition);
    this.byPosition = grown;
  }

  /** Folds (aggregate n, version) into `d`, hashing the pair only if not cached. */
  foldInto(d: ReplicaDigest, n: number, version: number): void {
    if (n >= this.hashedVersion.length) this.growHashes();
    if (this.hashedVersion[n] !== version) {
      hashPair(this.types[n] as string, this.ids[n] as string, version, this.pair);
      this.hashedVersion[n] = version;
      this.hashA[n] = this.pair.a;
      this.hashB[n] = this.pair.b;
    }
    d.fold(this.hashA[n] as number, this.hashB[n] as number);
  }

  private growHashes(): void {
    const size = this.ids.length;
    const version = new Float64Array(size).fill(Number.NaN);
    version.set(this.hashedVersion);
    const a = new Uint32Array(size);
    a.set(this.hashA);
    const b = new Uint32Array(size);
    b.set(this.hashB);
    this.hashedVersion = version;
    this.hashA = a;
    this.hashB = b;
  }
}

/** Numberings per world (any object standing for one run) and tenant. */
const numberings = new WeakMap<object, Map<string, AggregateNumbering>>();

/** The numbering shared by the devices of `tenant` in `world`. */
export function aggregateNumbering(world: object, tenant: string): AggregateNumbering {
  let byTenant = numberings.get(world);
  if (byTenant === undefined) numberings.set(world, (byTenant = new Map()));
  let numbering = byTenant.get(tenant);
  if (numbering === undefined) byTenant.set(tenant, (numbering = new AggregateNumbering()));
  return numbering;
}

/** One device's versions (NaN: the device does not know the aggregate). */
export class Replica {
  private versions = new Float64Array(64).fill(Number.NaN);

  constructor(private readonly numbering: AggregateNumbering) {}

  /** The version held of (type, id), or undefined. */
  versionOf(type: string, id: string): number | undefined {
    const n = this.numbering.find(type, id);
    if (n === undefined || n >= this.versions.length) return undefined;
    const v = this.versions[n] as number;
    return v !== v ? undefined : v;
  }

  /** Moves the version of (type, id) up to `version`; true if the device did not know it before. */
  raise(type: string, id: string, version: number): boolean {
    return this.raiseNumber(this.numbering.number(type, id), version);
  }

  /**
   * {@link raise} for the change at `position` of the tenant's log (counted from the log's start,
   * as this device pulled it): found by position when another device pulled it first.
   */
  raisePulled(position: number, type: string, id: string, version: number): boolean {
    return this.raiseNumber(this.numbering.numberAt(position, type, id), version);
  }

  private raiseNumber(n: number, version: number): boolean {
    if (n >= this.versions.length) this.grow(n);
    const cur = this.versions[n] as number;
    if (cur !== cur) {
      this.versions[n] = version;
      return true;
    }
    if (version > cur) this.versions[n] = version;
    return false;
  }

  /** Adds every (aggregate, version) held to `d`. */
  digestInto(d: ReplicaDigest): void {
    const numbering = this.numbering;
    const versions = this.versions;
    const end = Math.min(versions.length, numbering.ids.length);
    for (let n = 0; n < end; n++) {
      const v = versions[n] as number;
      if (v === v) numbering.foldInto(d, n, v);
    }
  }

  private grow(n: number): void {
    const next = new Float64Array(Math.max(2 * this.versions.length, n + 1)).fill(Number.NaN);
    next.set(this.versions);
    this.versions = next;
  }
}
