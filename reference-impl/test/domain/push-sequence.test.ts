import { describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, problemOf, pushBody, uuid } from './helpers.js';

const CLIENT = uuid(1, 1);
const PATIENT = uuid(9, 9);

describe('push order, sequence and blocking', () => {
  requirementTest(
    { id: 'core.sync.one-outcome-per-mutation', verifies: ['OFS-SYNC-005', 'OFS-SYNC-006'] },
    'a push returns exactly one outcome per mutation, in request order, each of a known variant',
    () => {
      const { core } = makeCore();
      const ctx = ctxOf('t1');
      const muts = Array.from({ length: 20 }, (_, i) =>
        mutation({ cmid: uuid(3, i + 1), seq: i + 1, type: 'note', id: uuid(2, 1), op: i === 0 ? 'create' : 'append', payload: i === 0 ? payloads.note(PATIENT) : payloads.entry(`e${i}`) }),
      );
      const outcomes = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, muts)));
      expect(outcomes).toHaveLength(20);
      outcomes.forEach((o, i) => {
        expect(o.clientMutationId).toBe(uuid(3, i + 1));
        expect(o.clientSeq).toBe(i + 1);
        expect(o.status).toBe('applied');
        if (o.status === 'applied') {
          expect(o.newVersion).toBe(i + 1);
          expect(o.etag).toBe(`"${i + 1}"`);
          expect(o.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        }
      });
    },
  );

  requirementTest(
    { id: 'core.sync.gap-out-of-order', verifies: ['OFS-SYNC-007'] },
    'a clientSeq gap is rejected out-of-order with expectedSeq, the rest not-processed, nothing recorded',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const enc = (seq: number) => mutation({ cmid: uuid(3, seq), seq, type: 'encounter', id: uuid(2, seq), op: 'create', payload: payloads.encounter(PATIENT) });
      const outcomes = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(1), enc(3), enc(4)])));
      expect(outcomes.map((o) => o.status)).toEqual(['applied', 'rejected', 'not-processed']);
      expect(problemOf(outcomes[1])).toBe('out-of-order');
      expect(outcomes[1]?.status === 'rejected' && outcomes[1].problem.expectedSeq).toBe(2);
      expect(store.findAggregate('t1', 'encounter', uuid(2, 3))).toBeUndefined();
      // Not recorded: after the client fixes its queue the same mutations are processed.
      const retry = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(2), enc(3), enc(4)])));
      expect(retry.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    },
  );

  test('clientSeq must start at 1 for a new client', () => {
    const { core } = makeCore();
    const [o] = outcomesOf(
      core.push(ctxOf('t1'), 'clinic', pushBody(CLIENT, [mutation({ cmid: uuid(3, 1), seq: 2, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(PATIENT) })])),
    );
    expect(problemOf(o)).toBe('out-of-order');
  });

  requirementTest(
    { id: 'core.sync.blocked-behind-open-conflict', verifies: ['OFS-SYNC-008'] },
    'a later mutation on an aggregate with an open conflict of the same client is blocked; other aggregates proceed; after resolution the retry is processed',
    () => {
      const { core } = makeCore();
      const ctx = ctxOf('t1');
      const enc = uuid(2, 1);
      const other = uuid(2, 2);
      // Server side: another client creates and updates the encounter.
      outcomesOf(
        core.push(ctx, 'clinic', pushBody(uuid(1, 2), [
          mutation({ cmid: uuid(4, 1), seq: 1, type: 'encounter', id: enc, op: 'create', payload: payloads.encounter(PATIENT) }),
          mutation({ cmid: uuid(4, 2), seq: 2, type: 'encounter', id: enc, op: 'update', base: 1, payload: { status: 'in-progress' } }),
        ])),
      );
      const stale = mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: enc, op: 'update', base: 1, payload: { status: 'finished' } });
      const next = mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: enc, op: 'update', base: 1, payload: { reason: 'follow-up' } });
      const elsewhere = mutation({ cmid: uuid(3, 3), seq: 3, type: 'encounter', id: other, op: 'create', payload: payloads.encounter(PATIENT) });
      const outcomes = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [stale, next, elsewhere])));
      expect(outcomes.map((o) => o.status)).toEqual(['conflict', 'blocked', 'applied']);
      const conflictId = outcomes[0]?.status === 'conflict' ? outcomes[0].conflictId : '';
      expect(outcomes[1]).toEqual({ clientMutationId: uuid(3, 2), clientSeq: 2, status: 'blocked', blockedBy: conflictId });
      // Still blocked on retry (blocked is not recorded).
      expect(outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [next])))[0]?.status).toBe('blocked');
      const resolved = core.resolveConflict(ctx, { module: 'clinic', conflictId, body: { resolution: 'keep-server' } });
      expect(resolved.ok).toBe(true);
      const version = resolved.ok ? resolved.value.newVersion : 0;
      // The retried mutation is processed (not duplicate-expired): stale against the new version → conflict again;
      // rebased by the client on the new version → applied.
      const rebased = { ...next, baseVersion: version };
      const [after] = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [rebased])));
      expect(after?.status).toBe('applied');
    },
  );

  requirementTest(
    { id: 'core.sync.whole-request-validation', verifies: ['OFS-SYNC-016', 'OFS-SEC-007'] },
    'a malformed push is refused as a whole with a problem naming the field, and stores nothing',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const good = mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(PATIENT) });
      const cases: [unknown, string, string?][] = [
        [null, 'validation-failed', ''],
        [[], 'validation-failed', ''],
        [{ clientId: 'nope', mutations: [good] }, 'validation-failed', '/clientId'],
        [{ clientId: CLIENT, mutations: [] }, 'validation-failed', '/mutations'],
        [{ clientId: CLIENT, mutations: [{ ...good, aggregate: { type: 'spaceship', id: uuid(2, 1) } }] }, 'unknown-aggregate-type'],
        [{ clientId: CLIENT, mutations: [{ ...good, clientSeq: 0 }] }, 'validation-failed', '/mutations/0/clientSeq'],
        [{ clientId: CLIENT, mutations: [{ ...good, op: 'delete' }] }, 'validation-failed', '/mutations/0/op'],
        [{ clientId: CLIENT, mutations: [{ ...good, payload: [] }] }, 'validation-failed', '/mutations/0/payload'],
        [{ clientId: CLIENT, mutations: [{ ...good, extra: 1 }] }, 'validation-failed', '/mutations/0/extra'],
        [{ clientId: CLIENT, mutations: [good, good] }, 'validation-failed', '/mutations/1/clientMutationId'],
        [{ clientId: CLIENT, mutations: [{ ...good, clientSeq: 2 }, { ...good, clientMutationId: uuid(3, 2), clientSeq: 2 }] }, 'validation-failed', '/mutations/1/clientSeq'],
        [{ clientId: CLIENT, mutations: Array.from({ length: 501 }, () => good) }, 'batch-too-large'],
        [{ clientId: CLIENT, tenantId: 'other', mutations: [good] }, 'tenant-mismatch'],
        [{ clientId: CLIENT, tenantId: 'bad.tenant', mutations: [good] }, 'invalid-tenant-id'],
      ];
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 40; i++) deep = { d: deep };
      cases.push([{ clientId: CLIENT, mutations: [{ ...good, payload: deep }] }, 'validation-failed']);
      for (const [body, type, pointer] of cases) {
        const r = core.push(ctx, 'clinic', body);
        expect(r.ok, JSON.stringify(body)?.slice(0, 80)).toBe(false);
        if (r.ok) continue;
        expect(r.problem.type).toBe(`https://syncproof.dev/problems/${type}`);
        expect(r.problem.status).toBeGreaterThanOrEqual(400);
        expect(r.problem.status).toBeLessThan(500);
        if (pointer !== undefined) expect(r.problem.errors?.map((e) => e.pointer)).toContain(pointer);
      }
      expect(store.outboxSize()).toBe(0);
      expect(store.findAggregate('t1', 'encounter', uuid(2, 1))).toBeUndefined();
    },
  );

  requirementTest(
    { id: 'core.sync.invalid-payload-rejected', verifies: ['OFS-SYNC-016'] },
    'a mutation whose payload breaks the aggregate rules is rejected validation-failed and changes nothing; the queue moves on',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const outcomes = outcomesOf(
        core.push(ctx, 'clinic', pushBody(CLIENT, [
          mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: { patientId: PATIENT, status: 'dancing' } }),
          mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: uuid(2, 1), op: 'append', payload: { text: 'x' } }),
          mutation({ cmid: uuid(3, 3), seq: 3, type: 'encounter', id: uuid(2, 2), op: 'create', payload: payloads.encounter(PATIENT) }),
        ])),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'applied']);
      expect(outcomes[0]?.status === 'rejected' && outcomes[0].problem.errors?.[0]?.pointer).toBe('/payload/status');
      expect(problemOf(outcomes[1])).toBe('validation-failed');
      expect(store.findAggregate('t1', 'encounter', uuid(2, 1))).toBeUndefined();
      expect(store.outboxSize()).toBe(1);
    },
  );

  test('an unknown module is not-found', () => {
    const { core } = makeCore();
    const r = core.push(ctxOf('t1'), 'dental', {});
    expect(!r.ok && r.problem.status).toBe(404);
  });
});

describe('unrecorded rejections stop the push', () => {
  requirementTest(
    { id: 'core.sync.unrecorded-rejections-stop', verifies: ['OFS-AUTH-004', 'OFS-IDEM-007', 'OFS-SYNC-005'] },
    'actor-mismatch and idempotency-key-reuse answer the rest of the push not-processed and consume no clientSeq',
    () => {
      const { core } = makeCore();
      const ctx = ctxOf('t1');
      const enc = (seq: number, actor = 'alice', status = 'planned') =>
        mutation({ cmid: uuid(3, seq), seq, type: 'encounter', id: uuid(2, seq), op: 'create', payload: payloads.encounter(PATIENT, status), actor });
      const a = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(1), enc(2, 'bob'), enc(3)])));
      expect(a.map((o) => o.status)).toEqual(['applied', 'rejected', 'not-processed']);
      expect(problemOf(a[1])).toBe('actor-mismatch');
      const b = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(1, 'alice', 'finished'), enc(2)])));
      expect(b.map((o) => o.status)).toEqual(['rejected', 'not-processed']);
      expect(problemOf(b[0])).toBe('idempotency-key-reuse');
      // seq 2 was never consumed.
      expect(outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(2), enc(3)]))).map((o) => o.status)).toEqual(['applied', 'applied']);
    },
  );

  test('a mutation behind a pending (blocked) one on the same aggregate is blocked too, even after the conflict is resolved', () => {
    const { core } = makeCore();
    const ctx = ctxOf('t1');
    const e = uuid(2, 1);
    core.push(ctx, 'clinic', pushBody(uuid(1, 2), [
      mutation({ cmid: uuid(4, 1), seq: 1, type: 'encounter', id: e, op: 'create', payload: payloads.encounter(PATIENT) }),
      mutation({ cmid: uuid(4, 2), seq: 2, type: 'encounter', id: e, op: 'update', base: 1, payload: { reason: 'x' } }),
    ]));
    const first = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [
      mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: e, op: 'update', base: 1, payload: { status: 'finished' } }),
      mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: e, op: 'update', base: 1, payload: { reason: 'y' } }),
    ])));
    expect(first.map((o) => o.status)).toEqual(['conflict', 'blocked']);
    const conflictId = first[0]?.status === 'conflict' ? first[0].conflictId : '';
    expect(core.resolveConflict(ctx, { module: 'clinic', conflictId, body: { resolution: 'keep-server' } }).ok).toBe(true);
    // seq 3 on the same aggregate arrives before the resend of pending seq 2: blocked by it.
    const third = mutation({ cmid: uuid(3, 3), seq: 3, type: 'encounter', id: e, op: 'update', base: 2, payload: { reason: 'z' } });
    expect(outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [third])))[0]).toMatchObject({ status: 'blocked', blockedBy: conflictId });
    const resent = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [
      mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: e, op: 'update', base: 2, payload: { reason: 'y' } }),
      { ...third, baseVersion: 3 },
    ])));
    expect(resent.map((o) => o.status)).toEqual(['applied', 'applied']);
  });
});
