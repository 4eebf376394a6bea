/**
 * The reference domain core as a {@link SimServer}: `createInProcessCore` over a fresh memory store,
 * driven by the simulation's virtual clock. Outbox rows are rendered with the core's own
 * CloudEvent builder, so the simulated relay publishes exactly what the real relay would.
 */
import { createInProcessCore } from '../../../reference-impl/src/in-process/in-process-core.js';
import { eventSubject, eventType } from '../../../reference-impl/src/domain/cloud-event.js';
import { defectNames } from '../../../reference-impl/src/defects/catalogue.js';
import type { ChangeRow } from '../../../reference-impl/src/ports/records.js';
import type { Clock } from '../env/clock.js';
import type { SimConflict, SimLogRow, SimOutboxMessage, SimServer } from './sim-server.js';

/** Options of {@link createReferenceServer}. */
export interface ReferenceServerOptions {
  readonly clock: Clock;
  /** Planted defect name, or null. Unknown names throw (a typo must not test nothing). */
  readonly defect: string | null;
  /** Idempotency retention (TR §3.5). */
  readonly retentionMs: number;
}

/** Name the reference target carries in histories. */
export const REFERENCE_TARGET_NAME = 'reference (in-process core, memory store)';

/**
 * One string per distinct subject and CloudEvent type: every event of a run carries one of a few
 * hundred, and the history keeps every event — so they are built once, not once per message.
 */
function messageLabels(): (row: ChangeRow) => { subject: string; type: string } {
  // tenant → module → aggregate type → event type: nested look-ups of strings the rows share, so
  // finding a label builds no key.
  type Labels = { subject: string; type: string };
  const root = new Map<string, Map<string, Map<string, Map<string, Labels>>>>();
  // No closure per look-up: a missing level is created by its own branch.
  const level = <V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> => {
    let v = m.get(k);
    if (v === undefined) m.set(k, (v = new Map()));
    return v;
  };
  return (row) => {
    const byEvent = level(level(level(root, row.tenantId), row.module), row.aggregate.type);
    let labels = byEvent.get(row.eventType);
    if (labels === undefined) {
      labels = { subject: eventSubject(row), type: eventType(row) };
      byEvent.set(row.eventType, labels);
    }
    return labels;
  };
}

/** Builds the reference core as a simulation target. */
export function createReferenceServer(o: ReferenceServerOptions): SimServer {
  const defects = o.defect === null ? [] : [...defectNames(o.defect)];
  const handle = createInProcessCore({
    clock: o.clock,
    config: { idempotencyRetentionMs: o.retentionMs },
    ...(defects.length > 0 ? { defects } : {}),
  });
  const store = handle.store;
  const labelsOf = messageLabels();
  return {
    name: o.defect === null ? REFERENCE_TARGET_NAME : `${REFERENCE_TARGET_NAME} with defect ${o.defect}`,
    push: (ctx, body) => handle.push(ctx, body),
    pull: (ctx, cursor, limit) => handle.pull(ctx, cursor === undefined ? { limit } : { cursor, limit }),
    listConflicts: (ctx, status) => {
      const r = handle.conflicts(ctx, status);
      if (!r.ok) return r;
      const conflicts: SimConflict[] = r.value.conflicts.map((c) => ({
        conflictId: c.conflictId,
        aggregate: c.aggregate,
        policy: c.policy,
        status: c.status,
        clientMutationId: c.clientMutationId,
        phi: c.phi,
      }));
      return { ok: true, value: { conflicts } };
    },
    resolve: (ctx, conflictId, body) => {
      const r = handle.resolve(ctx, conflictId, body);
      return r.ok ? { ok: true, value: { newVersion: r.value.newVersion } } : r;
    },
    claimOutbox: (limit) =>
      store.claimOutbox(limit).map((row): SimOutboxMessage => {
        const { subject, type } = labelsOf(row);
        return {
          seq: row.seq,
          msgId: row.eventId,
          subject,
          tenantId: row.tenantId,
          clientMutationId: row.clientMutationId,
          aggregate: row.aggregate,
          version: row.version,
          type,
        };
      }),
    markPublished: (seqs, at) => store.markPublished(seqs, at),
    purgeIdempotency: (olderThanMs) => store.purgeIdempotency(olderThanMs),
    readLog: (tenantId) => {
      const out: SimLogRow[] = [];
      let after = 0;
      for (;;) {
        const page = store.listChanges(tenantId, after, 10_000);
        for (const c of page.changes) {
          out.push({ aggregate: c.aggregate, version: c.version, op: c.op, eventId: c.eventId, clientMutationId: c.clientMutationId });
          after = c.seq;
        }
        if (!page.hasMore || page.changes.length === 0) return out;
      }
    },
    readAudit: (tenantId) => store.listAudit(tenantId, 0, Number.MAX_SAFE_INTEGER).map((a) => ({ seq: a.seq, action: a.action, sourceId: a.sourceId })),
  };
}
