import { describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { eventIdFor } from '../../src/domain/ids.js';
import type { ConflictOutcome } from '../../src/domain/types.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, pushBody, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);

/** Creates an encounter at version 2 and a stale client update that conflicts; returns the conflict. */
function staleEncounter(core: ReturnType<typeof makeCore>['core'], tenant = 't1') {
  const ctx = ctxOf(tenant);
  const enc = uuid(2, 1);
  outcomesOf(
    core.push(ctx, 'clinic', pushBody(uuid(1, 1), [
      mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: enc, op: 'create', payload: payloads.encounter(PATIENT) }),
      mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: enc, op: 'update', base: 1, payload: { status: 'in-progress' } }),
    ])),
  );
  const [o] = outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 2), [mutation({ cmid: uuid(4, 1), seq: 1, type: 'encounter', id: enc, op: 'update', base: 1, payload: { status: 'finished', reason: 'done' } })])));
  return { enc, conflict: o as ConflictOutcome };
}

describe('conflict listing and resolution', () => {
  requirementTest(
    { id: 'core.conf.list-and-resolve', verifies: ['OFS-CONF-008', 'OFS-EVT-002'] },
    'open conflicts are listed and resolved; resolution commits a new version and one resolved change in the same transaction',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const { enc, conflict } = staleEncounter(core);
      expect(conflict.status).toBe('conflict');
      const listed = core.listConflicts(ctx, { module: 'clinic', status: 'open' });
      expect(listed.ok && listed.value.conflicts).toEqual([
        expect.objectContaining({ conflictId: conflict.conflictId, status: 'open', policy: 'reject-stale', phi: true, serverVersion: 2, proposed: { status: 'finished', reason: 'done' } }),
      ]);
      const before = store.outboxSize();
      const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: conflict.conflictId, body: { resolution: 'take-client' } });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value).toMatchObject({ newVersion: 3, etag: '"3"', conflict: { status: 'resolved', resolution: 'take-client' } });
      expect(r.value.conflict.resolvedAt).toBeDefined();
      expect(store.findAggregate('t1', 'encounter', enc)?.state).toEqual({ patientId: PATIENT, status: 'finished', reason: 'done' });
      expect(store.outboxSize()).toBe(before + 1);
      const last = store.claimOutbox(100).at(-1);
      expect(last).toMatchObject({ op: 'resolve', eventType: 'resolved', version: 3, eventId: eventIdFor('t1', conflict.clientMutationId), clientMutationId: conflict.clientMutationId });
      expect(core.listConflicts(ctx, { module: 'clinic', status: 'open' })).toEqual({ ok: true, value: { conflicts: [] } });
      const resolved = core.listConflicts(ctx, { module: 'clinic', status: 'resolved' });
      expect(resolved.ok && resolved.value.conflicts).toHaveLength(1);
    },
  );

  requirementTest(
    { id: 'core.conf.resolve-not-open', verifies: ['OFS-CONF-008'] },
    'resolving an already resolved conflict is 409 conflict-not-open and changes nothing',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const { enc, conflict } = staleEncounter(core);
      expect(core.resolveConflict(ctx, { module: 'clinic', conflictId: conflict.conflictId, body: { resolution: 'keep-server' } }).ok).toBe(true);
      const version = store.findAggregate('t1', 'encounter', enc)?.version;
      const again = core.resolveConflict(ctx, { module: 'clinic', conflictId: conflict.conflictId, body: { resolution: 'take-client' } });
      expect(!again.ok && again.problem).toMatchObject({ type: 'https://syncproof.dev/problems/conflict-not-open', status: 409 });
      expect(store.findAggregate('t1', 'encounter', enc)?.version).toBe(version);
    },
  );

  requirementTest(
    { id: 'core.conf.phi-resolution-audited-once', verifies: ['OFS-AUD-001'] },
    'resolving a PHI conflict records exactly one audit entry in the same transaction',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const { conflict } = staleEncounter(core);
      const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: conflict.conflictId, body: { resolution: 'merged', state: { patientId: PATIENT, status: 'finished' } } });
      expect(r.ok && r.value.audits.map((a) => a.kind)).toEqual(['conflict-resolved']);
      core.resolveConflict(ctx, { module: 'clinic', conflictId: conflict.conflictId, body: { resolution: 'keep-server' } });
      const entries = store.listAudit('t1', 0, 10);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ seq: 1, sourceId: `conflict:${conflict.conflictId}` });
    },
  );

  requirementTest(
    { id: 'core.ten.conflicts-tenant-scoped', verifies: ['OFS-TEN-006', 'OFS-TEN-002'] },
    "another tenant neither sees nor resolves a tenant's conflict",
    () => {
      const { core } = makeCore();
      const { conflict } = staleEncounter(core, 't1');
      const other = ctxOf('t2');
      const list = core.listConflicts(other, { module: 'clinic' });
      expect(list.ok && list.value.conflicts).toEqual([]);
      const r = core.resolveConflict(other, { module: 'clinic', conflictId: conflict.conflictId, body: { resolution: 'keep-server' } });
      expect(!r.ok && r.problem.status).toBe(404);
    },
  );

  test('a merged resolution needs a valid state; bad bodies are validation-failed', () => {
    const { core } = makeCore();
    const ctx = ctxOf('t1');
    const { conflict } = staleEncounter(core);
    const bodies: unknown[] = [null, {}, { resolution: 'merged' }, { resolution: 'keep-server', state: {} }, { resolution: 'merged', state: { status: 'nope' } }];
    for (const body of bodies) {
      const r = core.resolveConflict(ctx, { module: 'clinic', conflictId: conflict.conflictId, body });
      expect(!r.ok && r.problem.status, JSON.stringify(body)).toBe(400);
    }
  });

  test('patient duplicate: keep-server writes nothing; take-client of a taken MRN is 422; merged creates it', () => {
    const { core, store } = makeCore();
    const ctx = ctxOf('t1');
    outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'patient', id: uuid(2, 1), op: 'create', payload: payloads.patient('M-1') })])));
    const outcomes = outcomesOf(
      core.push(ctx, 'clinic', pushBody(uuid(1, 2), [
        mutation({ cmid: uuid(4, 1), seq: 1, type: 'patient', id: uuid(2, 2), op: 'create', payload: payloads.patient('M-2') }),
        mutation({ cmid: uuid(4, 2), seq: 2, type: 'patient', id: uuid(2, 3), op: 'create', payload: payloads.patient('M-1', 'Other', 'Person', '2001-01-01') }),
      ])),
    );
    const [dup, taken] = outcomes as ConflictOutcome[];
    const outboxBefore = store.outboxSize();
    const keep = core.resolveConflict(ctx, { module: 'clinic', conflictId: dup!.conflictId, body: { resolution: 'keep-server' } });
    expect(keep.ok && keep.value.newVersion).toBe(0);
    expect(keep.ok && keep.value.audits).toHaveLength(1);
    expect(store.findAggregate('t1', 'patient', uuid(2, 2))).toBeUndefined();
    expect(store.outboxSize()).toBe(outboxBefore);
    // The MRN stays unique: take-client of the taken MRN is refused.
    const take = core.resolveConflict(ctx, { module: 'clinic', conflictId: taken!.conflictId, body: { resolution: 'take-client' } });
    expect(!take.ok && take.problem).toMatchObject({ type: 'https://syncproof.dev/problems/business-rule-violation', status: 422 });
    expect(core.listConflicts(ctx, { module: 'clinic', status: 'open' }).ok && store.findConflict('t1', taken!.conflictId)?.status).toBe('open');
    const merged = core.resolveConflict(ctx, { module: 'clinic', conflictId: taken!.conflictId, body: { resolution: 'merged', state: payloads.patient('M-9', 'Other', 'Person', '2001-01-01') } });
    expect(merged.ok).toBe(true);
    expect(store.findAggregate('t1', 'patient', uuid(2, 3))?.state.mrn).toBe('M-9');
  });
});
