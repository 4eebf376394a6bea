/**
 * One event per applied change and none otherwise (OFS-EVT-005, OFS-EVT-006, OFS-EVT-008): after
 * the liveness phase, every change in a tenant's server log has exactly one event with its event id
 * on the broker (same tenant, aggregate and version), and every event names a logged change —
 * so no event exists for a rejected, conflicted, blocked or replayed mutation. Consumers
 * de-duplicate by event id: a copy the broker stored again after its de-duplication window
 * (`redelivery`) is counted and reported, not treated as a second event.
 */
import type { EventEntry, HistoryEntry } from '../history/history-entry.js';
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { historyIndex } from './history-index.js';

/** The event-per-applied checker. */
export const eventPerApplied: Checker = {
  name: 'event-per-applied',
  requirements: ['OFS-EVT-005', 'OFS-EVT-006', 'OFS-EVT-008'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    for (const [first, e] of index.sharedEventIds) v.add(`two logged changes share event id ${e.eventId}`, first, e);
    const events = new Map<string, EventEntry>();
    let redeliveries = 0;
    for (const e of index.kinds.event) {
      if (e.redelivery === true) {
        redeliveries++;
        continue;
      }
      const first = events.get(e.id);
      if (first !== undefined) v.add(`the broker stored event ${e.id} twice as new`, first, e);
      else events.set(e.id, e);
    }
    for (const change of index.logByEvent.values()) {
      const ev = events.get(change.eventId);
      if (ev === undefined) {
        v.add(`${change.agg} v${change.version} (tenant ${change.tenant}) committed but no event was published`, change);
      } else if (ev.tenant !== change.tenant || ev.agg !== change.agg || ev.version !== change.version) {
        v.add(`event ${ev.id} reports ${ev.agg} v${ev.version} of ${ev.tenant}, the log has ${change.agg} v${change.version} of ${change.tenant}`, change, ev);
      }
    }
    for (const ev of events.values()) {
      if (!index.logByEvent.has(ev.id)) v.add(`event ${ev.id} (${ev.subject}) reports no committed change`, ev);
    }
    const extra = redeliveries > 0 ? `; ${redeliveries} redeliveries after the de-duplication window` : '';
    return v.finding(`${index.logByEvent.size} committed changes have exactly one event each${extra}`);
  },
};
