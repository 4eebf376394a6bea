/**
 * `audit-event-carries-phi` — why this violates OFS-AUD-003: the audit event of a resolved
 * conflict copies the conflicting values into an entity detail "for context", so the audit log —
 * read by auditors and shipped to NATS — holds names, MRNs and note text.
 * Planted: audit-recorder wrapper — the entry the recorder appends gets an extra `entity.detail`
 * with the conflict's proposed payload and server state; the chain hash is recomputed so the chain
 * still verifies (the leak is the only bug).
 */
import type { AuditRecorder } from '../domain/api.js';
import { nextEntry } from '../audit/hash-chain.js';
import type { AuditEntryRow, JsonObject } from '../ports/records.js';
import { defineDefect } from './defect.js';
import { overrideMembers } from './wrap-ports.js';

export const auditEventCarriesPhi = defineDefect({
  name: 'audit-event-carries-phi',
  violates: ['OFS-AUD-003'],
  description: 'the audit event carries PHI values (the conflicting payloads) instead of references only',
  site: 'audit',
  hooks: {
    audit: (recorder): AuditRecorder => ({
      record(tx, due) {
        const conflictId = due.sourceId.startsWith('conflict:') ? due.sourceId.slice('conflict:'.length) : undefined;
        const conflict = conflictId === undefined ? undefined : tx.getConflict(due.tenantId, conflictId);
        if (!conflict) {
          recorder.record(tx, due);
          return;
        }
        const values = JSON.stringify({ proposed: conflict.proposed, serverState: conflict.serverState });
        const leaky = overrideMembers(tx, {
          appendAudit: (row: Omit<AuditEntryRow, 'publishedAt'>) => {
            const event = structuredClone(row.event) as JsonObject & { entity?: { detail?: unknown[] }[] };
            const entity = event.entity?.[0];
            if (entity) entity.detail = [...(entity.detail ?? []), { type: 'conflict-values', valueString: values }];
            const entry = nextEntry({ seq: row.seq - 1, hash: row.prevHash }, event);
            tx.appendAudit({ ...row, event, hash: entry.hash });
          },
        });
        recorder.record(leaky, due);
      },
    }),
  },
});
