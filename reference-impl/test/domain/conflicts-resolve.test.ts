/**
 * Conflict resolution requests (TR §6.6): If-Match against the aggregate's current version, who
 * may resolve, body validation, and the audit event of a PHI resolution.
 */
import { describe, expect, test } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { createCore } from '../../src/domain/core.js';
import { moduleRegistry } from '../../src/domain/module.js';
import type { ConflictOutcome } from '../../src/domain/types.js';
import { ManualClock } from '../../src/ports/clock.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, pushBody, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);
const ENC = uuid(2, 1);
const ctx = ctxOf('t1');

type AnyCore = ReturnType<typeof makeCore>['core'];

/** An encounter at version 2, then `actor`'s update based on version 1 from a second client: an open conflict. */
function openConflict(core: AnyCore, actor = 'alice'): ConflictOutcome {
  outcomesOf(
    core.push(ctx, 'clinic', pushBody(uuid(1, 1), [
      mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: ENC, op: 'create', payload: payloads.encounter(PATIENT) }),
      mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: ENC, op: 'update', base: 1, payload: { status: 'in-progress' } }),
    ])),
  );
  const [o] = outcomesOf(
    core.push(ctxOf('t1', actor), 'clinic', pushBody(uuid(1, 2), [mutation({ cmid: uuid(4, 1), seq: 1, type: 'encounter', id: ENC, op: 'update', base: 1, payload: { status: 'finished' }, actor })])),
  );
  expect(o?.status).toBe('conflict');
  return o as ConflictOutcome;
}

function problemType(r: { ok: boolean; problem?: { type: string } }): string | undefined {
  return r.ok ? undefined : r.problem?.type.split('/').pop();
}

describe('If-Match on a resolution', () => {
  test('a stale If-Match is 412 precondition-failed with the current version; the conflict stays open and nothing is written', () => {
    const { core, store } = makeCore();
    const c = openConflict(core);
    const outbox = store.outboxSize();
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'take-client' }, ifMatch: '"1"' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toMatchObject({ type: 'https://syncproof.dev/problems/precondition-failed', status: 412, currentVersion: 2 });
    expect(r.problem.detail).toContain('2');
    expect(store.findConflict('t1', c.conflictId)?.status).toBe('open');
    expect(store.findAggregate('t1', 'encounter', ENC)?.version).toBe(2);
    expect(store.outboxSize()).toBe(outbox);
  });

  test('a matching If-Match (or *) lets the resolution through; a blank one is ignored', () => {
    for (const ifMatch of ['"2"', ' "1", "2" ', '*', '  ']) {
      const { core } = makeCore();
      const c = openConflict(core);
      const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'take-client' }, ifMatch });
      expect(r.ok && r.value.newVersion, ifMatch).toBe(3);
    }
  });
});

describe('who may resolve', () => {
  test('another actor of the tenant without the admin role is 403 forbidden', () => {
    const { core, store } = makeCore();
    const c = openConflict(core);
    const r = core.resolveConflict(ctxOf('t1', 'bob', ['clinician']), { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'take-client' } });
    expect(problemType(r)).toBe('forbidden');
    expect(!r.ok && r.problem.status).toBe(403);
    expect(store.findConflict('t1', c.conflictId)?.status).toBe('open');
  });

  test('an admin may resolve a conflict opened by someone else, and is recorded as the resolver', () => {
    const { core, store } = makeCore();
    const c = openConflict(core);
    const r = core.resolveConflict(ctxOf('t1', 'root', ['admin']), { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'keep-server' } });
    expect(r.ok).toBe(true);
    expect(store.findConflict('t1', c.conflictId)).toMatchObject({ status: 'resolved', resolvedBy: 'root', resolution: 'keep-server' });
  });
});

describe('unknown conflicts', () => {
  test('an unknown module, a non-UUID id and an unknown id are 404', () => {
    const { core } = makeCore();
    openConflict(core);
    expect(problemType(core.resolveConflict(ctx, { module: 'dental', conflictId: uuid(8, 1), body: { resolution: 'keep-server' } }))).toBe('not-found');
    expect(problemType(core.resolveConflict(ctx, { module: 'clinic', conflictId: 'nope', body: { resolution: 'keep-server' } }))).toBe('not-found');
    expect(problemType(core.resolveConflict(ctx, { module: 'clinic', conflictId: uuid(8, 1), body: { resolution: 'keep-server' } }))).toBe('not-found');
    expect(problemType(core.listConflicts(ctx, { module: 'dental' }))).toBe('not-found');
  });

  test('a conflict of another module is not found through this module', () => {
    const store = createMemoryStore();
    const core = createCore({ store, clock: new ManualClock(0), modules: moduleRegistry(clinicModule, { name: 'dental', aggregates: clinicModule.aggregates }) });
    const c = openConflict(core);
    const r = core.resolveConflict(ctx, { module: 'dental', conflictId: c.conflictId, body: { resolution: 'keep-server' } });
    expect(problemType(r)).toBe('not-found');
    expect(store.findConflict('t1', c.conflictId)?.status).toBe('open');
  });

  test('listing with a status other than open or resolved is validation-failed', () => {
    const { core } = makeCore();
    const r = core.listConflicts(ctx, { module: 'clinic', status: 'closed' });
    expect(problemType(r)).toBe('validation-failed');
    expect(!r.ok && r.problem.errors).toEqual([{ pointer: '/status', detail: expect.stringContaining('open') }]);
  });

  test('listing without a status lists the open conflicts only', () => {
    const { core } = makeCore();
    const c = openConflict(core);
    expect(core.listConflicts(ctx, { module: 'clinic' })).toMatchObject({ ok: true, value: { conflicts: [{ conflictId: c.conflictId, status: 'open' }] } });
    core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'keep-server' } });
    expect(core.listConflicts(ctx, { module: 'clinic' })).toEqual({ ok: true, value: { conflicts: [] } });
  });
});

describe('resolution body', () => {
  const cases: [unknown, string[]][] = [
    [[], ['']],
    ['keep-server', ['']],
    [{ resolution: 'keep-server', note: 'x' }, ['/note']],
    [{ resolution: 'discard' }, ['/resolution']],
    [{}, ['/resolution']],
    [{ resolution: 'merged' }, ['/state']],
    [{ resolution: 'merged', state: [] }, ['/state']],
    [{ resolution: 'take-client', state: {} }, ['/state']],
    [{ resolution: 'merged', state: { patientId: PATIENT, status: 'finished', extra: 1 } }, ['/state/extra']],
  ];
  for (const [body, pointers] of cases) {
    test(`${JSON.stringify(body)} is validation-failed at ${pointers.join(', ')}`, () => {
      const { core, store } = makeCore();
      const c = openConflict(core);
      const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body });
      expect(problemType(r)).toBe('validation-failed');
      if (r.ok) return;
      expect(r.problem.errors?.map((e) => e.pointer)).toEqual(pointers);
      for (const e of r.problem.errors ?? []) expect(e.detail).not.toBe('');
      expect(store.findConflict('t1', c.conflictId)?.status).toBe('open');
    });
  }

  test('a merged state beyond the size limits is validation-failed at its pointer', () => {
    const { core } = makeCore({ config: { maxDepth: 3 } });
    const c = openConflict(core);
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'merged', state: { patientId: PATIENT, status: 'finished', reason: { a: { b: {} } } } } });
    expect(!r.ok && r.problem.errors).toEqual([{ pointer: '/state/reason/a/b', detail: expect.stringContaining('3') }]);
  });

  test('an unknown field and a bad resolution are both reported', () => {
    const { core } = makeCore();
    const c = openConflict(core);
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'nope', x: 1 } });
    expect(!r.ok && r.problem.errors?.map((e) => e.pointer)).toEqual(['/x', '/resolution']);
  });
});

describe('a resolution that breaks a module rule', () => {
  test('take-client whose status would go backwards is 422 business-rule-violation and stays open', () => {
    const { core, store } = makeCore();
    outcomesOf(
      core.push(ctx, 'clinic', pushBody(uuid(1, 1), [
        mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: ENC, op: 'create', payload: payloads.encounter(PATIENT) }),
        mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: ENC, op: 'update', base: 1, payload: { status: 'finished' } }),
      ])),
    );
    const [o] = outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 2), [mutation({ cmid: uuid(4, 1), seq: 1, type: 'encounter', id: ENC, op: 'update', base: 1, payload: { status: 'in-progress' } })])));
    const c = o as ConflictOutcome;
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'take-client' } });
    expect(!r.ok && r.problem).toMatchObject({ type: 'https://syncproof.dev/problems/business-rule-violation', status: 422 });
    expect(store.findConflict('t1', c.conflictId)?.status).toBe('open');
  });

  test('a merged state failing the rule’s own validation is 400 with /state pointers', () => {
    const { core } = makeCore();
    const c = openConflict(core);
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'merged', state: { patientId: 'x', status: 'finished' } } });
    expect(!r.ok && r.problem).toMatchObject({ status: 400, errors: [{ pointer: '/state/patientId' }] });
  });
});

describe('the resolution record', () => {
  test('take-client commits version 3, closes the conflict with time, resolution and resolver, and is audited', () => {
    const store = createMemoryStore();
    const clock = new ManualClock(Date.UTC(2026, 2, 3, 4, 5, 6));
    const core = createCore({ store, clock, modules: moduleRegistry(clinicModule), audit: createAuditRecorder() });
    const c = openConflict(core);
    clock.advance(1000);
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'take-client' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ newVersion: 3, etag: '"3"' });
    expect(r.value.conflict).toMatchObject({ conflictId: c.conflictId, status: 'resolved', resolution: 'take-client', resolvedAt: '2026-03-03T04:05:07.000Z' });
    expect(store.findAggregate('t1', 'encounter', ENC)).toMatchObject({ version: 3, updatedAt: '2026-03-03T04:05:07.000Z', state: { status: 'finished' } });
    expect(r.value.audits).toEqual([
      expect.objectContaining({
        kind: 'conflict-resolved',
        tenantId: 't1',
        module: 'clinic',
        actorId: 'alice',
        aggregate: { type: 'encounter', id: ENC },
        patientRef: `Patient/${PATIENT}`,
        versions: [2, 3],
        versionDetail: { base: 1, server: 2, result: 3 },
        policy: 'reject-stale',
        op: 'update',
        recorded: '2026-03-03T04:05:07.000Z',
        sourceId: `conflict:${c.conflictId}`,
        conflictId: c.conflictId,
        resolution: 'take-client',
        clientMutationId: uuid(4, 1),
        outcome: '0',
      }),
    ]);
    expect(store.listAudit('t1', 0, 10)).toHaveLength(1);
  });

  test('keep-server writes no version and answers the current one', () => {
    const { core, store } = makeCore();
    const c = openConflict(core);
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'keep-server' } });
    expect(r.ok && r.value).toMatchObject({ newVersion: 2, etag: '"2"' });
    expect(r.ok && r.value.audits[0]?.versionDetail).toEqual({ base: 1, server: 2, result: 2 });
    expect(store.findAggregate('t1', 'encounter', ENC)?.version).toBe(2);
  });

  test('a resolved conflict lists its resolution and time; an open one has neither', () => {
    const { core } = makeCore();
    const c = openConflict(core);
    const open = core.listConflicts(ctx, { module: 'clinic' });
    expect(open.ok && open.value.conflicts[0]).not.toHaveProperty('resolvedAt');
    expect(open.ok && open.value.conflicts[0]).not.toHaveProperty('resolution');
    core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'keep-server' } });
    const done = core.listConflicts(ctx, { module: 'clinic', status: 'resolved' });
    expect(done.ok && done.value.conflicts[0]).toMatchObject({ resolution: 'keep-server', resolvedAt: '2026-01-01T00:00:00.000Z', clientId: uuid(1, 2), clientMutationId: uuid(4, 1) });
  });
});

describe('refusals explain themselves', () => {
  test('each refusal carries a detail', () => {
    const { core } = makeCore();
    const c = openConflict(core);
    const details = [
      core.resolveConflict(ctx, { module: 'dental', conflictId: c.conflictId, body: { resolution: 'keep-server' } }),
      core.resolveConflict(ctx, { module: 'clinic', conflictId: 'nope', body: { resolution: 'keep-server' } }),
      core.resolveConflict(ctx, { module: 'clinic', conflictId: uuid(8, 1), body: { resolution: 'keep-server' } }),
      core.resolveConflict(ctxOf('t1', 'bob'), { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'keep-server' } }),
      core.listConflicts(ctx, { module: 'dental' }),
    ].map((r) => (r.ok ? undefined : r.problem.detail));
    for (const d of details) expect(d).toMatch(/\w{3}/);
    core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'keep-server' } });
    const again = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'keep-server' } });
    expect(!again.ok && again.problem.detail).toBe(`conflict ${c.conflictId} is already resolved`);
  });

  test('a body that is not an object is named at the root', () => {
    const { core } = makeCore();
    const c = openConflict(core);
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: 'x' });
    expect(!r.ok && r.problem.errors).toEqual([{ pointer: '', detail: 'must be a JSON object' }]);
  });
});

describe('without an audit recorder', () => {
  test('a PHI resolution still reports its audit event as due', () => {
    const { core } = makeCore({ audit: false });
    const c = openConflict(core);
    const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: c.conflictId, body: { resolution: 'keep-server' } });
    expect(r.ok && r.value.audits.map((a) => a.kind)).toEqual(['conflict-resolved']);
  });
});
