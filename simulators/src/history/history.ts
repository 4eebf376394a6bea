/**
 * An append-only simulation history with a stable hash: SHA-256 over the JSON lines, each ended by
 * `\n` — exactly the bytes {@link History.writeTo} writes, so `sha256sum history.jsonl` prints the
 * hash the run reported. Entries stay objects in memory (checkers read them directly). Each entry
 * is handled once, as it is added and still hot in the cache: serialised into the running hash,
 * and indexed for the checkers (every mutation numbered, see checkers/history-index.ts) — there is
 * no pass over a million cold entries at the end.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { HistoryEntry } from './history-entry.js';
import { HistoryIndexBuilder, registerIndexBuilder } from '../checkers/history-index.js';

/**
 * Lines are hashed in chunks of this many: a chunk (~13 KB) stays a young-generation string that
 * dies in the next scavenge; big chunks go to large-object space and push the old generation
 * towards full collections of the whole history.
 */
const HASH_CHUNK_LINES = 64;
/** Lines per chunk when writing a file or building the text. */
const WRITE_CHUNK_LINES = 2048;
/** Feeds one chunk of text to a hash as its UTF-8 bytes (the bytes the file holds). */
function update(h: Hash, text: string): void {
  h.update(text, 'utf8');
}

/** The JSON line of an entry (without the newline). */
export function entryLine(e: HistoryEntry): string {
  return JSON.stringify(e);
}

/** The recorded history of one simulation. */
export class History {
  readonly entries: HistoryEntry[] = [];
  private readonly indexer = new HistoryIndexBuilder(this.entries);
  private readonly sha = createHash('sha256');
  private lines: string[] = [];
  /** Entries serialised into {@link sha} so far. */
  private hashed = 0;
  private digest: string | undefined;

  constructor() {
    registerIndexBuilder(this.entries, this.indexer);
  }

  /** Appends one entry (and serialises it into the running hash and the checkers' index). */
  add(entry: HistoryEntry): void {
    const i = this.entries.length;
    this.entries.push(entry);
    this.indexer.add(entry, i);
    if (this.digest !== undefined) return; // hash already taken: {@link hash} recomputes if asked again
    this.lines.push(entryLine(entry));
    if (this.lines.length >= HASH_CHUNK_LINES) this.flush();
  }

  private flush(): void {
    const lines = this.lines;
    if (lines.length === 0) return;
    const n = lines.length;
    // A trailing empty line makes join end the chunk with its newline: one flat string, where
    // `join(…) + '\n'` built a second one for the hash to flatten again.
    lines.push('');
    update(this.sha, lines.join('\n'));
    this.hashed += n;
    this.lines = [];
  }

  /** Number of entries of one kind added through {@link add}. */
  countOf(kind: HistoryEntry['k']): number {
    return this.indexer.countOf(kind);
  }

  /** Number of entries. */
  get length(): number {
    return this.entries.length;
  }

  /** Serialises the history in chunks of complete lines. */
  *chunks(): Generator<string> {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i += WRITE_CHUNK_LINES) {
      const end = Math.min(entries.length, i + WRITE_CHUNK_LINES);
      const lines = new Array<string>(end - i);
      for (let j = i; j < end; j++) lines[j - i] = entryLine(entries[j] as HistoryEntry);
      yield lines.join('\n') + '\n';
    }
  }

  /** The JSON-lines text (small histories; large ones should use {@link writeTo}). */
  toJsonLines(): string {
    let out = '';
    for (const c of this.chunks()) out += c;
    return out;
  }

  /**
   * SHA-256 (hex) of the JSON-lines serialisation. Computed as entries were added; the first call
   * closes the running hash. Entries pushed to `entries` directly (or added after the first call)
   * are caught by the count and make this re-serialise everything.
   */
  hash(): string {
    if (this.digest === undefined) {
      this.flush();
      this.digest = this.sha.digest('hex');
    }
    return this.hashed === this.entries.length ? this.digest : hashEntries(this.entries);
  }

  /** Writes the JSON lines to `path` and resolves to their SHA-256. */
  async writeTo(path: string): Promise<string> {
    const h = createHash('sha256');
    const out = createWriteStream(path, { encoding: 'utf8' });
    for (const c of this.chunks()) {
      update(h, c);
      if (!out.write(c)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    return h.digest('hex');
  }
}

/** SHA-256 (hex) of entries serialised as JSON lines. */
export function hashEntries(entries: Iterable<HistoryEntry>): string {
  const h = createHash('sha256');
  let lines: string[] = [];
  for (const e of entries) {
    lines.push(entryLine(e));
    if (lines.length >= HASH_CHUNK_LINES) {
      update(h, lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length > 0) update(h, lines.join('\n') + '\n');
  return h.digest('hex');
}

/** Parses JSON lines back into entries (blank lines ignored). */
export function parseJsonLines(text: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    out.push(JSON.parse(line) as HistoryEntry);
  }
  return out;
}
