/**
 * Exactly-once effect per (tenantId, clientMutationId) (OFS-IDEM-013, OFS-IDEM-002): the tenant's
 * server log holds at most one change per mutation, every decided answer a device received for the
 * mutation agrees (same status; same version and event id when applied), an applied answer names
 * the version the log holds, and a mutation answered rejected or conflict has no change in the log.
 */
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { filled } from './scoped-interner.js';
import { type HistorySource, historyIndex, STATUS_APPLIED, STATUS_CONFLICT } from './history-index.js';

/** Same number, or both absent (NaN in the column). */
function sameVersion(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/** The exactly-once checker. */
export const exactlyOnce: Checker = {
  name: 'exactly-once',
  requirements: ['OFS-IDEM-013', 'OFS-IDEM-002'],
  check(history: HistorySource): CheckFinding {
    const index = historyIndex(history);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    for (const [f, l] of index.extraLogs) {
      const first = index.log(f);
      const e = index.log(l);
      v.add(`mutation ${e.cmid} (tenant ${e.tenant}) took effect twice: ${first.agg} v${first.version} and ${e.agg} v${e.version}`, first, e);
    }
    const { outcomeDecided: decided, outcomeStatus: status, outcomeVersion: version, logVersion } = index;
    const firstDecided = filled(index.mutations.size, -1);
    let outcomes = 0;
    for (let i = 0; i < decided.length; i++) {
      if (decided[i] !== 1) continue;
      outcomes++;
      const m = index.outcomeMut[i] as number;
      const f = firstDecided[m] as number;
      if (f === -1) {
        firstDecided[m] = i;
        const l = index.logOf[m] as number;
        if (l === -1) continue;
        if (status[i] === STATUS_APPLIED) {
          if (logVersion[l] !== version[i]) {
            const e = index.outcome(i);
            const change = index.log(l);
            v.add(`mutation ${e.cmid} answered applied at v${e.version} but the log has it at v${change.version}`, e, change);
          }
        } else {
          const e = index.outcome(i);
          const change = index.log(l);
          v.add(`mutation ${e.cmid} answered ${e.status} but the log shows it applied at v${change.version}`, e, change);
        }
        continue;
      }
      if (status[f] !== status[i]) {
        const first = index.outcome(f);
        const e = index.outcome(i);
        v.add(`mutation ${e.cmid} (tenant ${e.tenant}) answered ${first.status} then ${e.status}`, first, e);
      } else if (status[i] === STATUS_APPLIED) {
        if (sameVersion(version[f] as number, version[i] as number) && index.outcomeEventId[f] === index.outcomeEventId[i]) continue;
        const first = index.outcome(f);
        const e = index.outcome(i);
        v.add(`mutation ${e.cmid} answered applied twice with different results (v${first.version} vs v${e.version})`, first, e);
      } else if (status[i] === STATUS_CONFLICT && index.outcomeConflictId[f] !== index.outcomeConflictId[i]) {
        const first = index.outcome(f);
        const e = index.outcome(i);
        v.add(`mutation ${e.cmid} answered conflict twice with different conflicts`, first, e);
      }
    }
    return v.finding(`${index.loggedMutations} logged changes and ${outcomes} decided answers are consistent with one effect each`);
  },
};
