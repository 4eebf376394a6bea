/**
 * Dense numbering of scoped string keys — `(tenant, clientMutationId)`, `(device, aggregate)` — so
 * checkers index arrays by number instead of keeping string-keyed maps. The table is open
 * addressing over one array of small integers (hash fingerprint and number side by side): a
 * look-up is one probe plus a comparison of the stored key, usually by identity (a history shares
 * its id strings between entries); it grows by re-inserting stored fingerprints, never re-hashing
 * strings, and allocates nothing per key.
 *
 * Why plain arrays and not typed arrays: a typed array's memory lives outside the JS heap, and V8
 * answers some 64 MB of fresh external memory with a full mark-compact of the whole heap — which,
 * with a million-mutation history in it, costs more than the index. Arrays of small integers grow
 * the heap instead, inside the collector's usual headroom.
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
export function stringHash(s) {
    const n = s.length;
    let h = 0x811c9dc5 ^ n;
    if (n <= FULL_HASH_MAX) {
        for (let i = 0; i < n; i++)
            h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
    }
    else {
        h = Math.imul(h ^ s.charCodeAt(0), FNV_PRIME);
        for (let i = n - TAIL; i < n; i++)
            h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h &= 0x3fffffff;
    return h === 0 ? 1 : h;
}
/** An array of `n` copies of `value` (fast elements, inside the JS heap). */
export function filled(n, value) {
    return new Array(n).fill(value);
}
/**
 * Numbers `(scope, key)` pairs 0, 1, 2, … in order of first sight. The scope (a tenant or device
 * id) is compared, not hashed: the same key in two scopes (cloned devices) just probes one slot on.
 */
export class ScopedInterner {
    /**
     * Four cells per slot — fingerprint (0 = empty), number, key, scope — so a probe reads one cache
     * line: the fingerprint rules out other keys, and the key and scope of a match are compared
     * right there (by identity, when the history shares the strings).
     */
    slots;
    mask;
    /**
     * A small direct-mapped cache of recently used pairs (same four-cell layout), in front of the
     * big table: a history names a mutation again soon after its capture (push, answer, event), so
     * most look-ups stay in this cache-resident array instead of probing the big one.
     */
    recent = emptySlots(RECENT);
    /** Key of each number. */
    keys = [];
    scopeOf = [];
    /** A table expecting about `expected` pairs (it grows beyond that). */
    constructor(expected = 1024) {
        let size = 64;
        while (size < expected * 2)
            size *= 2;
        this.slots = emptySlots(size);
        this.mask = size - 1;
    }
    /** Number of distinct pairs. */
    get size() {
        return this.keys.length;
    }
    /** Scope of number `id`. */
    scope(id) {
        return this.scopeOf[id];
    }
    /** The number of `(scope, key)`, assigning the next one if the pair is new. */
    intern(scope, key) {
        const h = stringHash(key);
        const recent = this.recent;
        const r = 4 * (h & (RECENT - 1));
        if (recent[r] === h && recent[r + 2] === key && recent[r + 3] === scope)
            return recent[r + 1];
        const id = this.internSlow(h, scope, key);
        recent[r] = h;
        recent[r + 1] = id;
        recent[r + 2] = key;
        recent[r + 3] = scope;
        return id;
    }
    internSlow(h, scope, key) {
        const slots = this.slots;
        let i = h & this.mask;
        for (;;) {
            const at = 4 * i;
            const f = slots[at];
            if (f === 0)
                break;
            if (f === h && slots[at + 2] === key && slots[at + 3] === scope)
                return slots[at + 1];
            i = (i + 1) & this.mask;
        }
        const id = this.keys.length;
        const at = 4 * i;
        slots[at] = h;
        slots[at + 1] = id;
        slots[at + 2] = key;
        slots[at + 3] = scope;
        this.keys.push(key);
        this.scopeOf.push(scope);
        if (this.keys.length * 2 > this.mask)
            this.grow();
        return id;
    }
    /** The number of `(scope, key)`, or -1 if it was never interned. */
    find(scope, key) {
        const h = stringHash(key);
        const recent = this.recent;
        const r = 4 * (h & (RECENT - 1));
        if (recent[r] === h && recent[r + 2] === key && recent[r + 3] === scope)
            return recent[r + 1];
        const slots = this.slots;
        let i = h & this.mask;
        for (;;) {
            const at = 4 * i;
            const f = slots[at];
            if (f === 0)
                return -1;
            if (f === h && slots[at + 2] === key && slots[at + 3] === scope)
                return slots[at + 1];
            i = (i + 1) & this.mask;
        }
    }
    grow() {
        const old = this.slots;
        const size = (this.mask + 1) * 2;
        const mask = size - 1;
        const slots = emptySlots(size);
        for (let at = 0; at < old.length; at += 4) {
            const h = old[at];
            if (h === 0)
                continue;
            let i = h & mask;
            while (slots[4 * i] !== 0)
                i = (i + 1) & mask;
            const to = 4 * i;
            slots[to] = h;
            slots[to + 1] = old[at + 1];
            slots[to + 2] = old[at + 2];
            slots[to + 3] = old[at + 3];
        }
        this.slots = slots;
        this.mask = mask;
    }
}
/** Slots of the recent-pairs cache (a power of two). */
const RECENT = 4096;
/** `size` empty slots of four cells (a fast, non-holey array that may hold numbers and strings). */
function emptySlots(size) {
    const slots = new Array(size * 4).fill(0);
    slots[2] = ''; // mixed from the start: storing the first string then changes no elements kind
    return slots;
}
/** Small string → number map with a one-entry cache (tenants, devices: few, repeated in runs). */
export class SmallInterner {
    map = new Map();
    last;
    lastNo = -1;
    /** Names by number. */
    names = [];
    /** The number of `name`, assigning the next one if new. */
    intern(name) {
        if (name === this.last)
            return this.lastNo;
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
    find(name) {
        return name === this.last ? this.lastNo : (this.map.get(name) ?? -1);
    }
    /** Number of names. */
    get size() {
        return this.names.length;
    }
}
