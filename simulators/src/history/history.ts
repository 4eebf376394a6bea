/**
 * An append-only simulation history with a stable hash: SHA-256 over the JSON lines, each ended by
 * `\n` — exactly the bytes {@link History.writeTo} writes, so `sha256sum history.jsonl` prints the
 * hash the run reported. Each entry is handled once, as it is added and still hot in the cache:
 * serialised into the line store (which hashes it) and indexed for the checkers (every mutation
 * numbered, the fields they compare copied into typed columns, see checkers/history-index.ts).
 *
 * Entries are not kept as objects: a day-long run records millions, and keeping them made the
 * garbage collector copy and trace them over and over. An entry is decoded from its line when
 * asked for (witnesses, the few small kinds checkers read whole).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createHash, type Hash } from 'node:crypto';
import type { HistoryEntry } from './history-entry.js';
import { LineStore } from './line-store.js';
import { HistoryIndexBuilder } from '../checkers/history-index.js';

/** Lines hashed per update by {@link hashEntries}. */
const HASH_CHUNK_LINES = 64;

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
  private readonly text = new LineStore();
  /** The checkers' index, fed every entry as it is added (read through `historyIndex(history)`). */
  readonly indexer: HistoryIndexBuilder = new HistoryIndexBuilder((i) => this.entry(i));
  private decoded: HistoryEntry[] | undefined;

  /** Appends one entry (serialised into the hashed text and indexed for the checkers). */
  add(entry: HistoryEntry): void {
    this.indexer.add(entry, this.text.length);
    this.text.push(entryLine(entry));
  }

  /** Entry `i`, decoded from its line (a fresh object each call). */
  entry(i: number): HistoryEntry {
    return JSON.parse(this.text.line(i)) as HistoryEntry;
  }

  /**
   * Every entry, decoded (a new array whenever entries were added since the last call): for small
   * histories and tests; checkers take the history itself and read its index.
   */
  get entries(): readonly HistoryEntry[] {
    if (this.decoded === undefined || this.decoded.length !== this.length) {
      const n = this.length;
      const out = new Array<HistoryEntry>(n);
      for (let i = 0; i < n; i++) out[i] = this.entry(i);
      this.decoded = out;
    }
    return this.decoded;
  }

  /** Number of entries of one kind added through {@link add}. */
  countOf(kind: HistoryEntry['k']): number {
    return this.indexer.countOf(kind);
  }

  /** Number of entries. */
  get length(): number {
    return this.text.length;
  }

  /** The JSON lines in pieces of complete lines. */
  chunks(): Generator<string> {
    return this.text.pieces();
  }

  /** The JSON-lines text (small histories; large ones should use {@link writeTo}). */
  toJsonLines(): string {
    let out = '';
    for (const c of this.chunks()) out += c;
    return out;
  }

  /** SHA-256 (hex) of the JSON-lines serialisation (kept up to date as entries are added). */
  hash(): string {
    return this.text.hash();
  }

  /**
   * Writes the JSON lines to `path` and resolves to their SHA-256: the running hash, which was fed
   * exactly the pieces written here (a gigabyte of text is not hashed a second time).
   */
  async writeTo(path: string): Promise<string> {
    const out = createWriteStream(path, { encoding: 'utf8' });
    for (const c of this.chunks()) {
      if (!out.write(c)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    return this.hash();
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
