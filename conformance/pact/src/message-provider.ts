/**
 * Verifies the event consumer's message pact against the reference server's event production: each
 * message is made by running the real operation through the reference core (an in-process core over
 * SQLite `:memory:`), reading the row it committed to the outbox, and turning it into what the relay
 * publishes — `toCloudEvent` / `eventSubject` for domain events, the audit entry's FHIR AuditEvent and
 * subject for audit events — with the real subject and `Nats-Msg-Id` as message metadata.
 */
import { randomUUID } from 'node:crypto';
import { providerWithMetadata, Verifier } from '@pact-foundation/pact';
import { eventSubject, toCloudEvent } from '../../../reference-impl/src/domain/cloud-event.js';
import type { RequestContext } from '../../../reference-impl/src/domain/types.js';
import { auditEntryMsgId, auditEntrySubject, CLOUDEVENTS_JSON, FHIR_JSON } from '../../../reference-impl/src/events/outbox-relay.js';
import { createInProcessCore, type InProcessCore } from '../../../reference-impl/src/in-process/in-process-core.js';
import { openSqliteStore } from '../../../reference-impl/src/stores/sqlite/sqlite-store.js';
import type { IncomingMessage } from './event-consumer.js';
import { MessageDescription } from './message-consumer-pact.js';
import { MESSAGE_PAIR, pactFile } from './pact-files.js';
import { MessageState, stringParam } from './provider-states.js';

/** A message the provider produced during verification, as it would go onto NATS. */
export interface ProducedMessage extends IncomingMessage {
  readonly description: string;
}

/** Options of {@link verifyMessageProvider}. */
export interface MessageProviderOptions {
  readonly pactFile?: string;
  /** Rewrites each message before Pact sees it: fault injection for the suite's own tests. */
  readonly tamper?: (message: ProducedMessage) => ProducedMessage;
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/** The reference core did not do what the message needs (a fault in the reference, not the pact). */
export class ProductionError extends Error {
  override name = 'ProductionError';
}

/** Builds push mutations the way any client would (fresh ids, the context's actor). */
function mutation(ctx: RequestContext, seq: number, aggregate: { type: string; id: string }, op: string, baseVersion: number, payload: object) {
  return { clientMutationId: randomUUID(), clientSeq: seq, aggregate, op, baseVersion, payload, capturedAt: new Date().toISOString(), actorId: ctx.actorId };
}

function push(core: InProcessCore, ctx: RequestContext, mutations: readonly object[]) {
  const r = core.push(ctx, { clientId: randomUUID(), mutations });
  if (!r.ok) throw new ProductionError(`push refused: ${r.problem.type}`);
  return r.value.outcomes;
}

/** The reference's event production for one verification run. */
class ReferenceEventSource {
  private readonly store = openSqliteStore({ filename: ':memory:' });
  private readonly core = createInProcessCore({ clock: { now: () => Date.now() }, store: this.store });
  private tenantSeq = 0;
  private ctx: RequestContext = { tenantId: '', actorId: '', roles: ['clinician'] };
  readonly produced: ProducedMessage[] = [];

  /** A fresh tenant for the next interaction. */
  nextTenant(): void {
    this.tenantSeq += 1;
    this.ctx = { tenantId: `pact-events-${this.tenantSeq}`, actorId: '', roles: ['clinician'] };
  }

  actAs(params: unknown): void {
    this.ctx = { ...this.ctx, actorId: stringParam(params, 'actorId') };
  }

  /** Pushes an encounter create and returns the CloudEvent of its outbox row. */
  encounterCreated(): ProducedMessage {
    const aggregate = { type: 'encounter', id: randomUUID() };
    const [outcome] = push(this.core, this.ctx, [mutation(this.ctx, 1, aggregate, 'create', 0, { patientId: randomUUID(), status: 'planned' })]);
    if (outcome?.status !== 'applied') throw new ProductionError(`encounter create was ${outcome?.status}`);
    const eventId = (outcome as { eventId: string }).eventId;
    const row = this.store.claimOutbox(10_000).find((r) => r.eventId === eventId);
    if (!row) throw new ProductionError(`no outbox row for event ${eventId}`);
    this.store.markPublished([row.seq], new Date().toISOString());
    return this.keep({
      description: MessageDescription.encounterCreated,
      subject: eventSubject(row),
      headers: { 'Nats-Msg-Id': row.eventId, 'content-type': CLOUDEVENTS_JSON },
      body: toCloudEvent(row),
    });
  }

  /** Opens a reject-stale conflict on an encounter, resolves it with take-client, returns the audit entry's event. */
  conflictResolvedAudit(): ProducedMessage {
    const aggregate = { type: 'encounter', id: randomUUID() };
    const ctx = this.ctx;
    const outcomes = push(this.core, ctx, [
      mutation(ctx, 1, aggregate, 'create', 0, { patientId: randomUUID(), status: 'planned' }),
      mutation(ctx, 2, aggregate, 'update', 1, { status: 'in-progress' }),
    ]);
    if (outcomes.some((o) => o.status !== 'applied')) throw new ProductionError('setup of the encounter failed');
    const [conflict] = push(this.core, ctx, [mutation(ctx, 1, aggregate, 'update', 1, { status: 'finished' })]);
    if (conflict?.status !== 'conflict') throw new ProductionError(`stale update was ${conflict?.status}`);
    const conflictId = (conflict as { conflictId: string }).conflictId;
    const resolved = this.core.resolve(ctx, conflictId, { resolution: 'take-client' });
    if (!resolved.ok) throw new ProductionError(`resolution refused: ${resolved.problem.type}`);
    const row = this.store.claimAuditOutbox(10_000).find((r) => r.tenantId === ctx.tenantId && r.sourceId === `conflict:${conflictId}`);
    if (!row) throw new ProductionError(`no audit entry for conflict ${conflictId}`);
    this.store.markAuditPublished([{ tenantId: row.tenantId, seq: row.seq }], new Date().toISOString());
    return this.keep({
      description: MessageDescription.conflictResolvedAudit,
      subject: auditEntrySubject(row),
      headers: { 'Nats-Msg-Id': auditEntryMsgId(row), 'content-type': FHIR_JSON },
      body: row.event,
    });
  }

  close(): void {
    this.store.close();
  }

  private keep(m: ProducedMessage): ProducedMessage {
    this.produced.push(m);
    return m;
  }
}

/** Wraps a producer so Pact gets the body and the real subject and headers as metadata. */
function asPactProvider(produce: () => ProducedMessage, tamper: (m: ProducedMessage) => ProducedMessage) {
  return async (descriptor: unknown) => {
    const m = tamper(produce());
    const metadata: Record<string, string> = { subject: m.subject };
    for (const [k, v] of Object.entries(m.headers)) metadata[k] = String(v);
    return providerWithMetadata(() => m.body as object, metadata)(descriptor as never);
  };
}

/**
 * Verifies the message pact; rejects when a message does not match. Returns the messages produced,
 * so a caller can check them against the contract schemas too.
 */
export async function verifyMessageProvider(options: MessageProviderOptions = {}): Promise<readonly ProducedMessage[]> {
  const source = new ReferenceEventSource();
  const tamper = options.tamper ?? ((m: ProducedMessage) => m);
  try {
    await new Verifier({
      provider: MESSAGE_PAIR.provider,
      pactUrls: [options.pactFile ?? pactFile(MESSAGE_PAIR)],
      logLevel: options.logLevel ?? 'error',
      beforeEach: async () => source.nextTenant(),
      stateHandlers: {
        [MessageState.encounterCreated]: async (params: unknown) => {
          source.actAs(params);
          return undefined;
        },
        [MessageState.phiConflictResolved]: async (params: unknown) => {
          source.actAs(params);
          return undefined;
        },
      },
      messageProviders: {
        [MessageDescription.encounterCreated]: asPactProvider(() => source.encounterCreated(), tamper),
        [MessageDescription.conflictResolvedAudit]: asPactProvider(() => source.conflictResolvedAudit(), tamper),
      },
    }).verifyProvider();
    return source.produced;
  } finally {
    source.close();
  }
}
