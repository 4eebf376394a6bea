/**
 * An append-only simulation history with a stable hash: SHA-256 over the JSON lines, each ended by
 * `\n`. Entries stay objects in memory (checkers read them directly); serialisation happens once.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { HistoryEntry } from './history-entry.js';

/** Lines are hashed and written in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 20;

/** The recorded history of one simulation. */
export class History {
  readonly entries: HistoryEntry[] = [];

  /** Appends one entry. */
  add(entry: HistoryEntry): void {
    this.entries.push(entry);
  }

  /** Number of entries. */
  get length(): number {
    return this.entries.length;
  }

  /** Serialises the history in chunks of complete lines. */
  *chunks(): Generator<string> {
    let buf = '';
    for (const e of this.entries) {
      buf += JSON.stringify(e) + '\n';
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    if (buf.length > 0) yield buf;
  }

  /** The JSON-lines text (small histories; large ones should use {@link writeTo}). */
  toJsonLines(): string {
    let out = '';
    for (const c of this.chunks()) out += c;
    return out;
  }

  /** SHA-256 (hex) of the JSON-lines serialisation. */
  hash(): string {
    return hashEntries(this.entries);
  }

  /** Writes the JSON lines to `path` and resolves to their SHA-256. */
  async writeTo(path: string): Promise<string> {
    const h = createHash('sha256');
    const out = createWriteStream(path, { encoding: 'utf8' });
    for (const c of this.chunks()) {
      h.update(c);
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
  let buf = '';
  for (const e of entries) {
    buf += JSON.stringify(e) + '\n';
    if (buf.length >= CHUNK_CHARS) {
      h.update(buf);
      buf = '';
    }
  }
  if (buf.length > 0) h.update(buf);
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
