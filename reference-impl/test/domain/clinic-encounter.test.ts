/**
 * The `encounter` aggregate (clinic TR §3): reject-stale, PHI; status moves forward only and the
 * patient is fixed at create.
 */
import { describe, expect, test } from 'vitest';
import { encounterAggregate as enc } from '../../src/domain/clinic/encounter.js';
import { defectSet } from '../../src/domain/defects.js';
import type { Decision } from '../../src/domain/module.js';
import type { AggregateRow, JsonObject } from '../../src/ports/records.js';
import type { StoreTx } from '../../src/ports/store.js';
import type { Mutation } from '../../src/domain/types.js';
import { ctxOf, uuid } from './helpers.js';

const P = uuid(9, 9);
const ID = uuid(2, 1);
const ctx = ctxOf('t1');
const tx = {} as StoreTx; // the encounter rules read nothing through the transaction
const NOW = '2026-01-01T00:00:00.000Z';

function row(state: JsonObject, version = 2): AggregateRow {
  return { tenantId: 't1', module: 'clinic', type: 'encounter', id: ID, version, state, updatedAt: NOW };
}

function m(op: 'create' | 'update', payload: JsonObject, baseVersion = 2): Mutation {
  return { clientMutationId: uuid(3, 1), clientSeq: 1, aggregate: { type: 'encounter', id: ID }, op, baseVersion, payload, capturedAt: NOW, actorId: 'alice' };
}

function decide(mutation: Mutation, current: AggregateRow | undefined, defects?: string[]): Decision {
  return enc.decide({ ctx, mutation, current, tx, nowIso: NOW, ...(defects ? { defects: defectSet(defects) } : {}) });
}

function pointersOf(errors: readonly { pointer: string; detail: string }[]): string[] {
  for (const e of errors) expect(e.detail, e.pointer).toMatch(/\w/);
  return errors.map((e) => e.pointer);
}

function rejected(d: Decision): { type: string; status: number; pointers: string[] } {
  if (d.kind !== 'reject') throw new Error(`expected reject, got ${d.kind}`);
  return { type: d.problem.type.split('/').pop() as string, status: d.problem.status, pointers: (d.problem.errors ?? []).map((e) => e.pointer) };
}

describe('encounter payload validation', () => {
  test('create needs patientId and a known status; reason is optional text up to 1000 characters', () => {
    expect(enc.validate('create', { patientId: P, status: 'planned' })).toEqual([]);
    expect(enc.validate('create', { patientId: P, status: 'in-progress', reason: 'r'.repeat(1000) })).toEqual([]);
    expect(pointersOf(enc.validate('create', {}))).toEqual(['/patientId', '/status']);
    expect(pointersOf(enc.validate('create', { patientId: 'x', status: 'done' }))).toEqual(['/patientId', '/status']);
    expect(pointersOf(enc.validate('create', { patientId: P, status: 7 }))).toEqual(['/status']);
    expect(pointersOf(enc.validate('create', { patientId: P, status: 'toString' }))).toEqual(['/status']);
    expect(pointersOf(enc.validate('create', { patientId: P, status: 'planned', reason: 'r'.repeat(1001) }))).toEqual(['/reason']);
    expect(pointersOf(enc.validate('create', { patientId: P, status: 'planned', reason: 5 }))).toEqual(['/reason']);
    expect(pointersOf(enc.validate('create', { patientId: P, status: 'planned', room: 1 }))).toEqual(['/room']);
  });

  test('an update checks only the fields it carries and must carry one', () => {
    expect(enc.validate('update', { reason: 'x' })).toEqual([]);
    expect(enc.validate('update', { status: 'finished' })).toEqual([]);
    expect(pointersOf(enc.validate('update', {}))).toEqual(['']);
    expect(pointersOf(enc.validate('update', { status: 'nope' }))).toEqual(['/status']);
    expect(pointersOf(enc.validate('update', { patientId: 'x' }))).toEqual(['/patientId']);
    expect(pointersOf(enc.validate('update', { x: 1 }))).toEqual(['/x']);
  });

  test('a merged state is validated like a create', () => {
    expect(pointersOf(enc.validateState({ status: 'planned' }))).toEqual(['/patientId']);
    expect(enc.validateState({ patientId: P, status: 'planned' })).toEqual([]);
  });
});

describe('encounter decisions', () => {
  test('a create applies the state, keeping a reason only when given', () => {
    expect(decide(m('create', { patientId: P, status: 'planned' }), undefined)).toEqual({ kind: 'apply', state: { patientId: P, status: 'planned' } });
    expect(decide(m('create', { patientId: P, status: 'planned', reason: 'r' }), undefined)).toEqual({ kind: 'apply', state: { patientId: P, status: 'planned', reason: 'r' } });
  });

  test('a create on an existing id conflicts with the server row (unless lost-update is planted)', () => {
    const current = row({ patientId: P, status: 'in-progress' }, 3);
    expect(decide(m('create', { patientId: P, status: 'planned' }), current)).toEqual({ kind: 'conflict', serverVersion: 3, serverState: current.state });
    expect(decide(m('create', { patientId: P, status: 'planned' }), current, ['lost-update'])).toMatchObject({ kind: 'apply', state: { status: 'planned' } });
  });

  test('an update of a missing encounter is not-found', () => {
    const r = rejected(decide(m('update', { status: 'finished' }), undefined));
    expect(r).toMatchObject({ type: 'not-found', status: 404 });
  });

  test('a stale update conflicts; a current one merges over the state', () => {
    const current = row({ patientId: P, status: 'planned', reason: 'a' }, 2);
    expect(decide(m('update', { status: 'finished' }, 1), current)).toEqual({ kind: 'conflict', serverVersion: 2, serverState: current.state });
    expect(decide(m('update', { status: 'finished' }, 3), current).kind).toBe('conflict');
    expect(decide(m('update', { status: 'finished' }, 2), current)).toEqual({ kind: 'apply', state: { patientId: P, status: 'finished', reason: 'a' } });
    expect(decide(m('update', { reason: null } as unknown as JsonObject, 2), current)).toEqual({ kind: 'apply', state: { patientId: P, status: 'planned' } });
    expect(decide(m('update', { status: 'finished' }, 1), current, ['lost-update']).kind).toBe('apply');
  });

  test('status moves forward only; staying is allowed', () => {
    const at = (status: string) => row({ patientId: P, status });
    expect(decide(m('update', { status: 'in-progress' }), at('planned')).kind).toBe('apply');
    expect(decide(m('update', { status: 'finished' }), at('in-progress')).kind).toBe('apply');
    expect(decide(m('update', { status: 'in-progress' }), at('in-progress')).kind).toBe('apply');
    const back = decide(m('update', { status: 'planned' }), at('in-progress'));
    expect(rejected(back)).toEqual({ type: 'business-rule-violation', status: 422, pointers: ['/payload/status'] });
    expect(back.kind === 'reject' && back.problem.detail).toBe('status cannot go back from in-progress to planned');
    expect(rejected(decide(m('update', { status: 'in-progress' }), at('finished'))).pointers).toEqual(['/payload/status']);
  });

  test('the patientId cannot change, not even to the same value', () => {
    const current = row({ patientId: P, status: 'planned' });
    expect(rejected(decide(m('update', { patientId: uuid(9, 8) }), current))).toEqual({ type: 'business-rule-violation', status: 422, pointers: ['/payload/patientId'] });
    expect(rejected(decide(m('update', { patientId: P }), current)).pointers).toEqual(['/payload/patientId']);
  });
});

describe('encounter resolution', () => {
  const current = row({ patientId: P, status: 'in-progress', reason: 'a' }, 2);
  const resolve = (resolution: 'keep-server' | 'take-client' | 'merged', op: string, proposed: JsonObject, mergedState?: JsonObject, cur: AggregateRow | null = current) =>
    enc.resolve({ ctx, resolution, mergedState, op, proposed, current: cur ?? undefined, matched: undefined, tx, aggregateId: ID, nowIso: NOW });

  test('keep-server keeps', () => {
    expect(resolve('keep-server', 'update', { status: 'finished' })).toEqual({ kind: 'keep' });
  });

  test('take-client of an update merges the proposal over the current state', () => {
    expect(resolve('take-client', 'update', { status: 'finished' })).toEqual({ kind: 'apply', state: { patientId: P, status: 'finished', reason: 'a' } });
  });

  test('take-client of a create takes the proposal as the whole state, and applies without a current row', () => {
    expect(resolve('take-client', 'create', { patientId: P, status: 'finished' })).toEqual({ kind: 'apply', state: { patientId: P, status: 'finished' } });
    expect(resolve('take-client', 'update', { patientId: P, status: 'planned' }, undefined, null)).toEqual({ kind: 'apply', state: { patientId: P, status: 'planned' } });
  });

  test('merged takes the given state; an invalid one is validation-failed under /state, an invalid proposal under /proposed', () => {
    expect(resolve('merged', 'update', { status: 'finished' }, { patientId: P, status: 'finished' })).toEqual({ kind: 'apply', state: { patientId: P, status: 'finished' } });
    const bad = resolve('merged', 'update', {}, { patientId: P, status: 'nope' });
    expect(bad.kind === 'reject' && bad.problem.errors?.map((e) => e.pointer)).toEqual(['/state/status']);
    const badProposal = resolve('take-client', 'create', { patientId: P, status: 'nope' });
    expect(badProposal.kind === 'reject' && badProposal.problem.errors?.map((e) => e.pointer)).toEqual(['/proposed/status']);
  });

  test('a resolution must respect the transition rules against the current row', () => {
    const back = resolve('merged', 'update', {}, { patientId: P, status: 'planned' });
    expect(back.kind === 'reject' && back.problem.type).toBe('https://syncproof.dev/problems/business-rule-violation');
    const otherPatient = resolve('merged', 'update', {}, { patientId: uuid(9, 8), status: 'finished' });
    expect(otherPatient.kind === 'reject' && otherPatient.problem.errors?.[0]?.pointer).toBe('/payload/patientId');
  });
});

describe('encounter definition', () => {
  test('is reject-stale PHI under /encounters with create and update', () => {
    expect(enc).toMatchObject({ type: 'encounter', collection: 'encounters', policy: 'reject-stale', phi: true, ops: ['create', 'update'] });
    expect(enc.eventType('create')).toBe('created');
    expect(enc.eventType('update')).toBe('updated');
    expect(enc.lookups('create', { patientId: P })).toEqual([]);
    expect(enc.indexOf({ patientId: P })).toBeUndefined();
  });

  test('refers to the patient of the state, else of the proposal', () => {
    expect(enc.patientRef(ID, { patientId: P }, { patientId: uuid(9, 8) })).toBe(`Patient/${P}`);
    expect(enc.patientRef(ID, undefined, { patientId: uuid(9, 8) })).toBe(`Patient/${uuid(9, 8)}`);
    expect(enc.patientRef(ID, {}, undefined)).toBeUndefined();
    expect(enc.patientRef(ID, { patientId: 7 }, undefined)).toBeUndefined();
  });

  test('writers may write; other roles lose permission', () => {
    for (const role of ['clinician', 'pharmacist', 'admin']) expect(enc.authorize(ctxOf('t1', 'a', [role]), 'create', {}, undefined), role).toBeUndefined();
    const denied = enc.authorize(ctxOf('t1', 'a', ['auditor']), 'create', {}, undefined);
    expect(denied).toMatchObject({ type: 'https://syncproof.dev/problems/permission-lost', status: 403 });
    expect(denied?.detail).toBe('writing an encounter needs one of the roles clinician, pharmacist, admin at apply time');
  });
});
