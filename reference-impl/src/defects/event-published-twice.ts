/**
 * `event-published-twice` — why this violates OFS-EVT-005: each outbox row is handed to the relay
 * twice, the second time under a fresh id (as two relay workers claiming the same row and minting
 * their own ids would), so the stream stores two events for one applied mutation and the broker's
 * de-duplication cannot help.
 * Planted: Store wrapper — `claimOutbox` returns every domain-event row twice, the copy with another
 * event id and its own (negative, never stored) outbox position, so the real relay and the
 * simulator's relay track and publish both.
 */
import { createHash } from 'node:crypto';
import type { ChangeRow } from '../ports/records.js';
import type { Store } from '../ports/store.js';
import { defineDefect } from './defect.js';
import { wrapStore } from './wrap-ports.js';

/** A second, different UUID-shaped id derived from the first (deterministic). */
export function copyId(eventId: string): string {
  const h = createHash('sha256').update('copy\n' + eventId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Each row and its copy; the copy's outbox position is negative (marking it published is a no-op). */
function doubled(rows: readonly ChangeRow[]): ChangeRow[] {
  return rows.flatMap((r) => [r, { ...r, seq: -r.seq, eventId: copyId(r.eventId) }]);
}

function claimTwice(store: Store): Store {
  return wrapStore(store, {
    claimOutbox: (limit: number) => {
      const rows = store.claimOutbox(limit);
      return rows instanceof Promise ? rows.then(doubled) : doubled(rows);
    },
  });
}

export const eventPublishedTwice = defineDefect({
  name: 'event-published-twice',
  violates: ['OFS-EVT-005'],
  description: 'each event is published twice under two ids, so JetStream de-duplication cannot drop the copy',
  site: 'store',
  hooks: { store: claimTwice },
});
