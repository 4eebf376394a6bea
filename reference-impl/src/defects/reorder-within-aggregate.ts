/**
 * `reorder-within-aggregate` — why this violates OFS-SYNC-008 / OFS-SYNC-002: the blocked check is
 * skipped, so a client's later mutation of an aggregate is applied while its earlier mutation of
 * that aggregate waits in an open conflict — the aggregate takes the client's writes out of
 * capture order.
 * Planted: Store wrapper — the transaction accessor's `openConflictFor` never finds the open conflict.
 */
import { defineDefect } from './defect.js';
import { overrideMembers, wrapTransactions } from './wrap-ports.js';

export const reorderWithinAggregate = defineDefect({
  name: 'reorder-within-aggregate',
  violates: ['OFS-SYNC-008', 'OFS-SYNC-002'],
  description: 'a mutation behind an open conflict on its aggregate is applied ahead of it (blocked check skipped)',
  site: 'store',
  hooks: {
    store: (store) => wrapTransactions(store, (tx) => overrideMembers(tx, { openConflictFor: () => undefined })),
  },
});
