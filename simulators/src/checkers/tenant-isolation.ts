/**
 * Tenant isolation (OFS-TEN-003, OFS-TEN-005, OFS-TEN-007, OFS-IDEM-004, OFS-TEN-006):
 * - a device only uploads mutations it captured itself, under its own tenant's token;
 * - a tenant's server log (its pull feed) only holds aggregates that tenant's devices wrote;
 * - every event's subject tenant equals its data tenant, and its mutation belongs to that tenant;
 * - an answer a device receives never names another tenant's change (an idempotency record seen
 *   across tenants shows up as an applied answer carrying the other tenant's event id).
 */
import type { HistoryEntry } from '../history/history-entry.js';
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { historyIndex, TenantMap } from './history-index.js';

const RESOLVE_PREFIX = 'resolve:';

/** The tenant-isolation checker. */
export const tenantIsolation: Checker = {
  name: 'tenant-isolation',
  requirements: ['OFS-TEN-003', 'OFS-TEN-005', 'OFS-TEN-007', 'OFS-IDEM-004', 'OFS-TEN-006'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    const tenantAggs = new TenantMap<true>();
    for (const c of index.captures) tenantAggs.set(c.tenant, c.agg, true);
    const conflictIds = new TenantMap<true>(); // resolution changes carry `resolve:<conflictId>`
    for (const e of index.kinds['final-conflict']) conflictIds.set(e.tenant, e.conflictId, true);
    const ownedBy = (tenant: string, cmid: string): boolean =>
      cmid.startsWith(RESOLVE_PREFIX) ? conflictIds.has(tenant, cmid.slice(RESOLVE_PREFIX.length)) : index.captureOf.has(tenant, cmid);
    let checked = 0;
    for (const e of index.kinds.push) {
      for (const cmid of e.cmids) {
        checked++;
        const c = index.captureOf.get(e.tenant, cmid);
        if (c === undefined || c.dev !== e.dev) {
          v.add(`device ${e.dev} uploaded ${cmid} under tenant ${e.tenant}'s token but did not capture it there`, e, c);
        }
      }
    }
    for (const e of index.kinds.log) {
      checked++;
      if (!tenantAggs.has(e.tenant, e.agg)) v.add(`tenant ${e.tenant}'s log holds ${e.agg}, which no device of that tenant wrote`, e);
    }
    for (const e of index.kinds.event) {
      checked++;
      const dot = e.subject.indexOf('.');
      const subjectTenant = e.subject.slice(dot + 1, e.subject.indexOf('.', dot + 1));
      if (subjectTenant !== e.tenant) {
        v.add(`event ${e.id} on ${e.subject} carries data tenant ${e.tenant}`, e);
      } else if (e.cmid !== null && !ownedBy(e.tenant, e.cmid)) {
        v.add(`event ${e.id} of tenant ${e.tenant} reports mutation ${e.cmid}, not captured in that tenant`, e);
      }
    }
    for (const e of index.kinds.outcome) {
      if (e.eventId === undefined) continue;
      checked++;
      const change = index.logByEvent.get(e.eventId);
      if (change !== undefined && change.tenant !== e.tenant) {
        v.add(
          `device ${e.dev} (tenant ${e.tenant}) got an answer for ${e.cmid} naming tenant ${change.tenant}'s change ${change.agg} v${change.version}`,
          index.captureOf.get(e.tenant, e.cmid),
          e,
          change,
        );
      }
    }
    return v.finding(`${checked} uploads, changes, events and answers stayed inside their tenant`);
  },
};
