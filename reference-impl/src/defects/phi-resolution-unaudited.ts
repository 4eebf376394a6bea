/**
 * `phi-resolution-unaudited` — why this violates OFS-AUD-001: resolving a conflict on a PHI
 * aggregate (patient, encounter, note) writes no audit event, so nobody can later tell who chose
 * which version of a patient's record.
 * Planted: audit-recorder wrapper — due `conflict-resolved` events are dropped.
 */
import type { AuditRecorder } from '../domain/api.js';
import { defineDefect } from './defect.js';

export const phiResolutionUnaudited = defineDefect({
  name: 'phi-resolution-unaudited',
  violates: ['OFS-AUD-001'],
  description: 'a PHI conflict is resolved without an audit event',
  site: 'audit',
  hooks: {
    audit: (recorder): AuditRecorder => ({
      record(tx, due) {
        if (due.kind === 'conflict-resolved') return;
        recorder.record(tx, due);
      },
    }),
  },
});
