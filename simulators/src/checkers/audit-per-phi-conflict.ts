/**
 * One audit event per resolved PHI conflict (OFS-AUD-001): every conflict the server lists as
 * resolved at the end and flags as PHI has exactly one `conflict-resolved` audit entry in its
 * tenant's audit log, and no such entry exists for an open or non-PHI conflict — however many
 * times the admin's resolve request was retried or duplicated on the way.
 */
import type { AuditEntry, FinalConflictEntry } from '../history/history-entry.js';
import { type Checker, type CheckFinding, Violations, mutationKey } from './checker.js';
import { type HistorySource, historyIndex } from './history-index.js';

/** The audit-per-PHI-conflict checker. */
export const auditPerPhiConflict: Checker = {
  name: 'audit-per-phi-conflict',
  requirements: ['OFS-AUD-001'],
  check(history: HistorySource): CheckFinding {
    const index = historyIndex(history);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    const conflicts = new Map<string, FinalConflictEntry>();
    const audits = new Map<string, AuditEntry[]>();
    for (const e of index.kinds['final-conflict']) conflicts.set(mutationKey(e.tenant, e.conflictId), e);
    for (const e of index.kinds.audit) {
      if (e.action === 'conflict-resolved') {
        if (e.conflictId === null) {
          v.add(`audit entry ${e.seq} of tenant ${e.tenant} records a resolution without naming the conflict`, e);
          continue;
        }
        const key = mutationKey(e.tenant, e.conflictId);
        const list = audits.get(key);
        if (list === undefined) audits.set(key, [e]);
        else list.push(e);
      }
    }
    let resolvedPhi = 0;
    for (const [key, c] of conflicts) {
      const list = audits.get(key) ?? [];
      const due = c.status === 'resolved' && c.phi;
      if (due) resolvedPhi++;
      if (due && list.length !== 1) {
        v.add(`resolved PHI conflict ${c.conflictId} (${c.agg}) has ${list.length} audit events`, c, ...list.slice(0, 2));
      } else if (!due && list.length > 0) {
        v.add(`conflict ${c.conflictId} (${c.status}, phi=${c.phi}) has an audit event for a resolution`, c, list[0]);
      }
    }
    for (const [key, list] of audits) {
      if (!conflicts.has(key)) v.add(`audit event names conflict ${list[0]?.conflictId} the server does not list`, list[0]);
    }
    return v.finding(`${resolvedPhi} resolved PHI conflicts have exactly one audit event each`);
  },
};
