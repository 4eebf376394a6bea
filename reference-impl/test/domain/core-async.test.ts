/**
 * The core over an asynchronous store (as with PostgreSQL): every entry point answers through a
 * promise with the same results as over a synchronous store, each transaction declares the reads
 * it makes (so a prefetching store needs one round trip), and a REST write whose
 * Idempotency-Key is still being decided is 409 idempotency-key-in-flight (TR §5.2).
 */
import { describe, expect, test } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { RestWriteRequest } from '../../src/domain/api.js';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { createCore } from '../../src/domain/core.js';
import { defectSet, type DefectName } from '../../src/domain/defects.js';
import { moduleRegistry } from '../../src/domain/module.js';
import type { ConflictOutcome } from '../../src/domain/types.js';
import { ManualClock } from '../../src/ports/clock.js';
import { asyncMemoryStore } from './async-store.js';
import { ctxOf, makeCore, mutation, payloads, pushBody, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);
const ctx = ctxOf('t1');

function asyncCore(defects?: DefectName[]) {
  const a = asyncMemoryStore();
  const core = createCore({
    store: a.store,
    clock: new ManualClock(Date.UTC(2026, 0, 1)),
    modules: moduleRegistry(clinicModule),
    audit: createAuditRecorder(),
    ...(defects ? { defects: defectSet(defects) } : {}),
  });
  return { ...a, core };
}

/** A push exercising apply, reject (insufficient stock, permission lost), conflict, blocked and replay. */
const setup = pushBody(uuid(1, 9), [
  mutation({ cmid: uuid(5, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(PATIENT) }),
  mutation({ cmid: uuid(5, 2), seq: 2, type: 'encounter', id: uuid(2, 1), op: 'update', base: 1, payload: { status: 'in-progress' } }),
  mutation({ cmid: uuid(5, 3), seq: 3, type: 'stock-item', id: uuid(2, 2), op: 'create', payload: payloads.stock('S', 2) }),
  mutation({ cmid: uuid(5, 4), seq: 4, type: 'note', id: uuid(2, 3), op: 'create', payload: payloads.note(PATIENT) }),
]);
const work = pushBody(uuid(1, 1), [
  mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'update', base: 1, payload: { status: 'finished' } }),
  mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: uuid(2, 1), op: 'update', base: 1, payload: { reason: 'x' } }),
  mutation({ cmid: uuid(3, 3), seq: 3, type: 'stock-item', id: uuid(2, 2), op: 'adjust', payload: { delta: -5, reason: 'dispense' } }),
  mutation({ cmid: uuid(3, 4), seq: 4, type: 'note', id: uuid(2, 3), op: 'append', payload: payloads.entry('hello') }),
  mutation({ cmid: uuid(3, 5), seq: 5, type: 'patient', id: uuid(2, 4), op: 'create', payload: payloads.patient('M-1') }),
]);

describe('push over an asynchronous store', () => {
  test('answers through a promise with the same outcomes as over a synchronous store', async () => {
    const { core, misses } = asyncCore();
    const sync = makeCore().core;
    const first = core.push(ctx, 'clinic', setup);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual(sync.push(ctx, 'clinic', setup));
    expect(await core.push(ctx, 'clinic', work)).toEqual(sync.push(ctx, 'clinic', work));
    // A retry replays, and is declared too.
    const again = await core.push(ctx, 'clinic', work);
    expect(again.ok && again.value.outcomes.map((o) => o.status)).toEqual(['conflict', 'blocked', 'rejected', 'applied', 'applied']);
    expect(misses).toEqual([]);
  });

  test('declares the keys, client, aggregates (once each), index lookups, open conflicts and audit head', async () => {
    const { core, scopes } = asyncCore();
    await core.push(ctx, 'clinic', work);
    expect(scopes[0]).toEqual({
      tenantId: 't1',
      idempotencyKeys: [uuid(3, 1), uuid(3, 2), uuid(3, 3), uuid(3, 4), uuid(3, 5)],
      clientIds: [uuid(1, 1)],
      aggregates: [
        { type: 'encounter', id: uuid(2, 1) },
        { type: 'stock-item', id: uuid(2, 2) },
        { type: 'note', id: uuid(2, 3) },
        { type: 'patient', id: uuid(2, 4) },
      ],
      indexLookups: clinicModule.aggregates.get('patient')?.lookups('create', payloads.patient('M-1')),
      openConflictsOfClients: true,
      auditHead: true,
    });
  });

  test('permission-lost is audited with the audit head declared', async () => {
    const { core, misses, mem } = asyncCore();
    await core.push(ctxOf('t1', 'phil', ['pharmacist']), 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(5, 1), seq: 1, type: 'stock-item', id: uuid(2, 2), op: 'create', payload: payloads.stock('M', 5, true), actor: 'phil' })]));
    const r = await core.push(ctx, 'clinic', pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: uuid(2, 2), op: 'adjust', payload: { delta: -1, reason: 'dispense' } })]));
    expect(r.ok && r.value.audits.map((a) => a.kind)).toEqual(['permission-lost']);
    expect(mem.listAudit('t1', 0, 10)).toHaveLength(1);
    expect(misses).toEqual([]);
  });

  test('an unknown op or type is refused before any transaction', async () => {
    const { core, scopes } = asyncCore();
    const bad = pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'spaceship', id: uuid(2, 1), op: 'create', payload: {} })]);
    const r = await core.push(ctx, 'clinic', bad);
    expect(!r.ok && r.problem.status).toBe(422);
    expect(scopes).toEqual([]);
  });

  test('a mutation whose op its type does not accept declares no index lookups for it', async () => {
    const { core, scopes, misses } = asyncCore();
    const r = await core.push(ctx, 'clinic', pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'patient', id: uuid(2, 1), op: 'append', payload: payloads.patient('M-1') })]));
    expect(r.ok && r.value.outcomes[0]?.status).toBe('rejected');
    expect(scopes[0]?.indexLookups).toEqual([]);
    expect(misses).toEqual([]);
  });

  test('with dedup-ignores-tenant planted the keys are looked up across tenants', async () => {
    const { core, scopes } = asyncCore(['dedup-ignores-tenant']);
    await core.push(ctx, 'clinic', setup);
    expect(scopes[0]?.tenantId).toBe('*');
  });
});

describe('the other entry points over an asynchronous store', () => {
  test('pull, conflicts, resolution and resources answer through promises', async () => {
    const { core, misses } = asyncCore();
    await core.push(ctx, 'clinic', setup);
    const pushed = await core.push(ctx, 'clinic', work);
    const conflict = (pushed.ok ? pushed.value.outcomes[0] : undefined) as ConflictOutcome;
    const page = await core.pull(ctx, { module: 'clinic', limit: 2 });
    expect(page.ok && page.value.changes).toHaveLength(2);
    const list = await core.listConflicts(ctx, { module: 'clinic' });
    expect(list.ok && list.value.conflicts.map((c) => c.conflictId)).toEqual([conflict.conflictId]);
    const resolved = await core.resolveConflict(ctx, { module: 'clinic', conflictId: conflict.conflictId, body: { resolution: 'take-client' }, ifMatch: '"2"' });
    expect(resolved.ok && resolved.value.newVersion).toBe(3);
    expect(resolved.ok && resolved.value.audits).toHaveLength(1);
    const res = await core.getResource(ctx, { module: 'clinic', collection: 'encounters', id: uuid(2, 1) });
    expect(res).toMatchObject({ status: 200, headers: { etag: '"3"' } });
    expect(misses).toEqual([]);
  });

  test('resolving a patient duplicate declares the matched patient and the MRN lookup', async () => {
    const { core, misses, scopes } = asyncCore();
    await core.push(ctx, 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(5, 1), seq: 1, type: 'patient', id: uuid(2, 1), op: 'create', payload: payloads.patient('M-1') })]));
    const dup = await core.push(ctx, 'clinic', pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'patient', id: uuid(2, 2), op: 'create', payload: payloads.patient('M-2') })]));
    const c = (dup.ok ? dup.value.outcomes[0] : undefined) as ConflictOutcome;
    expect(c.status).toBe('conflict');
    misses.length = 0;
    const before = scopes.length;
    const r = await core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'take-client' } });
    expect(r.ok).toBe(true);
    expect(scopes[before]).toMatchObject({ conflictIds: [c.conflictId], aggregates: [{ type: 'patient', id: uuid(2, 2) }, { type: 'patient', id: uuid(2, 1) }], auditHead: true });
    expect(misses).toEqual([]);
  });

  test('a REST write declares its key, aggregate and lookups', async () => {
    const { core, misses } = asyncCore();
    const r = await core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'patients', idempotencyKey: 'k', body: { id: uuid(2, 1), ...payloads.patient('M-1') } });
    expect(r.status).toBe(201);
    expect((await core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'patients', idempotencyKey: 'k', body: { id: uuid(2, 1), ...payloads.patient('M-1') } })).replayed).toBe(true);
    expect(misses).toEqual([]);
  });
});

describe('REST Idempotency-Key in flight', () => {
  const req: RestWriteRequest = { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: 'k-1', body: { id: uuid(2, 1), ...payloads.encounter(PATIENT) } };

  test('a second write with the key while the first is being decided is 409; afterwards it replays', async () => {
    const { core, mem } = asyncCore();
    const first = core.restWrite(ctx, req);
    const second = await core.restWrite(ctx, { ...req, idempotencyKey: '"k-1"' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ type: 'https://syncproof.dev/problems/idempotency-key-in-flight' });
    expect(second.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(second.bodyJson)).toEqual(second.body);
    expect((await first).status).toBe(201);
    const third = await core.restWrite(ctx, req);
    expect(third).toMatchObject({ status: 201, replayed: true });
    expect(mem.outboxSize()).toBe(1);
  });

  test('the key is released when the write fails too', async () => {
    const { core } = asyncCore();
    const bad = await core.restWrite(ctx, { ...req, body: { id: uuid(2, 1), patientId: 'x', status: 'planned' } });
    expect(bad.status).toBe(400);
    expect((await core.restWrite(ctx, req)).status).toBe(201);
  });

  test('other keys and other tenants are not blocked; a write without a key is not tracked', async () => {
    const { core } = asyncCore();
    const first = core.restWrite(ctx, req);
    const otherTenant = core.restWrite(ctxOf('t2'), req);
    const otherKey = core.restWrite(ctx, { ...req, idempotencyKey: 'k-2', body: { id: uuid(2, 2), ...payloads.encounter(PATIENT) } });
    const { idempotencyKey: _omit, ...keyless } = req;
    const noKey = core.restWrite(ctx, keyless);
    expect((await first).status).toBe(201);
    expect((await otherTenant).status).toBe(201);
    expect((await otherKey).status).toBe(201);
    expect((await noKey).status).toBe(400);
  });

  test('holdIdempotencyKey keeps a key in flight until released, per tenant', async () => {
    const { core } = asyncCore();
    const release = core.holdIdempotencyKey(ctx, '"k-1"');
    expect(release).toBeTypeOf('function');
    expect(core.holdIdempotencyKey(ctx, 'k-1')).toBeUndefined();
    expect(core.holdIdempotencyKey(ctx, '')).toBeUndefined();
    expect((await core.restWrite(ctx, req)).status).toBe(409);
    expect((await core.restWrite(ctxOf('t2'), req)).status).toBe(201);
    release?.();
    expect((await core.restWrite(ctx, req)).status).toBe(201);
  });
});

describe('in flight over a synchronous store', () => {
  test('a held key answers 409 until released; a malformed key is not held', () => {
    const { core } = makeCore();
    const release = core.holdIdempotencyKey(ctx, 'k-1');
    expect(core.restWrite(ctx, req()).status).toBe(409);
    release?.();
    expect(core.restWrite(ctx, req()).status).toBe(201);
    expect(core.holdIdempotencyKey(ctx, 'a b')).toBeUndefined();
    expect(core.restWrite(ctx, { ...req(), idempotencyKey: 'a b' }).status).toBe(400);
  });

  test('the 409 is a problem answer that is neither a replay nor audited', () => {
    const { core } = makeCore();
    core.holdIdempotencyKey(ctx, 'k-1');
    const r = core.restWrite(ctx, req());
    expect(r).toMatchObject({ status: 409, replayed: false, audits: [], headers: { 'content-type': 'application/problem+json' } });
    expect((r.body as { detail: string }).detail).toMatch(/Idempotency-Key/);
  });

  test('tenant and key are kept apart: tenant t1 key "1k" is not tenant t11 key "k"', () => {
    const { core } = makeCore();
    core.holdIdempotencyKey(ctxOf('t1'), '1k');
    expect(core.restWrite(ctxOf('t11'), { ...req(), idempotencyKey: 'k' }).status).toBe(201);
  });

  function req(): RestWriteRequest {
    return { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: 'k-1', body: { id: uuid(2, 1), ...payloads.encounter(PATIENT) } };
  }
});
