/**
 * One event per applied change and none otherwise (OFS-EVT-005, OFS-EVT-006, OFS-EVT-008): after
 * the liveness phase, every change in a tenant's server log has exactly one event with its event id
 * on the broker (same tenant, aggregate and version), and every event names a logged change —
 * so no event exists for a rejected, conflicted, blocked or replayed mutation. Consumers
 * de-duplicate by event id: a copy the broker stored again after its de-duplication window
 * (`redelivery`) is counted and reported, not treated as a second event.
 */
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { filled } from './scoped-interner.js';
import { type HistorySource, historyIndex } from './history-index.js';

/** The event-per-applied checker. */
export const eventPerApplied: Checker = {
  name: 'event-per-applied',
  requirements: ['OFS-EVT-005', 'OFS-EVT-006', 'OFS-EVT-008'],
  check(history: HistorySource): CheckFinding {
    const index = historyIndex(history);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    for (const [f, l] of index.sharedEventIds) {
      const e = index.log(l);
      v.add(`two logged changes share event id ${e.eventId}`, index.log(f), e);
    }
    const logs = index.logCount;
    const { eventMut, eventRedelivery, logAnyOf, eventId, logEventId } = index;
    // With unique event ids, an event's change is found through its own mutation; otherwise (and
    // for events whose mutation's first change carries another id) by event id.
    const uniqueEventIds = index.sharedEventIds.length === 0;
    // Logged change (first carrier of its event id) → the event stored for it as new.
    const eventOf = filled(logs, -1);
    // Events naming no logged change: event id → the first such event.
    const orphans = new Map<string, number>();
    let redeliveries = 0;
    for (let i = 0; i < eventMut.length; i++) {
      if (eventRedelivery[i] === 1) {
        redeliveries++;
        continue;
      }
      const id = eventId[i] as string;
      const m = eventMut[i] as number;
      let l = m === -1 || !uniqueEventIds ? -1 : (logAnyOf[m] as number);
      if (l === -1 || logEventId[l] !== id) l = index.logByEvent().get(id) ?? -1;
      if (l === -1) {
        const first = orphans.get(id);
        if (first !== undefined) v.add(`the broker stored event ${id} twice as new`, index.event(first), index.event(i));
        else orphans.set(id, i);
        continue;
      }
      const f = eventOf[l] as number;
      if (f !== -1) v.add(`the broker stored event ${id} twice as new`, index.event(f), index.event(i));
      else eventOf[l] = i;
    }
    const { eventTenant, eventAgg, eventVersion, logAgg, logVersion, logMut, mutations } = index;
    const check = (l: number): void => {
      const f = eventOf[l] as number;
      if (f === -1) {
        const change = index.log(l);
        v.add(`${change.agg} v${change.version} (tenant ${change.tenant}) committed but no event was published`, change);
        return;
      }
      // A change's tenant is the scope of its mutation's number.
      if (eventTenant[f] === mutations.scope(logMut[l] as number) && eventAgg[f] === logAgg[l] && eventVersion[f] === logVersion[l]) return;
      const change = index.log(l);
      const ev = index.event(f);
      v.add(`event ${ev.id} reports ${ev.agg} v${ev.version} of ${ev.tenant}, the log has ${change.agg} v${change.version} of ${change.tenant}`, change, ev);
    };
    if (uniqueEventIds) for (let l = 0; l < logs; l++) check(l);
    else for (const l of index.logByEvent().values()) check(l);
    for (const i of orphans.values()) {
      const ev = index.event(i);
      v.add(`event ${ev.id} (${ev.subject}) reports no committed change`, ev);
    }
    const extra = redeliveries > 0 ? `; ${redeliveries} redeliveries after the de-duplication window` : '';
    return v.finding(`${index.logEventIds} committed changes have exactly one event each${extra}`);
  },
};
