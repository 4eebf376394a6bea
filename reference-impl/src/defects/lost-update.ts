/**
 * `lost-update` — why this violates OFS-CONF-001 / OFS-CONF-007: a stale update of a reject-stale
 * aggregate (encounter) overwrites the newer version instead of opening a conflict.
 * Planted: domain switch (`DefectSet` consulted by src/domain/clinic/encounter.ts).
 */
import { defineDefect } from './defect.js';

export const lostUpdate = defineDefect({
  name: 'lost-update',
  violates: ['OFS-CONF-001', 'OFS-CONF-007'],
  description: 'optimistic versioning off for encounters: a stale baseVersion overwrites the newer state',
  site: 'domain',
  hooks: { domain: 'lost-update' },
});
