/**
 * The history's running hash: computed as entries are added, equal to SHA-256 of the JSON lines it
 * writes (so `sha256sum history.jsonl` matches the reported hash), UTF-8 for non-ASCII text, and
 * recomputed when entries bypass `add`.
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

test('entries that bypass add (or come after the hash was taken) are still hashed', () => {
  const h = new History();
  const entries = sample(50);
  for (const e of entries.slice(0, 40)) h.add(e);
  h.entries.push(entries[40]!); // bypasses add
  for (const e of entries.slice(41)) h.add(e);
  expect(h.hash()).toBe(hashEntries(entries));
  const more: HistoryEntry = { k: 'phase', t: 99, phase: 'final' };
  h.add(more);
  expect(h.hash()).toBe(hashEntries([...entries, more]));
});
