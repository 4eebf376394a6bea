/**
 * The core's {@link AuditRecorder}: inside the transaction that decided a permission-lost rejection
 * or resolved a PHI conflict, it shapes the AuditEvent and appends the next link of the tenant's
 * hash chain. Committing with the decision is what makes it exactly one event per cause: a crash
 * loses both or neither, and replays never call the recorder.
 */
import type { AuditRecorder } from '../domain/api.js';
import type { JsonObject } from '../ports/records.js';
import type { StoreTx } from '../ports/store.js';
import type { AuditDue } from '../domain/types.js';
import { buildAuditEvent } from './audit-event.js';
import { EMPTY_HEAD, nextEntry } from './hash-chain.js';

/** Creates the recorder handed to `createCore({ audit })`. */
export function createAuditRecorder(): AuditRecorder {
  return {
    record(tx: StoreTx, due: AuditDue): void {
      const head = tx.auditHead(due.tenantId) ?? EMPTY_HEAD;
      // Round-trip through JSON so the stored object is exactly what a reader parses back; the
      // hash is over the canonical form, which both share.
      const event = JSON.parse(JSON.stringify(buildAuditEvent(due))) as JsonObject;
      const entry = nextEntry(head, event);
      tx.appendAudit({
        tenantId: due.tenantId,
        seq: entry.seq,
        prevHash: entry.prevHash,
        hash: entry.hash,
        event,
        module: due.module,
        action: due.kind,
        sourceId: due.sourceId,
      });
    },
  };
}
