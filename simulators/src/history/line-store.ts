/**
 * The text of a history: its JSON lines kept as a few large strings instead of millions of
 * objects, and hashed as they are stored. Lines are grouped in chunks of {@link CHUNK_LINES}, each
 * one flat string with every line ended by `\n` — exactly the bytes the history file holds, fed to
 * the running SHA-256 once, when the chunk is complete.
 *
 * Why strings: a kept entry object (and its arrays) survives two scavenges and is traced by every
 * full collection; a six-million-entry run spent more time copying and tracing them than the
 * checkers spent reading them. A chunk string is one leaf object for the collector, and each line
 * dies young. Why not Buffers: V8 answers every ~64 MB of fresh external memory by starting a
 * full marking of the heap, and a day-long run writes over a gigabyte of text.
 */
import { createHash, type Hash } from 'node:crypto';

/**
 * Lines per chunk (a power of two, so line `i` lies in chunk `i >> CHUNK_SHIFT`). A chunk of 1024
 * lines (~200 KB) is above V8's largest regular object, so it is allocated in large-object space
 * and promoted without being copied; a small one would be copied by two scavenges on its way to
 * the old generation — a gigabyte of text copied twice in a day-long run. The lines waiting for
 * their chunk rarely live through a scavenge.
 */
const CHUNK_SHIFT = 10;
const CHUNK_LINES = 1 << CHUNK_SHIFT;

/** Append-only JSON lines with a running SHA-256 and random access by line number. */
export class LineStore {
  /** Complete chunks: {@link CHUNK_LINES} lines each, every line ended by `\n`. */
  private readonly chunks: string[] = [];
  /** Lines of the incomplete last chunk (without newlines). */
  private pending: string[] = [];
  /** SHA-256 over the complete chunks. */
  private readonly sha: Hash = createHash('sha256');
  private digest: string | undefined;
  private digestLength = -1;
  /** Start offsets of the lines of one chunk (the last one looked into): sequential reads scan it once. */
  private readonly starts = new Int32Array(CHUNK_LINES + 1);
  private startsOf = -1;

  /** Number of lines. */
  get length(): number {
    return (this.chunks.length << CHUNK_SHIFT) + this.pending.length;
  }

  /** Appends one line (no newline in it: JSON text escapes its newlines). */
  push(line: string): void {
    const pending = this.pending;
    pending.push(line);
    if (pending.length < CHUNK_LINES) return;
    // A trailing empty line makes join end the chunk with its newline: one flat string.
    pending.push('');
    const chunk = pending.join('\n');
    this.sha.update(chunk, 'utf8');
    this.chunks.push(chunk);
    this.pending = [];
  }

  /** Line `i` (0-based), without its newline. */
  line(i: number): string {
    const c = i >> CHUNK_SHIFT;
    if (c >= this.chunks.length) {
      const line = this.pending[i - (c << CHUNK_SHIFT)];
      if (line === undefined) throw new RangeError(`history line ${i} does not exist (${this.length} lines)`);
      return line;
    }
    const chunk = this.chunks[c] as string;
    const starts = this.starts;
    if (this.startsOf !== c) {
      let at = 0;
      for (let j = 0; j < CHUNK_LINES; j++) {
        starts[j] = at;
        at = chunk.indexOf('\n', at) + 1;
      }
      starts[CHUNK_LINES] = at;
      this.startsOf = c;
    }
    const j = i & (CHUNK_LINES - 1);
    return chunk.slice(starts[j] as number, (starts[j + 1] as number) - 1);
  }

  /** SHA-256 (hex) of all lines, each ended by `\n`; lines may still be added afterwards. */
  hash(): string {
    if (this.digest === undefined || this.digestLength !== this.length) {
      // The running hash stays open: a copy takes the incomplete chunk.
      const h = this.sha.copy();
      if (this.pending.length > 0) h.update(this.pending.join('\n') + '\n', 'utf8');
      this.digest = h.digest('hex');
      this.digestLength = this.length;
    }
    return this.digest;
  }

  /** The text in pieces of complete lines, in order (what a file of the history holds). */
  *pieces(): Generator<string> {
    const chunks = this.chunks;
    for (const chunk of chunks) yield chunk;
    if (this.pending.length > 0) yield this.pending.join('\n') + '\n';
  }
}
