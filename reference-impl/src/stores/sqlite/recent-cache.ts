/**
 * A bounded map of recently used entries in two generations: writes go to the young map; when it
 * is full it becomes the old one and the previous old map is dropped whole; a hit in the old map
 * moves the entry back to the young one. Every operation is O(1).
 *
 * Why not one Map used as an LRU (delete + re-insert, evict the first key): V8's ordered hash
 * tables keep deleted slots until they rehash, so `keys().next()` after many front evictions
 * walks over tombstones. Once the SQLite store's caches were full, every push paid for that walk
 * per cached row — about a tenth of a push's CPU, growing with the cache.
 */
export class RecentCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  /** Holds between `generation` and `2 × generation` entries once full. */
  constructor(private readonly generation: number) {}

  /** The entry under `key`, or `undefined` when none is cached. */
  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined || this.old.size === 0) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.set(key, o);
    }
    return o;
  }

  set(key: string, value: V): void {
    // An older copy in the old generation must not resurface after the young map turns over.
    if (this.old.size > 0) this.old.delete(key);
    this.young.set(key, value);
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
