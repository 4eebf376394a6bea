/**
 * `event-for-rejected-mutation` — why this violates OFS-EVT-006: the outbox row is written when a
 * mutation is received rather than when it is applied, so rejected and conflicted mutations also
 * publish a domain event that downstream consumers treat as a committed change.
 * Planted: core wrapper — after `push`, each freshly rejected or conflicted mutation gets a change
 * (outbox) row in its own transaction, at the aggregate's current version.
 */
import { andThen } from '../domain/maybe.js';
import { eventIdFor } from '../domain/ids.js';
import type { PushResponse, Result } from '../domain/api.js';
import type { Mutation, RequestContext } from '../domain/types.js';
import type { AggregateRef, JsonObject } from '../ports/records.js';
import type { Store } from '../ports/store.js';
import { defineDefect, type AnyCore } from './defect.js';
import { wrapCore } from './wrap-ports.js';

const EVENT_TYPE: Readonly<Record<string, string>> = { create: 'created', update: 'updated', append: 'appended', adjust: 'adjusted' };

function publishUndecided(core: AnyCore, store: Store): AnyCore {
  return wrapCore(core, {
    push: (ctx: RequestContext, module: string, body: unknown) =>
      andThen(core.push(ctx, module, body) as Result<PushResponse> | Promise<Result<PushResponse>>, (r) => {
        if (!r.ok) return r;
        const sent = new Map(((body as { mutations?: Mutation[] }).mutations ?? []).map((m) => [m.clientMutationId, m] as const));
        const undecided = r.value.outcomes
          .filter((o) => (o.status === 'rejected' || o.status === 'conflict') && o.replayed !== true)
          .map((o) => sent.get(o.clientMutationId))
          .filter((m): m is Mutation => m !== undefined);
        if (undecided.length === 0) return r;
        const aggregates: AggregateRef[] = undecided.map((m) => m.aggregate);
        const written = store.transaction({ tenantId: ctx.tenantId, aggregates }, (tx) => {
          for (const m of undecided) {
            const current = tx.getAggregate(ctx.tenantId, m.aggregate.type, m.aggregate.id);
            tx.appendChange({
              tenantId: ctx.tenantId,
              module,
              aggregate: m.aggregate,
              version: Math.max(1, current?.version ?? 1),
              op: m.op,
              eventType: EVENT_TYPE[m.op] ?? 'updated',
              state: (current?.state ?? m.payload) as JsonObject,
              committedAt: m.capturedAt,
              eventId: eventIdFor(ctx.tenantId, m.clientMutationId),
              clientMutationId: m.clientMutationId,
              actorId: m.actorId,
            });
          }
        });
        return andThen(written, () => r);
      }),
  });
}

export const eventForRejectedMutation = defineDefect({
  name: 'event-for-rejected-mutation',
  violates: ['OFS-EVT-006'],
  description: 'an event is published for a rejected or conflicted mutation (outbox row written on receipt)',
  site: 'core',
  hooks: { core: publishUndecided },
});
