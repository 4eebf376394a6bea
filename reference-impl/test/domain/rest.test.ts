import { describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { ctxOf, makeCore, payloads, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);
const ctx = ctxOf('t1');

describe('REST writes', () => {
  requirementTest(
    { id: 'core.rest.idempotency-key-required', verifies: ['OFS-IDEM-010', 'OFS-IDEM-003'] },
    'a REST write without Idempotency-Key is 400 idempotency-key-missing and stores nothing',
    () => {
      const { core, store } = makeCore();
      const r = core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'encounters', body: { id: uuid(2, 1), ...payloads.encounter(PATIENT) } });
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toBe('application/problem+json');
      expect((r.body as { type: string }).type).toBe('https://syncproof.dev/problems/idempotency-key-missing');
      expect(store.findAggregate('t1', 'encounter', uuid(2, 1))).toBeUndefined();
    },
  );

  requirementTest(
    { id: 'core.rest.replay-original-response', verifies: ['OFS-IDEM-012', 'OFS-CONF-011'] },
    'a repeated REST write returns the original status, body and ETag plus Idempotent-Replayed: true',
    () => {
      const { core, store } = makeCore();
      const req = { module: 'clinic', kind: 'create' as const, collection: 'encounters', idempotencyKey: 'k-1', body: { id: uuid(2, 1), ...payloads.encounter(PATIENT) } };
      const first = core.restWrite(ctx, req);
      expect(first.status).toBe(201);
      expect(first.headers.etag).toBe('"1"');
      expect(first.headers.location).toBe(`/v1/clinic/encounters/${uuid(2, 1)}`);
      const again = core.restWrite(ctx, req);
      expect(again.status).toBe(201);
      expect(again.bodyJson).toBe(first.bodyJson);
      expect(again.headers).toMatchObject({ etag: '"1"', 'idempotent-replayed': 'true' });
      expect(again.replayed).toBe(true);
      expect(store.outboxSize()).toBe(1);
      const get = core.getResource(ctx, { module: 'clinic', collection: 'encounters', id: uuid(2, 1) });
      expect(get.status).toBe(200);
      expect(get.headers.etag).toBe('"1"');
      expect(get.body).toMatchObject({ id: uuid(2, 1), type: 'encounter', version: 1 });
    },
  );

  requirementTest(
    { id: 'core.rest.key-reuse-422', verifies: ['OFS-IDEM-007'] },
    'the same Idempotency-Key with a different body is 422 idempotency-key-reuse, never the cached response',
    () => {
      const { core } = makeCore();
      core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: 'k-1', body: { id: uuid(2, 1), ...payloads.encounter(PATIENT) } });
      const r = core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: 'k-1', body: { id: uuid(2, 2), ...payloads.encounter(PATIENT) } });
      expect(r.status).toBe(422);
      expect((r.body as { type: string }).type).toBe('https://syncproof.dev/problems/idempotency-key-reuse');
      expect(r.replayed).toBe(false);
    },
  );

  requirementTest(
    { id: 'core.rest.if-match', verifies: ['OFS-CONF-009', 'OFS-CONF-010', 'OFS-CONF-012'] },
    'PATCH needs If-Match (428), a stale one is 412 with the current ETag and version, and a replay wins over If-Match',
    () => {
      const { core, store } = makeCore();
      const id = uuid(2, 1);
      core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: 'c', body: { id, ...payloads.encounter(PATIENT) } });
      const patch = { module: 'clinic', kind: 'patch' as const, collection: 'encounters', id, body: { status: 'finished' } };
      expect(core.restWrite(ctx, { ...patch, idempotencyKey: 'p0' }).status).toBe(428);
      const ok = core.restWrite(ctx, { ...patch, idempotencyKey: 'p1', ifMatch: '"1"' });
      expect(ok.status).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      const stale = core.restWrite(ctx, { ...patch, body: { status: 'planned' }, idempotencyKey: 'p2', ifMatch: '"1"' });
      expect(stale.status).toBe(412);
      expect(stale.headers.etag).toBe('"2"');
      expect(stale.body).toMatchObject({ currentVersion: 2 });
      expect(store.findAggregate('t1', 'encounter', id)?.state.status).toBe('finished');
      // Retry of p1 (its If-Match is now stale): replay, not 412.
      const replay = core.restWrite(ctx, { ...patch, idempotencyKey: 'p1', ifMatch: '"1"' });
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(store.findAggregate('t1', 'encounter', id)?.version).toBe(2);
    },
  );

  test('notes append and stock adjust through REST; other tenant gets 404', () => {
    const { core } = makeCore();
    const note = uuid(2, 1);
    expect(core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'notes', idempotencyKey: 'n', body: { id: note, ...payloads.note(PATIENT) } }).status).toBe(201);
    const ap = core.restWrite(ctx, { module: 'clinic', kind: 'append', collection: 'notes', id: note, idempotencyKey: 'a', body: payloads.entry('hello') });
    expect(ap.status).toBe(200);
    expect((ap.body as { state: { entries: unknown[] } }).state.entries).toHaveLength(1);
    const item = uuid(2, 2);
    core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'stock-items', idempotencyKey: 's', body: { id: item, ...payloads.stock('X', 2) } });
    // Stock quantities move only through adjust mutations; notes are append-only.
    const adj = core.restWrite(ctx, { module: 'clinic', kind: 'patch', collection: 'stock-items', id: item, idempotencyKey: 's2', ifMatch: '"1"', body: { name: 'x' } });
    expect(adj.status).toBe(422);
    expect((adj.body as { type: string }).type).toBe('https://syncproof.dev/problems/business-rule-violation');
    expect(core.restWrite(ctx, { module: 'clinic', kind: 'patch', collection: 'notes', id: note, idempotencyKey: 'n2', ifMatch: '"2"', body: { title: 'x' } }).status).toBe(422);
    // A controlled item without the role: 403 forbidden on the REST path.
    const controlled = core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'stock-items', idempotencyKey: 's3', body: { id: uuid(2, 3), ...payloads.stock('M', 1, true) } });
    expect(controlled.status).toBe(403);
    expect((controlled.body as { type: string }).type).toBe('https://syncproof.dev/problems/forbidden');
    expect(core.getResource(ctxOf('t2'), { module: 'clinic', collection: 'notes', id: note }).status).toBe(404);
    expect(core.restWrite(ctxOf('t2'), { module: 'clinic', kind: 'append', collection: 'notes', id: note, idempotencyKey: 'a', body: payloads.entry('x') }).status).toBe(404);
  });
});

describe('REST specifics of the accepted TR §5', () => {
  test('Idempotency-Key shares the scope with clientMutationId and accepts the sf-string form', () => {
    const { core } = makeCore();
    const key = uuid(7, 1);
    const body = { id: uuid(2, 1), ...payloads.encounter(PATIENT) };
    const first = core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: `"${key}"`, body });
    expect(first.status).toBe(201);
    const again = core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: key, body });
    expect(again.replayed).toBe(true);
    // The same id used as a clientMutationId of a push with another mutation: reuse.
    const r = core.push(ctx, 'clinic', {
      clientId: uuid(1, 1),
      mutations: [{ clientMutationId: key, clientSeq: 1, aggregate: { type: 'note', id: uuid(2, 2) }, op: 'create', baseVersion: 0, payload: payloads.note(PATIENT), capturedAt: '2026-01-01T00:00:00Z', actorId: 'alice' }],
    });
    expect(r.ok && r.value.outcomes[0]?.status === 'rejected' && r.value.outcomes[0].problem.type).toBe('https://syncproof.dev/problems/idempotency-key-reuse');
  });

  test('patient duplicates over REST are 422 with candidateId and matchedOn; a create on an existing id is 412', () => {
    const { core, store } = makeCore();
    core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'patients', idempotencyKey: 'p1', body: { id: uuid(2, 1), ...payloads.patient('MRN-1') } });
    const dup = core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'patients', idempotencyKey: 'p2', body: { id: uuid(2, 2), ...payloads.patient('MRN-2') } });
    expect(dup.status).toBe(422);
    expect(dup.body).toMatchObject({ candidateId: uuid(2, 1), matchedOn: ['givenName', 'familyName', 'birthDate'] });
    const again = core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'patients', idempotencyKey: 'p3', body: { id: uuid(2, 1), ...payloads.patient('MRN-9', 'X', 'Y') } });
    expect(again.status).toBe(412);
    expect(core.listConflicts(ctx, { module: 'clinic' })).toEqual({ ok: true, value: { conflicts: [] } });
    expect(store.findAggregate('t1', 'patient', uuid(2, 2))).toBeUndefined();
  });
});

describe('in flight', () => {
  requirementTest(
    { id: 'core.rest.in-flight-409', verifies: ['OFS-IDEM-011'] },
    'a REST write whose Idempotency-Key is still in flight is 409 idempotency-key-in-flight; exactly one takes effect',
    () => {
      const { core, store } = makeCore();
      const req = { module: 'clinic', kind: 'create' as const, collection: 'encounters', idempotencyKey: '"k-9"', body: { id: uuid(2, 9), ...payloads.encounter(PATIENT) } };
      const release = core.holdIdempotencyKey(ctx, 'k-9');
      expect(release).toBeTypeOf('function');
      expect(core.holdIdempotencyKey(ctx, '"k-9"')).toBeUndefined();
      const second = core.restWrite(ctx, req);
      expect(second.status).toBe(409);
      expect((second.body as { type: string }).type).toBe('https://syncproof.dev/problems/idempotency-key-in-flight');
      expect(store.findAggregate('t1', 'encounter', uuid(2, 9))).toBeUndefined();
      // Another tenant's identical key is not in flight.
      expect(core.restWrite(ctxOf('t2'), req).status).toBe(201);
      release?.();
      expect(core.restWrite(ctx, req).status).toBe(201);
      expect(core.restWrite(ctx, req).headers['idempotent-replayed']).toBe('true');
      expect(store.outboxSize()).toBe(2);
    },
  );
});
