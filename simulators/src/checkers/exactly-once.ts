/**
 * Exactly-once effect per (tenantId, clientMutationId) (OFS-IDEM-013, OFS-IDEM-002): the tenant's
 * server log holds at most one change per mutation, every decided answer a device received for the
 * mutation agrees (same status; same version and event id when applied), an applied answer names
 * the version the log holds, and a mutation answered rejected or conflict has no change in the log.
 */
import type { HistoryEntry, OutcomeEntry } from '../history/history-entry.js';
import { type Checker, type CheckFinding, Violations, isDecided } from './checker.js';
import { historyIndex, TenantMap } from './history-index.js';

/** The exactly-once checker. */
export const exactlyOnce: Checker = {
  name: 'exactly-once',
  requirements: ['OFS-IDEM-013', 'OFS-IDEM-002'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    for (const [first, e] of index.extraLogs) {
      v.add(`mutation ${e.cmid} (tenant ${e.tenant}) took effect twice: ${first.agg} v${first.version} and ${e.agg} v${e.version}`, first, e);
    }
    const firstDecided = new TenantMap<OutcomeEntry>();
    let outcomes = 0;
    for (const e of index.kinds.outcome) {
      if (!isDecided(e)) continue;
      outcomes++;
      const first = firstDecided.get(e.tenant, e.cmid);
      if (first === undefined) {
        firstDecided.set(e.tenant, e.cmid, e);
        const change = index.logOf.get(e.tenant, e.cmid);
        if (e.status === 'applied') {
          if (change !== undefined && change.version !== e.version) {
            v.add(`mutation ${e.cmid} answered applied at v${e.version} but the log has it at v${change.version}`, e, change);
          }
        } else if (change !== undefined) {
          v.add(`mutation ${e.cmid} answered ${e.status} but the log shows it applied at v${change.version}`, e, change);
        }
        continue;
      }
      if (first.status !== e.status) {
        v.add(`mutation ${e.cmid} (tenant ${e.tenant}) answered ${first.status} then ${e.status}`, first, e);
      } else if (e.status === 'applied' && (first.version !== e.version || first.eventId !== e.eventId)) {
        v.add(`mutation ${e.cmid} answered applied twice with different results (v${first.version} vs v${e.version})`, first, e);
      } else if (e.status === 'conflict' && first.conflictId !== e.conflictId) {
        v.add(`mutation ${e.cmid} answered conflict twice with different conflicts`, first, e);
      }
    }
    return v.finding(`${index.logOf.size} logged changes and ${outcomes} decided answers are consistent with one effect each`);
  },
};
