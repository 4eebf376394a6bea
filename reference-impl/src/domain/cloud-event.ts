/**
 * The CloudEvents 1.0 form of a committed change (TR §8.2) and its NATS subject. Built from the
 * stored change row when the relay publishes, so the hot path never serialises events.
 */
import type { ChangeRow, JsonObject } from '../ports/records.js';

/** A CloudEvent as published on `sync.<tenantId>.<module>.<aggregateType>.<eventType>`. */
export interface SyncCloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly tenantid: string;
  readonly data: {
    readonly tenantId: string;
    readonly aggregate: { readonly type: string; readonly id: string };
    readonly version: number;
    readonly op: string;
    readonly clientMutationId: string;
    readonly actorId: string;
    readonly state: JsonObject;
  };
}

/** NATS subject of a change. */
export function eventSubject(row: Pick<ChangeRow, 'tenantId' | 'module' | 'aggregate' | 'eventType'>): string {
  return `sync.${row.tenantId}.${row.module}.${row.aggregate.type}.${row.eventType}`;
}

/** CloudEvent `type` of a change. */
export function eventType(row: Pick<ChangeRow, 'module' | 'aggregate' | 'eventType'>): string {
  return `org.syncproof.${row.module}.${row.aggregate.type}.${row.eventType}`;
}

/** The CloudEvent of a change. */
export function toCloudEvent(row: ChangeRow): SyncCloudEvent {
  return {
    specversion: '1.0',
    id: row.eventId,
    source: `/syncproof/${row.module}`,
    type: eventType(row),
    subject: row.aggregate.id,
    time: row.committedAt,
    datacontenttype: 'application/json',
    tenantid: row.tenantId,
    data: {
      tenantId: row.tenantId,
      aggregate: { type: row.aggregate.type, id: row.aggregate.id },
      version: row.version,
      op: row.op,
      clientMutationId: row.clientMutationId,
      actorId: row.actorId,
      state: row.state,
    },
  };
}
