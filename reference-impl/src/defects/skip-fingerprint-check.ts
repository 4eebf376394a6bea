/**
 * `skip-fingerprint-check` — why this violates OFS-IDEM-007: a clientMutationId reused with another
 * payload is answered with the cached outcome of the first mutation, so the client believes its
 * different write was applied.
 * Planted: domain switch (`DefectSet` consulted by src/domain/push.ts at the fingerprint comparison).
 */
import { defineDefect } from './defect.js';

export const skipFingerprintCheck = defineDefect({
  name: 'skip-fingerprint-check',
  violates: ['OFS-IDEM-007'],
  description: 'key reuse with a different payload accepted: the fingerprint is not compared',
  site: 'domain',
  hooks: { domain: 'skip-fingerprint-check' },
});
