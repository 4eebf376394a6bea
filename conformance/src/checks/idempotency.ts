/**
 * Idempotency family (TR §3, §5.1–§5.2): duplicates of every decided outcome replay, keys reused
 * with another payload are refused without leaking, REST keys behave per the IETF draft, the scope
 * is (tenant, clientMutationId), and expiry never re-applies.
 */
import { randomUUID } from 'node:crypto';
import { NotApplicableError, InconclusiveError } from '../failures.js';
import type { CheckDefinitions } from '../harness/run-check-body.js';
import { canonical, expectProblem, expectStatus, fail } from '../harness/assertions.js';
import { TEST_HOLD_HEADER } from '../profile/target-profile.js';
import type { TargetResponse } from '../target/target.js';
import {
  collectionOf,
  createAggregate,
  differingFields,
  expectAbsent,
  expectKeyReuseRejected,
  expectOutcomeStatus,
  expectReplayOf,
  mustReadBack,
  provokeConflict,
  readResource,
  sleep,
} from './support.js';

/** How long the hold hook keeps the first write in flight (ms). */
const HOLD_MS = 1500;

/** Answers to requests that all carry one Idempotency-Key and one body. */
class DuplicateTally {
  inFlight = 0;
  originals = 0;

  /** Each answer is 409 in-flight, or 2xx (original, or replay marked Idempotent-Replayed). */
  add(r: TargetResponse): void {
    if (r.status === 409) {
      expectProblem(r, 'idempotency-key-in-flight', 'OFS-IDEM-011', 'concurrent duplicate', 409);
      this.inFlight += 1;
      return;
    }
    expectStatus(r, [200, 201], 'OFS-IDEM-011', 'concurrent duplicate');
    if ((r.headers['idempotent-replayed'] ?? '').toLowerCase() !== 'true') this.originals += 1;
  }

  /** Exactly one request may have been applied. */
  expectOneOriginal(): void {
    if (this.originals !== 1) fail('CONF_E_APPLIED_TWICE', 'OFS-IDEM-011', 'non-replayed answers among requests with one Idempotency-Key', 1, this.originals);
  }
}

/** The idempotency checks. */
export const idempotencyChecks: CheckDefinitions = {
  'idem.sync-duplicate-applied-replays': {
    title: 'a duplicate push of an applied mutation replays the recorded outcome and applies nothing',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const client = h.actor('tenantA').client();
      const created = await createAggregate(h, client, agg);
      const replay = await client.pushOne(created.mutation);
      expectReplayOf(created.outcome, replay);
      // Exactly once: the aggregate is still at the version of the first application.
      const r = await mustReadBack(h.actor('tenantA'), agg, created.ref.id);
      if (r.version !== created.version) fail('CONF_E_APPLIED_TWICE', 'OFS-IDEM-013', 'version after a duplicate push', created.version, r.version);
      // A third delivery inside a larger batch is still a replay.
      const next = client.mutation({ aggregate: created.ref, op: 'update', baseVersion: created.version, payload: h.payload(agg, 'update') });
      const [again, applied] = await client.pushOk([created.mutation, next]);
      expectReplayOf(created.outcome, again!);
      expectOutcomeStatus(applied!, 'applied', 'OFS-IDEM-013', 'update after the duplicates');
      if (applied!.newVersion !== created.version + 1) {
        fail('CONF_E_APPLIED_TWICE', 'OFS-IDEM-013', 'version after duplicates and one update', created.version + 1, applied!.newVersion);
      }
    },
  },

  'idem.sync-duplicate-rejected-replays': {
    title: 'a duplicate push of a rejected mutation replays the recorded rejection',
    async run(h) {
      const agg = h.aggregate('server-authoritative');
      const client = h.actor('tenantA').client();
      const created = await createAggregate(h, client, agg);
      const quantity = Number((created.payload as { quantity?: unknown }).quantity ?? 0);
      const m = client.mutation({ aggregate: created.ref, op: 'adjust', baseVersion: created.version, payload: h.payload(agg, 'adjust', { delta: -(quantity + 1000) }) });
      const first = await client.pushOne(m);
      expectOutcomeStatus(first, 'rejected', 'OFS-CONF-006', 'adjust below zero');
      const replay = await client.pushOne(m);
      expectReplayOf(first, replay);
    },
  },

  'idem.sync-duplicate-conflict-replays': {
    title: 'a duplicate push of a conflicted mutation replays the same conflict and opens no second one',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const staleClient = a.client();
      const { conflict, staleMutation } = await provokeConflict(h, agg, a.client(), staleClient, 'OFS-CONF-001');
      const again = await staleClient.pushOne(staleMutation);
      expectReplayOf(conflict, again);
      const list = await a.get(a.syncPath('conflicts?status=open'));
      expectStatus(list, 200, 'OFS-CONF-008', 'list open conflicts');
      const mine = ((list.body as { conflicts?: { clientMutationId?: string }[] }).conflicts ?? []).filter((c) => c.clientMutationId === staleMutation.clientMutationId);
      if (mine.length !== 1) fail('CONF_E_REPLAY_NOT_IDENTICAL', 'OFS-IDEM-002', 'open conflicts for the retried mutation', 1, mine.length);
    },
  },

  'idem.sync-key-reuse-rejected': {
    title: 'a clientMutationId reused with another payload is rejected as idempotency-key-reuse without the cached outcome',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const client = a.client();
      const created = await createAggregate(h, client, agg);
      const other = { ...created.mutation, payload: h.payload(agg, 'create') };
      const o = await client.pushOne(other);
      expectKeyReuseRejected(o, 'a reused clientMutationId with another payload');
      if (o.problem?.status !== 422) fail('CONF_E_PROBLEM_TYPE', 'OFS-IDEM-007', 'idempotency-key-reuse problem status', 422, o.problem?.status);
      const r = await mustReadBack(a, agg, created.ref.id);
      const changed = differingFields(r.state, created.payload);
      if (r.version !== created.version || changed.length > 0) {
        fail('CONF_E_KEY_REUSE_ACCEPTED', 'OFS-IDEM-007', 'aggregate after a refused key reuse', { version: created.version, state: created.payload }, { version: r.version, state: r.state });
      }
    },
  },

  'idem.sync-key-reuse-other-fields': {
    title: 'a clientMutationId reused with the same payload but another baseVersion or aggregate is rejected as idempotency-key-reuse',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const client = a.client();
      const created = await createAggregate(h, client, agg);
      const update = client.mutation({ aggregate: created.ref, op: 'update', baseVersion: created.version, payload: h.payload(agg, 'update') });
      const applied = await client.pushOne(update);
      expectOutcomeStatus(applied, 'applied', 'OFS-SYNC-004', 'update at the current version');
      const otherId = randomUUID();
      // TR §3.4: the fingerprint covers actorId, aggregate, op and baseVersion as well as the payload.
      const reuses: [string, typeof update][] = [
        ['baseVersion', { ...update, baseVersion: update.baseVersion + 1 }],
        ['aggregate id', { ...created.mutation, aggregate: { type: created.ref.type, id: otherId } }],
      ];
      for (const [field, reused] of reuses) {
        expectKeyReuseRejected(await client.pushOne(reused), `a reused clientMutationId with another ${field}`);
      }
      const r = await mustReadBack(a, agg, created.ref.id);
      if (r.version !== created.version + 1) fail('CONF_E_KEY_REUSE_ACCEPTED', 'OFS-IDEM-007', 'version after refused key reuses', created.version + 1, r.version);
      await expectAbsent(a, agg, otherId, 'OFS-IDEM-007', 'the aggregate named only by a refused key reuse', { code: 'CONF_E_KEY_REUSE_ACCEPTED' });
    },
  },

  'idem.rest-replay-returns-original': {
    title: 'a retried REST write returns the original status and body with Idempotent-Replayed: true',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const path = a.restPath(collectionOf(agg));
      const key = randomUUID();
      const body = { id: randomUUID(), ...h.payload(agg, 'create') };
      const first = await a.post(path, body, { 'idempotency-key': key });
      expectStatus(first, [200, 201], 'OFS-IDEM-003', `POST ${path} with Idempotency-Key`);
      if ((first.headers['idempotent-replayed'] ?? '').toLowerCase() === 'true') {
        fail('CONF_E_REPLAY_NOT_IDENTICAL', 'OFS-IDEM-012', 'Idempotent-Replayed of the first request', '(absent)', 'true');
      }
      if ((first.body as { id?: unknown } | undefined)?.id !== body.id) fail('CONF_E_SHAPE', 'OFS-IDEM-003', 'id of the created resource', body.id, (first.body as { id?: unknown } | undefined)?.id);
      const second = await a.post(path, body, { 'idempotency-key': key });
      expectStatus(second, first.status, 'OFS-IDEM-012', 'replayed POST');
      if ((second.headers['idempotent-replayed'] ?? '').toLowerCase() !== 'true') {
        fail('CONF_E_REPLAY_MARKER_MISSING', 'OFS-IDEM-012', 'Idempotent-Replayed header of the retry', 'true', second.headers['idempotent-replayed'] ?? '(absent)');
      }
      if (canonical(first.body) !== canonical(second.body)) fail('CONF_E_REPLAY_NOT_IDENTICAL', 'OFS-IDEM-012', 'replayed body', first.body, second.body);
      const r = await mustReadBack(a, agg, body.id);
      if (r.version !== (first.body as { version?: number }).version) fail('CONF_E_APPLIED_TWICE', 'OFS-IDEM-012', 'version after the retried POST', (first.body as { version?: number }).version, r.version);
    },
  },

  'idem.rest-key-reuse-422': {
    title: 'an Idempotency-Key reused with another body is 422 idempotency-key-reuse and leaks nothing',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const path = a.restPath(collectionOf(agg));
      const key = randomUUID();
      const body1 = { id: randomUUID(), ...h.payload(agg, 'create') };
      const first = await a.post(path, body1, { 'idempotency-key': key });
      expectStatus(first, [200, 201], 'OFS-IDEM-003', `POST ${path}`);
      const body2 = { id: randomUUID(), ...h.payload(agg, 'create') };
      const second = await a.post(path, body2, { 'idempotency-key': key });
      expectProblem(second, 'idempotency-key-reuse', 'OFS-IDEM-007', 'POST reusing the key with another body', 422);
      if (second.rawBody.includes(body1.id)) fail('CONF_E_CACHED_BODY_LEAKED', 'OFS-IDEM-007', 'reuse answer', `no trace of ${body1.id}`, second.body);
      const { res } = await readResource(a, agg, body2.id);
      expectStatus(res, 404, 'OFS-IDEM-007', 'GET of the body sent with the reused key');
    },
  },

  'idem.rest-concurrent-duplicate-409': {
    title: 'concurrent requests with one Idempotency-Key: one applies, the others get 409 in-flight or the replay',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const path = a.restPath(collectionOf(agg));
      const key = randomUUID();
      const body = { id: randomUUID(), ...h.payload(agg, 'create') };
      await a.token();
      const tally = new DuplicateTally();
      if (h.profile.testHooks?.holdInFlight === true) {
        // Host contract §5: the first write holds its key in flight; duplicates sent one after
        // another until it answers must each see 409 in-flight (or, if one overtook the held
        // request before its key was claimed, be the single original).
        let settled = false;
        const held = a.post(path, body, { 'idempotency-key': key, [TEST_HOLD_HEADER]: String(HOLD_MS) }).finally(() => {
          settled = true;
        });
        const duringHold: TargetResponse[] = [];
        for (let i = 0; i < 40 && !settled; i += 1) {
          const r = await a.post(path, body, { 'idempotency-key': key });
          if (!settled) duringHold.push(r);
          tally.add(r);
          if (!settled) await sleep(HOLD_MS / 20);
        }
        const first = await held;
        tally.add(first);
        const after = await a.post(path, body, { 'idempotency-key': key });
        tally.add(after);
        expectStatus(after, [200, 201], 'OFS-IDEM-012', 'duplicate after the held write finished');
        if ((after.headers['idempotent-replayed'] ?? '').toLowerCase() !== 'true') {
          fail('CONF_E_REPLAY_MARKER_MISSING', 'OFS-IDEM-012', 'Idempotent-Replayed of the duplicate after the held write', 'true', after.headers['idempotent-replayed'] ?? '(absent)');
        }
        tally.expectOneOriginal();
        if (tally.inFlight === 0) {
          throw new InconclusiveError(
            `the profile declares testHooks.holdInFlight, but none of ${duringHold.length} duplicate(s) sent while the held write (${TEST_HOLD_HEADER}: ${HOLD_MS}) was outstanding got 409 — the hook was not honoured, so the in-flight rule was not exercised`,
          );
        }
        return;
      }
      const answers: TargetResponse[] = await Promise.all(Array.from({ length: 8 }, () => a.post(path, body, { 'idempotency-key': key })));
      for (const r of answers) tally.add(r);
      tally.expectOneOriginal();
      if (tally.inFlight === 0) {
        // Every duplicate arrived after the first committed: correct, but the in-flight rule was not exercised.
        throw new InconclusiveError(
          'the target answered every concurrent duplicate after the first had finished, so no request was ever in flight (no 409 could be observed; a target can declare the testHooks.holdInFlight hook, TARGET.md §5)',
        );
      }
    },
  },

  'idem.rest-missing-key-400': {
    title: 'a REST write without Idempotency-Key is 400 idempotency-key-missing and stores nothing',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const path = a.restPath(collectionOf(agg));
      const body = { id: randomUUID(), ...h.payload(agg, 'create') };
      const res = await a.post(path, body);
      expectProblem(res, 'idempotency-key-missing', 'OFS-IDEM-010', `POST ${path} without Idempotency-Key`, 400);
      const read = await readResource(a, agg, body.id);
      expectStatus(read.res, 404, 'OFS-IDEM-010', 'GET of the refused write');
    },
  },

  'idem.scope-per-tenant': {
    title: 'the same clientMutationId in two tenants is two independent mutations',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const cA = h.actor('tenantA').client();
      const cB = h.actor('tenantB').client();
      const a = await createAggregate(h, cA, agg);
      const refB = { type: agg.type, id: randomUUID() };
      const mB = cB.mutation({ aggregate: refB, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create'), clientMutationId: a.mutation.clientMutationId });
      const oB = await cB.pushOne(mB);
      if (oB.replayed === true || oB.status !== 'applied') {
        fail('CONF_E_TENANT_LEAK', 'OFS-IDEM-004', "tenant B's outcome for a clientMutationId tenant A already used", 'applied (not a replay)', oB.problem ? `${oB.status} ${String(oB.problem.type)}` : `${oB.status}${oB.replayed ? ' replayed' : ''}`);
      }
      if (oB.eventId !== undefined && oB.eventId === a.outcome.eventId) {
        fail('CONF_E_TENANT_LEAK', 'OFS-IDEM-004', "tenant B's event id", `not ${a.outcome.eventId}`, oB.eventId);
      }
      await expectAbsent(h.actor('tenantB'), agg, a.ref.id, 'OFS-TEN-006', "tenant B reading tenant A's aggregate", { statuses: [403, 404], code: 'CONF_E_TENANT_LEAK' });
      await mustReadBack(h.actor('tenantB'), agg, refB.id);
    },
  },

  'idem.replay-after-retention': {
    title: 'after its record expired a duplicate is duplicate-expired and never applied again',
    timeoutMs: 90_000,
    async run(h) {
      const seconds = h.profile.idempotency.testRetentionSeconds;
      if (seconds === undefined) {
        throw new NotApplicableError('the profile does not declare idempotency.testRetentionSeconds (the target cannot shorten retention for a test)');
      }
      const agg = h.aggregate('reject-stale');
      const client = h.actor('tenantA').client();
      const created = await createAggregate(h, client, agg);
      await sleep(seconds * 1000 + 1000);
      const again = await client.pushOne(created.mutation);
      if (again.status === 'applied' && again.replayed !== true) {
        fail('CONF_E_DUPLICATE_REAPPLIED', 'OFS-IDEM-009', 'duplicate after retention', 'duplicate-expired (replayed)', again);
      }
      expectOutcomeStatus(again, 'duplicate-expired', 'OFS-IDEM-009', 'duplicate after retention');
      if (again.replayed !== true) fail('CONF_E_REPLAY_MARKER_MISSING', 'OFS-IDEM-009', 'duplicate-expired marker', true, again.replayed);
      const r = await mustReadBack(h.actor('tenantA'), agg, created.ref.id);
      if (r.version !== created.version) fail('CONF_E_DUPLICATE_REAPPLIED', 'OFS-IDEM-009', 'version after the expired duplicate', created.version, r.version);
    },
  },
};
