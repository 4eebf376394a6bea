/**
 * The consumer side of the server's event stream: reads one NATS message (subject, headers and
 * JSON body) into a typed notice, the way a downstream service subscribed to `sync.>` or `audit.>`
 * would. It checks what a consumer relies on before acting: the body validates against the
 * contract schema, the subject names the same tenant and event as the body, and `Nats-Msg-Id`
 * equals the event id (the de-duplication key). The message pact runs it on the pact's examples.
 */
import { schemaErrors } from '../../src/harness/contract-schemas.js';

/** A NATS message as the consumer receives it. */
export interface IncomingMessage {
  readonly subject: string;
  /** NATS headers, names as sent (case-insensitive lookup). */
  readonly headers: Readonly<Record<string, unknown>>;
  /** The decoded JSON body. */
  readonly body: unknown;
}

/** A message the consumer refuses. Stable `code` per reason. */
export class EventRejectedError extends Error {
  override name = 'EventRejectedError';
  constructor(
    readonly code: 'schema' | 'subject' | 'msg-id' | 'content-type',
    message: string,
  ) {
    super(message);
  }
}

/** What a consumer learns from a domain event. */
export interface SyncEventNotice {
  readonly eventId: string;
  readonly tenantId: string;
  readonly module: string;
  readonly aggregate: { readonly type: string; readonly id: string };
  readonly eventType: string;
  readonly version: number;
  readonly op: string;
  readonly clientMutationId: string;
  readonly actorId: string;
  readonly state: Readonly<Record<string, unknown>>;
}

/** What a consumer learns from an audit event. */
export interface AuditNotice {
  readonly auditEventId: string;
  readonly tenantId: string;
  readonly module: string;
  readonly action: string;
  /** `<FhirType>/<id>` references of the audited entities. */
  readonly entities: readonly string[];
  /** `base=..;server=..;result=..` when the event names versions. */
  readonly versions?: string;
}

/** CloudEvents structured JSON (TR §8.2). */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
/** FHIR JSON (TR §9.5). */
export const FHIR_CONTENT_TYPE = 'application/fhir+json';

function header(headers: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : headers[key];
  return typeof v === 'string' ? v : undefined;
}

function checkContentType(headers: Readonly<Record<string, unknown>>, expected: string): void {
  const ct = header(headers, 'content-type');
  // Content-Type is optional on NATS; when present it must say what the body is.
  if (ct !== undefined && ct.split(';')[0]?.trim() !== expected) {
    throw new EventRejectedError('content-type', `content-type '${ct}' where ${expected} was expected`);
  }
}

function checkSchema(schema: string, body: unknown): void {
  const errors = schemaErrors(schema, body);
  if (errors.length > 0) throw new EventRejectedError('schema', `body is not a valid ${schema}: ${errors.join('; ')}`);
}

function checkMsgId(headers: Readonly<Record<string, unknown>>, id: string): void {
  const msgId = header(headers, 'Nats-Msg-Id');
  if (msgId !== id) throw new EventRejectedError('msg-id', `Nats-Msg-Id '${String(msgId)}' differs from the event id '${id}'`);
}

/** Reads a domain event published on `sync.<tenantId>.<module>.<aggregateType>.<eventType>`. */
export function readSyncEvent(message: IncomingMessage): SyncEventNotice {
  checkContentType(message.headers, CLOUDEVENTS_CONTENT_TYPE);
  checkSchema('cloudevent', message.body);
  const ce = message.body as {
    id: string;
    type: string;
    tenantid: string;
    subject: string;
    data: Omit<SyncEventNotice, 'eventId' | 'module' | 'eventType'>;
  };
  const [, module, aggregateType, eventType] = /^org\.syncproof\.([^.]+)\.([^.]+)\.([^.]+)$/.exec(ce.type) ?? [];
  const expected = `sync.${ce.tenantid}.${module}.${aggregateType}.${eventType}`;
  if (message.subject !== expected) throw new EventRejectedError('subject', `subject '${message.subject}' where '${expected}' was expected`);
  if (ce.data.tenantId !== ce.tenantid || ce.data.aggregate.type !== aggregateType || ce.data.aggregate.id !== ce.subject) {
    throw new EventRejectedError('subject', 'tenantid, type and subject disagree with data');
  }
  checkMsgId(message.headers, ce.id);
  return {
    eventId: ce.id,
    tenantId: ce.tenantid,
    module: module as string,
    aggregate: { type: ce.data.aggregate.type, id: ce.data.aggregate.id },
    eventType: eventType as string,
    version: ce.data.version,
    op: ce.data.op,
    clientMutationId: ce.data.clientMutationId,
    actorId: ce.data.actorId,
    state: ce.data.state,
  };
}

/** Reads an audit event published on `audit.<tenantId>.<module>.<action>` as FHIR JSON (TR §9.5). */
export function readAuditEvent(message: IncomingMessage): AuditNotice {
  checkContentType(message.headers, FHIR_CONTENT_TYPE);
  checkSchema('audit-event', message.body);
  const event = message.body as {
    id: string;
    source: { site?: string };
    entity: { what: { reference: string }; detail?: { type: string; valueString: string }[] }[];
  };
  const [, tenantId, module, action] = /^audit\.([^.]+)\.([^.]+)\.([^.]+)$/.exec(message.subject) ?? [];
  if (tenantId === undefined) throw new EventRejectedError('subject', `subject '${message.subject}' is not audit.<tenantId>.<module>.<action>`);
  checkMsgId(message.headers, event.id);
  const versions = event.entity.flatMap((e) => e.detail ?? []).find((d) => d.type === 'versions')?.valueString;
  return {
    auditEventId: event.id,
    tenantId,
    module: module as string,
    action: action as string,
    entities: event.entity.map((e) => e.what.reference),
    ...(versions === undefined ? {} : { versions }),
  };
}
