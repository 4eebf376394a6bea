/**
 * No silent loss (OFS-SYNC-011, OFS-SYNC-014): every mutation a device committed locally ends either
 * applied — acknowledged *and* present in its tenant's server log — or with an outcome surfaced to
 * the user (rejection, conflict, expired record). A mutation still queued after the liveness phase,
 * one that vanished without an outcome, and an acknowledged write missing from the server log are
 * all violations.
 */
import type { FinalQueueEntry, HistoryEntry, OutcomeEntry } from '../history/history-entry.js';
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { historyIndex, TenantMap } from './history-index.js';

/** The no-silent-loss checker. */
export const noSilentLoss: Checker = {
  name: 'no-silent-loss',
  requirements: ['OFS-SYNC-011', 'OFS-SYNC-014'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const applied = new TenantMap<OutcomeEntry>();
    const surfaced = new TenantMap<true>();
    const pendingAt = new TenantMap<FinalQueueEntry>();
    for (const e of index.kinds.outcome) {
      if (e.status === 'applied' && !applied.has(e.tenant, e.cmid)) applied.set(e.tenant, e.cmid, e);
    }
    for (const e of index.kinds.surface) surfaced.set(e.tenant, e.cmid, true);
    for (const e of index.kinds['final-queue']) for (const cmid of e.pending) pendingAt.set(e.tenant, cmid, e);
    const v = new Violations();
    for (const c of index.captures) {
      const ack = applied.get(c.tenant, c.cmid);
      if (ack !== undefined) {
        if (!index.logOf.has(c.tenant, c.cmid)) {
          v.add(
            `mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) was acknowledged applied at v${ack.version ?? '?'} but is not in the tenant's server log`,
            c,
            ack,
          );
        }
        continue;
      }
      if (surfaced.has(c.tenant, c.cmid)) continue;
      const queued = pendingAt.get(c.tenant, c.cmid);
      if (queued !== undefined) {
        // The witness names only this mutation of the device's final queue (minimal witness).
        v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) is still queued after the liveness phase`, c, {
          ...queued,
          pending: [c.cmid],
        });
      } else {
        v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) left the queue without being applied or surfaced`, c);
      }
    }
    return v.finding(`${index.captures.length} captured mutations all applied or surfaced`);
  },
};
