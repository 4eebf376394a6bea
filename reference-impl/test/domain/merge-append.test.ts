/**
 * The merge-append order (TR §6.3): entries sorted by authoredAt, ties broken by entryId in plain
 * code-unit order; an entryId already present is not inserted again.
 */
import { describe, expect, test } from 'vitest';
import { compareEntries, mergeEntry, mergeEntryLists, type NoteEntry } from '../../src/domain/merge-append.js';

function entry(entryId: string, authoredAt: string, text = entryId): NoteEntry {
  return { entryId, text, authoredAt, actorId: 'alice' };
}

const T1 = '2026-01-01T10:00:00Z';
const T2 = '2026-01-01T11:00:00Z';

describe('compareEntries', () => {
  test('orders by authoredAt first, whatever the entryIds', () => {
    expect(compareEntries(entry('b', T1), entry('a', T2))).toBe(-1);
    expect(compareEntries(entry('a', T2), entry('b', T1))).toBe(1);
  });

  test('breaks an authoredAt tie by entryId in code-unit order (not locale order)', () => {
    expect(compareEntries(entry('a', T1), entry('b', T1))).toBe(-1);
    expect(compareEntries(entry('b', T1), entry('a', T1))).toBe(1);
    // 'B' (0x42) sorts before 'a' (0x61) in code units; a locale compare would put 'a' first.
    expect(compareEntries(entry('B', T1), entry('a', T1))).toBe(-1);
    expect(compareEntries(entry('a', T1), entry('B', T1))).toBe(1);
  });

  test('is 0 only for the same authoredAt and entryId', () => {
    expect(compareEntries(entry('a', T1, 'x'), entry('a', T1, 'y'))).toBe(0);
  });
});

describe('mergeEntry', () => {
  test('inserts into an empty list', () => {
    const e = entry('a', T1);
    expect(mergeEntry([], e)).toEqual([e]);
  });

  test('places entries with the same authoredAt by entryId, whichever arrives first', () => {
    const ids = ['d', 'a', 'c', 'b', 'e'];
    let list: readonly NoteEntry[] = [];
    for (const id of ids) list = mergeEntry(list, entry(id, T1));
    expect(list.map((e) => e.entryId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    let reversed: readonly NoteEntry[] = [];
    for (const id of [...ids].reverse()) reversed = mergeEntry(reversed, entry(id, T1));
    expect(reversed).toEqual(list);
  });

  test('inserts at the front, in the middle and at the end of a sorted list without disturbing it', () => {
    const sorted = [entry('m1', '2026-01-01T02:00:00Z'), entry('m2', '2026-01-01T04:00:00Z'), entry('m3', '2026-01-01T06:00:00Z')];
    const at = (id: string, t: string) => mergeEntry(sorted, entry(id, t)).map((e) => e.entryId);
    expect(at('x', '2026-01-01T01:00:00Z')).toEqual(['x', 'm1', 'm2', 'm3']);
    expect(at('x', '2026-01-01T03:00:00Z')).toEqual(['m1', 'x', 'm2', 'm3']);
    expect(at('x', '2026-01-01T05:00:00Z')).toEqual(['m1', 'm2', 'x', 'm3']);
    expect(at('x', '2026-01-01T07:00:00Z')).toEqual(['m1', 'm2', 'm3', 'x']);
    expect(sorted.map((e) => e.entryId)).toEqual(['m1', 'm2', 'm3']);
  });

  test('returns the same list when the entryId is already present, even with another authoredAt or text', () => {
    const list = [entry('a', T1), entry('b', T2)];
    expect(mergeEntry(list, entry('b', T1, 'changed'))).toBe(list);
    expect(mergeEntry(list, entry('a', T2))).toBe(list);
  });
});

describe('mergeEntryLists', () => {
  test('is the sorted union by entryId of both lists', () => {
    const a = [entry('a', T1), entry('c', T2)];
    const b = [entry('b', T1), entry('d', T1), entry('c', T2)];
    expect(mergeEntryLists(a, b).map((e) => e.entryId)).toEqual(['a', 'b', 'd', 'c']);
    expect(mergeEntryLists(b, a).map((e) => e.entryId)).toEqual(['a', 'b', 'd', 'c']);
  });

  test('with an empty second list is the first list itself', () => {
    const a = [entry('a', T1)];
    expect(mergeEntryLists(a, [])).toBe(a);
  });
});
