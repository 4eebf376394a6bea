/**
 * `manual-policy-auto-merge` — why this violates OFS-CONF-005 / OFS-STORE-002: the probable-duplicate
 * lookup (same MRN, or same name and birth date) finds nothing, so a duplicate patient is written
 * straight into the tenant's records instead of opening a manual conflict for a person to decide.
 * Planted: Store wrapper — the transaction accessor's `lookupIndex` answers nothing for the
 * patient indexes.
 */
import { defineDefect } from './defect.js';
import { overrideMembers, wrapTransactions } from './wrap-ports.js';

export const manualPolicyAutoMerge = defineDefect({
  name: 'manual-policy-auto-merge',
  violates: ['OFS-CONF-005', 'OFS-STORE-002'],
  description: 'manual policy auto-merges a duplicate patient: the duplicate lookup is skipped and the write applied',
  site: 'store',
  hooks: {
    store: (store) =>
      wrapTransactions(store, (tx) =>
        overrideMembers(tx, {
          lookupIndex: (tenantId: string, index: string, value: string) => (index.startsWith('patient.') ? [] : tx.lookupIndex(tenantId, index, value)),
        }),
      ),
  },
});
