/**
 * The history's running hash: computed as entries are added, equal to SHA-256 of the JSON lines it
 * writes (so `sha256sum history.jsonl` matches the reported hash), UTF-8 for non-ASCII text, still
 * right for entries added after it was taken; entries read back from the stored lines.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { History, hashEntries } from '../../src/history/history.js';
import type { HistoryEntry } from '../../src/history/history-entry.js';

const dir = mkdtempSync(join(tmpdir(), 'syncproof-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

function sample(n: number): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ k: 'capture', t: i, dev: `d${i % 7}`, tenant: 't', actor: 'a', client: 'c', cmid: `m${i}`, seq: i + 1, agg: 'note:n', op: 'append', base: 0 });
    if (i % 3 === 0) out.push({ k: 'fault', t: i, fault: 'server-exception', target: 'server', detail: `boom ${i} — “ünïcode” ✓ 🚀` });
  }
  return out;
}

test('the running hash is SHA-256 of the JSON lines, across chunk boundaries and with non-ASCII text', async () => {
  const h = new History();
  const entries = sample(10_000);
  for (const e of entries) h.add(e);
  const text = entries.map((e) => JSON.stringify(e) + '\n').join('');
  expect(h.toJsonLines()).toBe(text);
  expect(h.hash()).toBe(sha(text));
  expect(h.hash()).toBe(hashEntries(entries));
  const path = join(dir, 'history.jsonl');
  expect(await h.writeTo(path)).toBe(h.hash());
  expect(sha(readFileSync(path, 'utf8'))).toBe(h.hash());
});

test('entries added after the hash was taken are hashed too', () => {
  const h = new History();
  const entries = sample(2_000);
  for (const e of entries.slice(0, 1_300)) h.add(e); // one full chunk of 1024 lines and a partial one
  expect(h.hash()).toBe(hashEntries(entries.slice(0, 1_300)));
  for (const e of entries.slice(1_300)) h.add(e);
  expect(h.hash()).toBe(hashEntries(entries));
  const more: HistoryEntry = { k: 'phase', t: 99, phase: 'final' };
  h.add(more);
  expect(h.hash()).toBe(hashEntries([...entries, more]));
});

test('entries are decoded from their lines, in any order, across chunk boundaries', () => {
  const h = new History();
  const entries = sample(2_000); // 2,667 lines: two full chunks of 1024 and a partial one
  for (const e of entries) h.add(e);
  expect(h.length).toBe(entries.length);
  for (const i of [0, 1023, 1024, 1025, 2047, 2048, entries.length - 1, 5, 1500, 1024]) expect(h.entry(i)).toEqual(entries[i]);
  expect(h.entries).toEqual(entries);
  expect(() => h.entry(entries.length)).toThrow(RangeError);
  expect(h.countOf('fault')).toBe(entries.filter((e) => e.k === 'fault').length);
});
