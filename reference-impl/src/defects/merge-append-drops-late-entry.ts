/**
 * `merge-append-drops-late-entry` — why this violates OFS-CONF-004: a note append whose entry was
 * authored before the note's newest entry (written offline concurrently, uploaded late) is treated
 * as already merged and dropped, so which concurrent notes survive depends on arrival order.
 * Planted: Store wrapper — `putAggregate` of a note keeps the previous entries when the new entry
 * would not be the last one.
 */
import type { AggregateRow, JsonObject } from '../ports/records.js';
import { defineDefect } from './defect.js';
import { overrideMembers, wrapTransactions } from './wrap-ports.js';

interface Entry {
  readonly entryId?: unknown;
}

export const mergeAppendDropsLateEntry = defineDefect({
  name: 'merge-append-drops-late-entry',
  violates: ['OFS-CONF-004'],
  description: "merge-append loses a concurrent note: an entry authored before the note's newest entry is dropped",
  site: 'store',
  hooks: {
    store: (store) =>
      wrapTransactions(store, (tx) =>
        overrideMembers(tx, {
          putAggregate: (row: AggregateRow) => {
            const before = row.type === 'note' ? tx.getAggregate(row.tenantId, row.type, row.id) : undefined;
            const old = before?.state['entries'];
            const now = row.state['entries'];
            if (Array.isArray(old) && Array.isArray(now) && now.length === old.length + 1) {
              const known = new Set((old as Entry[]).map((e) => e.entryId));
              const added = (now as Entry[]).findIndex((e) => !known.has(e.entryId));
              if (added >= 0 && added < now.length - 1) {
                tx.putAggregate({ ...row, state: { ...row.state, entries: old } as JsonObject });
                return;
              }
            }
            tx.putAggregate(row);
          },
        }),
      ),
  },
});
