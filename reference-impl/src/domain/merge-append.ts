/**
 * The merge-append rule (TR §6.3): a note's entries are a set keyed by entryId, kept sorted by
 * (authoredAt, entryId). Inserting is commutative (order of arrival does not matter) and
 * idempotent (inserting an entry already present changes nothing).
 */
import type { JsonObject } from '../ports/records.js';

/** One note entry. */
export interface NoteEntry extends JsonObject {
  entryId: string;
  text: string;
  authoredAt: string;
  actorId: string;
}

/** Sort key comparison: authoredAt, then entryId (plain code-unit order, locale-independent). */
export function compareEntries(a: NoteEntry, b: NoteEntry): number {
  if (a.authoredAt !== b.authoredAt) return a.authoredAt < b.authoredAt ? -1 : 1;
  if (a.entryId !== b.entryId) return a.entryId < b.entryId ? -1 : 1;
  return 0;
}

/**
 * Returns a new entry list with `entry` merged in (or `entries` itself when an entry with that
 * entryId is already there). `entries` must be sorted by {@link compareEntries}.
 */
export function mergeEntry(entries: readonly NoteEntry[], entry: NoteEntry): readonly NoteEntry[] {
  // Binary search for the insertion point; a duplicate entryId can sit anywhere only if its
  // authoredAt differs, so check membership by id first (entries per note are few).
  for (const e of entries) if (e.entryId === entry.entryId) return entries;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(entries[mid] as NoteEntry, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  // Copied element by element into an array of the final length: slice + splice allocated the
  // list twice (plus splice's result) for every appended entry.
  const n = entries.length;
  const out = new Array<NoteEntry>(n + 1);
  for (let i = 0; i < lo; i++) out[i] = entries[i] as NoteEntry;
  out[lo] = entry;
  for (let i = lo; i < n; i++) out[i + 1] = entries[i] as NoteEntry;
  return out;
}

/** Merges two entry lists (union by entryId, sorted). */
export function mergeEntryLists(a: readonly NoteEntry[], b: readonly NoteEntry[]): readonly NoteEntry[] {
  let out = a;
  for (const e of b) out = mergeEntry(out, e);
  return out;
}
