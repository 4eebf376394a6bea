/**
 * `reapply-duplicates` — why this violates OFS-IDEM-002 / OFS-IDEM-005 / OFS-IDEM-013 / OFS-EVT-005:
 * with the idempotency check removed, a retried push (lost response, duplicate delivery) is decided
 * again instead of answered with the recorded outcome, so its effect is applied twice and a second
 * event is published.
 * Planted: domain switch (`DefectSet` consulted by src/domain/push.ts before the record lookup).
 */
import { defineDefect } from './defect.js';

export const reapplyDuplicates = defineDefect({
  name: 'reapply-duplicates',
  violates: ['OFS-IDEM-002', 'OFS-IDEM-005', 'OFS-IDEM-013', 'OFS-EVT-005'],
  description: 'idempotency check removed: a duplicate push is applied again instead of replayed',
  site: 'domain',
  hooks: { domain: 'reapply-duplicates' },
});
