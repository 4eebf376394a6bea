/**
 * Events family (TR §8): a trusted observer reads the target's JetStream stream and checks that each
 * applied mutation yields exactly one CloudEvent (contract-valid, right subject and tenant, stable
 * Nats-Msg-Id), that undecided or replayed mutations yield none, and that client credentials
 * cannot publish.
 */
import { randomUUID } from 'node:crypto';
import type { CheckDefinitions } from '../harness/run-check-body.js';
import type { CheckHarness } from '../harness/check-harness.js';
import type { ObservedEvent } from '../harness/event-observer.js';
import { connectNats } from '../harness/event-observer.js';
import { fail } from '../harness/assertions.js';
import { schemaErrors } from '../harness/contract-schemas.js';
import { InconclusiveError, NotApplicableError } from '../failures.js';
import { jetstream } from '@nats-io/jetstream';
import { createAggregate, expectOutcomeStatus, provokeConflict, sleep } from './support.js';

function cmidOf(e: ObservedEvent): string | undefined {
  return (e.body as { data?: { clientMutationId?: string } } | undefined)?.data?.clientMutationId;
}

/**
 * Events of `tenantId` since `since` whose clientMutationId is in `cmids`. Polls until `expected`
 * arrived or the settle time passed, then reads once more so late duplicates are counted too.
 */
async function eventsFor(h: CheckHarness, tenantId: string, since: Date, cmids: ReadonlySet<string>, expected: number): Promise<ObservedEvent[]> {
  const observer = await h.events();
  const nats = h.profile.nats!;
  const settle = nats.settleMs ?? 1500;
  const deadline = Date.now() + Math.max(settle, 500) * 4;
  const read = async () => (await observer.read(nats.stream, h.eventSubject(tenantId), since)).filter((e) => cmids.has(cmidOf(e) ?? ''));
  let got = await read();
  while (got.length < expected && Date.now() < deadline) {
    await sleep(200);
    got = await read();
  }
  await sleep(Math.min(settle, 500));
  return read();
}

function startOfCheck(): Date {
  // A little earlier than now: the target's clock may run slightly behind ours.
  return new Date(Date.now() - 5_000);
}

/** The event checks. */
export const eventChecks: CheckDefinitions = {
  'evt.one-cloudevent-per-applied': {
    title: 'each applied mutation yields exactly one contract-valid CloudEvent on its subject',
    async run(h) {
      await h.events();
      const since = startOfCheck();
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const client = a.client();
      const created = await createAggregate(h, client, agg);
      const upd = client.mutation({ aggregate: created.ref, op: 'update', baseVersion: created.version, payload: h.payload(agg, 'update') });
      const updated = await client.pushOne(upd);
      expectOutcomeStatus(updated, 'applied', 'OFS-SYNC-004', 'update');
      const applied = [
        { m: created.mutation, o: created.outcome, eventType: 'created' },
        { m: upd, o: updated, eventType: 'updated' },
      ];
      const events = await eventsFor(h, a.tenantId, since, new Set(applied.map((x) => x.m.clientMutationId)), applied.length);
      for (const { m, o, eventType } of applied) {
        const mine = events.filter((e) => cmidOf(e) === m.clientMutationId);
        if (mine.length !== 1) fail('CONF_E_EVENT_COUNT', 'OFS-EVT-005', `events for applied ${m.op} ${m.clientMutationId}`, 1, mine.length);
        const e = mine[0]!;
        const errors = schemaErrors('cloudevent', e.body);
        if (errors.length > 0) fail('CONF_E_EVENT_SHAPE', 'OFS-EVT-009', 'event against cloudevent.schema.json', 'valid', errors.join('; '));
        const subject = h.eventSubject(a.tenantId, `${agg.type}.${eventType}`);
        if (e.subject !== subject) fail('CONF_E_EVENT_SHAPE', 'OFS-EVT-003', 'event subject', subject, e.subject);
        const body = e.body as { id?: string; type?: string; specversion?: string; subject?: string };
        if (body.specversion !== '1.0') fail('CONF_E_EVENT_SHAPE', 'OFS-EVT-003', 'specversion', '1.0', body.specversion);
        const type = `org.syncproof.${h.module}.${agg.type}.${eventType}`;
        if (body.type !== type) fail('CONF_E_EVENT_SHAPE', 'OFS-EVT-003', 'event type', type, body.type);
        if (body.subject !== created.ref.id) fail('CONF_E_EVENT_SHAPE', 'OFS-EVT-003', 'event subject attribute', created.ref.id, body.subject);
        if (body.id !== o.eventId) fail('CONF_E_EVENT_SHAPE', 'OFS-EVT-005', "event id vs the outcome's eventId", o.eventId, body.id);
      }
    },
  },

  'evt.msg-id-stable': {
    title: 'Nats-Msg-Id equals the event id and a retried push publishes nothing new',
    async run(h) {
      await h.events();
      const since = startOfCheck();
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const client = a.client();
      const created = await createAggregate(h, client, agg);
      const replay = await client.pushOne(created.mutation);
      if (replay.eventId !== created.outcome.eventId) fail('CONF_E_EVENT_MSG_ID', 'OFS-EVT-004', 'eventId of the replayed outcome', created.outcome.eventId, replay.eventId);
      const events = await eventsFor(h, a.tenantId, since, new Set([created.mutation.clientMutationId]), 1);
      if (events.length !== 1) fail('CONF_E_EVENT_COUNT', 'OFS-EVT-004', 'events after a push and its retry', 1, events.length);
      const e = events[0]!;
      const id = (e.body as { id?: string }).id;
      if (e.msgId !== id) fail('CONF_E_EVENT_MSG_ID', 'OFS-EVT-004', 'Nats-Msg-Id header', id, e.msgId ?? '(absent)');
    },
  },

  'evt.none-for-undecided': {
    title: 'rejected, conflicted and replayed mutations publish no event',
    async run(h) {
      await h.events();
      const since = startOfCheck();
      const a = h.actor('tenantA');
      const stale = h.aggregate('reject-stale');
      const staleClient = a.client();
      const { conflict, staleMutation, created } = await provokeConflict(h, stale, a.client(), staleClient, 'OFS-CONF-001');
      expectOutcomeStatus(conflict, 'conflict', 'OFS-CONF-001', 'stale update');
      await staleClient.pushOne(staleMutation);
      const silent = new Set([staleMutation.clientMutationId]);
      try {
        const stock = h.aggregate('server-authoritative');
        const sc = a.client();
        const item = await createAggregate(h, sc, stock);
        const q = Number((item.payload as { quantity?: unknown }).quantity ?? 0);
        const rej = sc.mutation({ aggregate: item.ref, op: 'adjust', baseVersion: item.version, payload: h.payload(stock, 'adjust', { delta: -(q + 1) }) });
        expectOutcomeStatus(await sc.pushOne(rej), 'rejected', 'OFS-CONF-006', 'impossible decrement');
        silent.add(rej.clientMutationId);
      } catch (err) {
        if (!(err instanceof NotApplicableError)) throw err;
      }
      // Control: the create behind the conflict is applied and must have its one event.
      const all = new Set([...silent, created.mutation.clientMutationId]);
      const events = await eventsFor(h, a.tenantId, since, all, 1);
      const control = events.filter((e) => cmidOf(e) === created.mutation.clientMutationId);
      if (control.length !== 1) fail('CONF_E_EVENT_COUNT', 'OFS-EVT-005', 'events of the applied create (control)', 1, control.length);
      const leaked = events.filter((e) => silent.has(cmidOf(e) ?? ''));
      if (leaked.length > 0) fail('CONF_E_EVENT_COUNT', 'OFS-EVT-006', 'events for rejected, conflicted or replayed mutations', 0, leaked.map((e) => e.subject));
    },
  },

  'evt.subject-carries-tenant': {
    title: "every event's subject and data carry the tenant of its mutation",
    async run(h) {
      await h.events();
      const since = startOfCheck();
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const b = h.actor('tenantB');
      const ca = await createAggregate(h, a.client(), agg);
      const cb = await createAggregate(h, b.client(), agg);
      const both = new Set([ca.mutation.clientMutationId, cb.mutation.clientMutationId]);
      for (const [actor, own, foreign] of [[a, ca, cb], [b, cb, ca]] as const) {
        const events = await eventsFor(h, actor.tenantId, since, both, 1);
        const mine = events.filter((e) => cmidOf(e) === own.mutation.clientMutationId);
        if (mine.length !== 1) fail('CONF_E_EVENT_COUNT', 'OFS-TEN-005', `events of ${actor.tenant} under its own subject`, 1, mine.length);
        if (events.some((e) => cmidOf(e) === foreign.mutation.clientMutationId)) {
          fail('CONF_E_TENANT_LEAK', 'OFS-TEN-005', `events under ${actor.tenant}'s subjects`, 'only its own', `an event of the other tenant`);
        }
        const body = mine[0]!.body as { tenantid?: string; data?: { tenantId?: string } };
        if (body.tenantid !== actor.tenantId || body.data?.tenantId !== actor.tenantId) {
          fail('CONF_E_TENANT_LEAK', 'OFS-TEN-005', 'tenant of the event', actor.tenantId, { tenantid: body.tenantid, dataTenantId: body.data?.tenantId });
        }
      }
    },
  },

  'evt.client-cannot-publish': {
    title: 'client NATS credentials cannot publish domain events',
    async run(h) {
      const nats = h.profile.nats;
      if (!nats?.clientCredentials) throw new NotApplicableError('the profile gives no client NATS credentials (clients hold none)');
      await h.events();
      const since = startOfCheck();
      const a = h.actor('tenantA');
      const agg = h.aggregate('reject-stale');
      const fakeCmid = randomUUID();
      const subject = h.eventSubject(a.tenantId, `${agg.type}.created`);
      let nc;
      try {
        nc = await connectNats(nats.url, nats.clientCredentials, 'syncproof-client-publish-probe');
      } catch (err) {
        // Refused credentials prove nothing about what a working client login may do: unknown,
        // never pass (the observer connected a moment ago, so NATS itself is there).
        const why = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
        throw new InconclusiveError(
          `the profile's client NATS credentials were refused at connect (${why}); fix nats.clientCredentials, or remove them if clients hold none`,
          { cause: err },
        );
      }
      // Positive controls: real creates applied just before and just after the probe, whose events
      // the observer must see on the very subject the probe publishes to. Not seeing the client's
      // message proves nothing unless a real event on that subject and stream is seen.
      const before = await createAggregate(h, a.client(), agg);
      try {
        const body = JSON.stringify({ specversion: '1.0', id: randomUUID(), data: { clientMutationId: fakeCmid, tenantId: a.tenantId } });
        await jetstream(nc, { timeout: 2_000 }).publish(subject, body).catch(() => undefined);
        nc.publish(subject, body);
        await nc.flush().catch(() => undefined);
      } finally {
        await nc.close().catch(() => undefined);
      }
      const after = await createAggregate(h, a.client(), agg);
      await sleep(500);
      const controls = [before, after].map((c) => c.mutation.clientMutationId);
      const events = await eventsFor(h, a.tenantId, since, new Set([fakeCmid, ...controls]), controls.length);
      const injected = events.filter((e) => cmidOf(e) === fakeCmid);
      if (injected.length > 0) fail('CONF_E_EVENT_PUBLISH_ALLOWED', 'OFS-EVT-007', 'messages published with client credentials', 0, injected.length);
      const unseen = controls.filter((cmid) => !events.some((e) => cmidOf(e) === cmid && e.subject === subject));
      if (unseen.length > 0) {
        throw new InconclusiveError(
          `the observer saw no event on ${subject} in stream ${nats.stream} for ${unseen.length} of ${controls.length} applied control create(s) ` +
            `made around the publish attempt, so not seeing the client's message proves nothing`,
        );
      }
    },
  },
};
