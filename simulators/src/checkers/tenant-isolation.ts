/**
 * Tenant isolation (OFS-TEN-003, OFS-TEN-005, OFS-TEN-007, OFS-IDEM-004, OFS-TEN-006):
 * - a device only uploads mutations it captured itself, under its own tenant's token;
 * - a tenant's server log (its pull feed) only holds aggregates that tenant's devices wrote;
 * - every event's subject tenant equals its data tenant, and its mutation belongs to that tenant;
 * - an answer a device receives never names another tenant's change (an idempotency record seen
 *   across tenants shows up as an applied answer carrying the other tenant's event id).
 */
import type { FinalConflictEntry } from '../history/history-entry.js';
import { type Checker, type CheckFinding, Violations, mutationKey } from './checker.js';
import { type HistoryIndex, type HistorySource, historyIndex, RESOLVE_PREFIX } from './history-index.js';
import { ScopedInterner } from './scoped-interner.js';

/** `(tenant, aggregate)` pairs some device of the tenant captured — built only if a change needs it. */
function capturedAggregates(index: HistoryIndex): ScopedInterner {
  const n = index.captureMut.length;
  const set = new ScopedInterner(n);
  for (let i = 0; i < n; i++) set.intern(index.mutations.scope(index.captureMut[i] as number), index.captureAgg[i] as string);
  return set;
}

/** The tenant-isolation checker. */
export const tenantIsolation: Checker = {
  name: 'tenant-isolation',
  requirements: ['OFS-TEN-003', 'OFS-TEN-005', 'OFS-TEN-007', 'OFS-IDEM-004', 'OFS-TEN-006'],
  check(history: HistorySource): CheckFinding {
    const index = historyIndex(history);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    const { captureOf, captureDev, mutations } = index;
    const conflicts = new Map<string, FinalConflictEntry>(); // resolution changes carry `resolve:<conflictId>`
    for (const e of index.kinds['final-conflict']) conflicts.set(mutationKey(e.tenant, e.conflictId), e);
    let checked = 0;

    const { pushStart, pushMut, pushDev } = index;
    for (let i = 0; i < pushDev.length; i++) {
      for (let j = pushStart[i] as number; j < (pushStart[i + 1] as number); j++) {
        checked++;
        const c = captureOf[pushMut[j] as number] as number;
        if (c !== -1 && captureDev[c] === pushDev[i]) continue;
        const e = index.push(i);
        const cmid = e.cmids[j - (pushStart[i] as number)] as string;
        v.add(`device ${e.dev} uploaded ${cmid} under tenant ${e.tenant}'s token but did not capture it there`, e, c === -1 ? undefined : index.capture(c));
      }
    }

    // A change's aggregate was written by its own mutation's capture (the usual case), by the
    // conflicted mutation a resolution settled, or — checked against every capture — by another
    // device of the tenant.
    let tenantAggs: ScopedInterner | undefined;
    const { logMut, logResolve, logAgg, captureAgg } = index;
    for (let i = 0; i < logMut.length; i++) {
      checked++;
      const m = logMut[i] as number;
      const c = captureOf[m] as number;
      if (c !== -1 && captureAgg[c] === logAgg[i]) continue;
      const e = index.log(i);
      if (logResolve[i] === 1 && e.cmid.startsWith(RESOLVE_PREFIX)) {
        const conflict = conflicts.get(mutationKey(e.tenant, e.cmid.slice(RESOLVE_PREFIX.length)));
        if (conflict !== undefined && conflict.agg === e.agg) {
          const cm = mutations.find(mutations.scope(m), conflict.cmid);
          const cc = cm === -1 ? -1 : (captureOf[cm] as number);
          if (cc !== -1 && captureAgg[cc] === e.agg) continue;
        }
      }
      tenantAggs ??= capturedAggregates(index);
      if (tenantAggs.find(mutations.scope(m), e.agg) === -1) v.add(`tenant ${e.tenant}'s log holds ${e.agg}, which no device of that tenant wrote`, e);
    }

    const { eventMut, eventSubjectOk, eventResolve } = index;
    for (let i = 0; i < eventMut.length; i++) {
      checked++;
      if (eventSubjectOk[i] !== 1) {
        const e = index.event(i);
        v.add(`event ${e.id} on ${e.subject} carries data tenant ${e.tenant}`, e);
        continue;
      }
      const m = eventMut[i] as number;
      if (m === -1) continue;
      if (eventResolve[i] === 1) {
        const e = index.event(i);
        if (conflicts.has(mutationKey(e.tenant, (e.cmid as string).slice(RESOLVE_PREFIX.length)))) continue;
      } else if (captureOf[m] !== -1) continue;
      const e = index.event(i);
      v.add(`event ${e.id} of tenant ${e.tenant} reports mutation ${e.cmid}, not captured in that tenant`, e);
    }

    // With every event id unique in the log, an answer naming its own mutation's change is settled
    // without a look-up by event id. Mutation numbers are scoped by tenant: an answer's tenant is
    // its mutation's scope, and so is a change's.
    const uniqueEventIds = index.sharedEventIds.length === 0;
    const { outcomeEventId, outcomeMut, logOf, logEventId } = index;
    for (let i = 0; i < outcomeEventId.length; i++) {
      const id = outcomeEventId[i];
      if (id === undefined) continue;
      checked++;
      const m = outcomeMut[i] as number;
      const own = logOf[m] as number;
      if (uniqueEventIds && own !== -1 && logEventId[own] === id) continue;
      const l = index.logByEvent().get(id);
      if (l === undefined) continue;
      if (mutations.scope(logMut[l] as number) !== mutations.scope(m)) {
        const e = index.outcome(i);
        const change = index.log(l);
        const c = captureOf[outcomeMut[i] as number] as number;
        v.add(
          `device ${e.dev} (tenant ${e.tenant}) got an answer for ${e.cmid} naming tenant ${change.tenant}'s change ${change.agg} v${change.version}`,
          c === -1 ? undefined : index.capture(c),
          e,
          change,
        );
      }
    }
    return v.finding(`${checked} uploads, changes, events and answers stayed inside their tenant`);
  },
};
