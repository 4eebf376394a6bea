/**
 * Writing an applied decision: the new aggregate version and its change row (the pull log entry
 * and outbox row), always together inside the caller's transaction (TR §3.6, §8.1).
 */
import type { AggregateRef, AggregateRow, ChangeRow, JsonObject } from '../ports/records.js';
import type { StoreTx } from '../ports/store.js';

/** What {@link commitState} writes (not kept: a push refills one object per mutation). */
export interface CommitInput {
  readonly tenantId: string;
  readonly module: string;
  readonly aggregate: AggregateRef;
  readonly current: AggregateRow | undefined;
  readonly state: JsonObject;
  readonly index: Readonly<Record<string, string>> | undefined;
  readonly op: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly clientMutationId: string;
  readonly actorId: string;
  readonly nowIso: string;
}

/** Writes the next version and its change row; returns the new version. */
export function commitState(tx: StoreTx, c: CommitInput): number {
  const version = (c.current?.version ?? 0) + 1;
  const row: AggregateRow = c.index
    ? { tenantId: c.tenantId, module: c.module, type: c.aggregate.type, id: c.aggregate.id, version, state: c.state, updatedAt: c.nowIso, index: c.index }
    : { tenantId: c.tenantId, module: c.module, type: c.aggregate.type, id: c.aggregate.id, version, state: c.state, updatedAt: c.nowIso };
  tx.putAggregate(row);
  // A complete ChangeRow (seq 0 = to be assigned by the store; publishedAt null) that nobody else
  // holds: a store keeping objects (memory) adopts it instead of copying it field by field.
  const change: ChangeRow = {
    seq: 0,
    tenantId: c.tenantId,
    module: c.module,
    aggregate: c.aggregate,
    version,
    op: c.op,
    eventType: c.eventType,
    state: c.state,
    committedAt: c.nowIso,
    eventId: c.eventId,
    clientMutationId: c.clientMutationId,
    actorId: c.actorId,
    publishedAt: null,
  };
  tx.appendChange(change);
  return version;
}
