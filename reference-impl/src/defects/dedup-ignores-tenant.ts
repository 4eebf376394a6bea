/**
 * `dedup-ignores-tenant` — why this violates OFS-IDEM-004 / OFS-TEN-006: the idempotency record is
 * looked up by clientMutationId alone, so tenant B's mutation with a clientMutationId tenant A
 * already used gets tenant A's recorded outcome (and sees that it exists).
 * Planted: domain switch (`DefectSet` consulted by src/domain/push.ts when scoping the record).
 */
import { defineDefect } from './defect.js';

export const dedupIgnoresTenant = defineDefect({
  name: 'dedup-ignores-tenant',
  violates: ['OFS-IDEM-004', 'OFS-TEN-006'],
  description: 'the dedup key is the clientMutationId alone, not (tenantId, clientMutationId)',
  site: 'domain',
  hooks: { domain: 'dedup-ignores-tenant' },
});
