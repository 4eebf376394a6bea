/**
 * Dense numbering of scoped string keys — `(tenant, clientMutationId)`, `(device, aggregate)` — so
 * checkers index arrays by number instead of keeping string-keyed maps, plus the growable typed
 * columns the index is made of. The table is open addressing over an Int32Array (hash fingerprint
 * and number side by side): a look-up is one probe plus a comparison of the stored key, usually by
 * identity (a history shares its id strings between entries); it grows by re-inserting stored
 * fingerprints, never re-hashing strings, and allocates nothing per key.
 *
 * Memory: typed arrays live outside the JS heap (nothing for the collector to trace), but V8
 * answers some 64 MB of *fresh* external memory with a full mark-compact of the whole heap. The
 * index is therefore built while a history is recorded (a little at a time); one-shot per-check
 * tables use {@link filled} arrays inside the heap instead.
 */

const FNV_PRIME = 0x01000193;
/** Keys longer than this are hashed on their last {@link TAIL} characters, length and first character. */
const FULL_HASH_MAX = 16;
const TAIL = 12;

/**
 * FNV-1a of a string, finalised so low bits are well mixed; 30 bits, never 0 (0 marks an empty
 * slot), so it stays a small integer on every V8 build. Long keys are hashed on their tail: ids here
 * end in random hex (UUIDs, `<type>:<uuid>`, `resolve:<uuid>`), and keys sharing a tail only cost
 * longer probes, never a wrong answer.
 */
export function stringHash(s: string): number {
  const n = s.length;
  let h = 0x811c9dc5 ^ n;
  if (n <= FULL_HASH_MAX) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  } else {
    h = Math.imul(h ^ s.charCodeAt(0), FNV_PRIME);
    for (let i = n - TAIL; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h &= 0x3fffffff;
  return h === 0 ? 1 : h;
}

/** An array of `n` copies of `value` (fast elements, inside the JS heap). */
export function filled(n: number, value: number): number[] {
  return new Array<number>(n).fill(value);
}

/**
 * Numbers `(scope, key)` pairs 0, 1, 2, … in order of first sight. The scope (a tenant or device
 * id) is compared, not hashed: the same key in two scopes (cloned devices) just probes one slot on.
 */
export class ScopedInterner {
  /** slot*2 = fingerprint (0 = empty), slot*2+1 = number: 8 bytes a slot, outside the traced heap. */
  private slots: Int32Array;
  private mask: number;
  /**
   * A small direct-mapped cache of recently used pairs — four cells a slot: fingerprint, number,
   * key, scope — in front of the big table: a history names a mutation again soon after its
   * capture (push, answer, event), so most look-ups stay in this cache-resident array.
   */
  private readonly recent: unknown[] = emptySlots(RECENT);
  private hashes: Int32Array;
  /** Key of each number. */
  readonly keys: string[] = [];
  private readonly scopeOf: string[] = [];

  /** A table expecting about `expected` pairs (it grows beyond that). */
  constructor(expected = 1024) {
    let size = 64;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
    this.hashes = new Int32Array(size >> 1);
  }

  /** Number of distinct pairs. */
  get size(): number {
    return this.keys.length;
  }

  /** Scope of number `id`. */
  scope(id: number): string {
    return this.scopeOf[id] as string;
  }

  /** The number of `(scope, key)`, assigning the next one if the pair is new. */
  intern(scope: string, key: string): number {
    const h = stringHash(key);
    const recent = this.recent;
    const r = 4 * (h & (RECENT - 1));
    if (recent[r] === h && recent[r + 2] === key && recent[r + 3] === scope) return recent[r + 1] as number;
    const id = this.internSlow(h, scope, key);
    recent[r] = h;
    recent[r + 1] = id;
    recent[r + 2] = key;
    recent[r + 3] = scope;
    return id;
  }

  private internSlow(h: number, scope: string, key: string): number {
    const slots = this.slots;
    let i = h & this.mask;
    for (;;) {
      const f = slots[2 * i] as number;
      if (f === 0) break;
      if (f === h) {
        const id = slots[2 * i + 1] as number;
        if (this.keys[id] === key && this.scopeOf[id] === scope) return id;
      }
      i = (i + 1) & this.mask;
    }
    const id = this.keys.length;
    slots[2 * i] = h;
    slots[2 * i + 1] = id;
    this.keys.push(key);
    this.scopeOf.push(scope);
    this.hashes[id] = h;
    if (this.keys.length * 2 > this.mask) this.grow();
    return id;
  }

  /** The number of `(scope, key)`, or -1 if it was never interned. */
  find(scope: string, key: string): number {
    const h = stringHash(key);
    const recent = this.recent;
    const r = 4 * (h & (RECENT - 1));
    if (recent[r] === h && recent[r + 2] === key && recent[r + 3] === scope) return recent[r + 1] as number;
    const slots = this.slots;
    let i = h & this.mask;
    for (;;) {
      const f = slots[2 * i] as number;
      if (f === 0) return -1;
      if (f === h) {
        const id = slots[2 * i + 1] as number;
        if (this.keys[id] === key && this.scopeOf[id] === scope) return id;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(size * 2);
    const n = this.keys.length;
    const hashes = this.hashes;
    for (let id = 0; id < n; id++) {
      const h = hashes[id] as number;
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = id;
    }
    this.slots = slots;
    this.mask = mask;
    // Numbers stay below half the slot count, so this holds every number the new size allows.
    const grown = new Int32Array(size >> 1);
    grown.set(hashes.subarray(0, n));
    this.hashes = grown;
  }
}

/** Slots of the recent-pairs cache (a power of two). */
const RECENT = 4096;

/** `size` empty slots of four cells (a fast, non-holey array that may hold numbers and strings). */
function emptySlots(size: number): unknown[] {
  const slots: unknown[] = new Array<unknown>(size * 4).fill(0);
  slots[2] = ''; // mixed from the start: storing the first string then changes no elements kind
  return slots;
}

/** Small string → number map with a one-entry cache (tenants, devices: few, repeated in runs). */
export class SmallInterner {
  private readonly map = new Map<string, number>();
  private last: string | undefined;
  private lastNo = -1;
  /** Names by number. */
  readonly names: string[] = [];

  /** The number of `name`, assigning the next one if new. */
  intern(name: string): number {
    if (name === this.last) return this.lastNo;
    let n = this.map.get(name);
    if (n === undefined) {
      n = this.names.length;
      this.map.set(name, n);
      this.names.push(name);
    }
    this.last = name;
    this.lastNo = n;
    return n;
  }

  /** The number of `name`, or -1. */
  find(name: string): number {
    return name === this.last ? this.lastNo : (this.map.get(name) ?? -1);
  }

  /** Number of names. */
  get size(): number {
    return this.names.length;
  }
}

/** A growable column of 32-bit integers (doubles when full; 4 bytes an item). */
export class IntList {
  private a: Int32Array;
  /** Number of items. */
  length = 0;

  constructor(capacity = 1024) {
    this.a = new Int32Array(Math.max(16, capacity));
  }

  /** Appends one item. */
  push(x: number): void {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = x;
  }

  /** Item `i`. */
  get(i: number): number {
    return this.a[i] as number;
  }

  /** The items so far (a view: no copy, so no burst of fresh external memory). */
  toArray(): Int32Array {
    return this.a.subarray(0, this.length);
  }

  /** The items so far followed by `last` (a copy). */
  withLast(last: number): Int32Array {
    const out = new Int32Array(this.length + 1);
    out.set(this.a.subarray(0, this.length));
    out[this.length] = last;
    return out;
  }
}

/** A growable column of doubles (8 bytes an item). */
export class FloatList {
  private a: Float64Array;
  /** Number of items. */
  length = 0;

  constructor(capacity = 1024) {
    this.a = new Float64Array(Math.max(16, capacity));
  }

  /** Appends one item. */
  push(x: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = x;
  }

  /** The items so far (a view). */
  toArray(): Float64Array {
    return this.a.subarray(0, this.length);
  }
}

/** A growable column of bytes (flags, small codes). */
export class ByteList {
  private a: Uint8Array;
  /** Number of items. */
  length = 0;

  constructor(capacity = 1024) {
    this.a = new Uint8Array(Math.max(16, capacity));
  }

  /** Appends one item. */
  push(x: number): void {
    if (this.length === this.a.length) {
      const b = new Uint8Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = x;
  }

  /** The items so far (a view). */
  toArray(): Uint8Array {
    return this.a.subarray(0, this.length);
  }
}
