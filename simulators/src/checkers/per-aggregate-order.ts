/**
 * Per-aggregate order (OFS-SYNC-002, OFS-SYNC-003): a device's mutations of one aggregate take
 * effect in capture order — if a was captured before b on the same aggregate and both applied,
 * a's version is lower — every push lists its mutations in strictly increasing clientSeq, and a
 * device numbers its captures 1, 2, 3, … without gaps.
 */
import type { CaptureEntry, HistoryEntry, LogEntry } from '../history/history-entry.js';
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { historyIndex, TenantMap } from './history-index.js';

/** The per-aggregate order checker. */
export const perAggregateOrder: Checker = {
  name: 'per-aggregate-order',
  requirements: ['OFS-SYNC-002', 'OFS-SYNC-003'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    const lastSeq = new Map<string, CaptureEntry>(); // dev → last capture
    for (const e of index.captures) {
      const prev = lastSeq.get(e.dev);
      const expected = prev === undefined ? 1 : prev.seq + 1;
      if (e.seq !== expected) v.add(`device ${e.dev} numbered a capture ${e.seq}, expected ${expected}`, prev, e);
      lastSeq.set(e.dev, e);
    }
    for (const e of index.kinds.push) {
      let prevSeq = 0;
      let prevCap: CaptureEntry | undefined;
      for (const cmid of e.cmids) {
        const c = index.captureOf.get(e.tenant, cmid);
        if (c === undefined || c.dev !== e.dev) continue; // foreign mutation: the tenant-isolation checker reports it
        if (c.seq <= prevSeq) v.add(`push ${e.req} of ${e.dev} lists clientSeq ${c.seq} after ${prevSeq}`, prevCap, c, e);
        prevSeq = c.seq;
        prevCap = c;
      }
    }
    const last = new TenantMap<{ version: number; capture: CaptureEntry; change: LogEntry }>(); // dev → agg → last applied
    let pairs = 0;
    for (const e of index.captures) {
      const change = index.logOf.get(e.tenant, e.cmid);
      if (change === undefined) continue;
      const prev = last.get(e.dev, e.agg);
      if (prev !== undefined) {
        pairs++;
        if (change.version <= prev.version) {
          v.add(
            `${e.agg}: ${e.dev} captured ${prev.capture.cmid} before ${e.cmid} but they applied at v${prev.version} and v${change.version}`,
            prev.capture,
            e,
            prev.change,
            change,
          );
        }
      }
      last.set(e.dev, e.agg, { version: change.version, capture: e, change });
    }
    return v.finding(`${pairs} same-device same-aggregate pairs applied in capture order`);
  },
};
