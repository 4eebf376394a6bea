/**
 * The `patient` aggregate (clinic TR §4): manual policy, PHI; a create or identity change that
 * matches another patient of the tenant (same MRN, or same name and birth date) conflicts naming
 * the candidate; the MRN stays unique even through a resolution.
 */
import { describe, expect, test } from 'vitest';
import { IDENTITY_INDEX, identityKey, MRN_INDEX, patientAggregate as patient } from '../../src/domain/clinic/patient.js';
import type { Decision, ResolveDecision } from '../../src/domain/module.js';
import type { ConflictResolution, Mutation } from '../../src/domain/types.js';
import type { AggregateRow, JsonObject } from '../../src/ports/records.js';
import type { StoreTx } from '../../src/ports/store.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { ctxOf, payloads, uuid } from './helpers.js';

const ID = uuid(2, 1);
const OTHER = uuid(2, 9);
const ctx = ctxOf('t1');
const NOW = '2026-06-15T12:00:00.000Z';

function row(state: JsonObject, id = ID, version = 1): AggregateRow {
  const index = patient.indexOf(state);
  return { tenantId: 't1', module: 'clinic', type: 'patient', id, version, state, updatedAt: NOW, ...(index ? { index } : {}) };
}

function m(op: 'create' | 'update', payload: JsonObject, baseVersion = 1): Mutation {
  return { clientMutationId: uuid(3, 1), clientSeq: 1, aggregate: { type: 'patient', id: ID }, op, baseVersion, payload, capturedAt: NOW, actorId: 'alice' };
}

function withStore<T>(rows: AggregateRow[], fn: (tx: StoreTx) => T): T {
  const store = createMemoryStore();
  store.transaction({ tenantId: 't1' }, (tx) => rows.forEach((r) => tx.putAggregate(r)));
  return store.transaction({ tenantId: 't1' }, fn);
}

function decide(mutation: Mutation, current: AggregateRow | undefined, others: AggregateRow[] = []): Decision {
  return withStore(current ? [current, ...others] : others, (tx) => patient.decide({ ctx, mutation, current, tx, nowIso: NOW }));
}

function resolve(resolution: ConflictResolution, op: string, proposed: JsonObject, current: AggregateRow | undefined, others: AggregateRow[] = [], mergedState?: JsonObject): ResolveDecision {
  return withStore(current ? [current, ...others] : others, (tx) =>
    patient.resolve({ ctx, resolution, mergedState, op, proposed, current, matched: undefined, tx, aggregateId: ID, nowIso: NOW }),
  );
}

function pointers(errors: readonly { pointer: string; detail: string }[]): string[] {
  for (const e of errors) expect(e.detail, e.pointer).toMatch(/\w/);
  return errors.map((e) => e.pointer);
}

const ada = payloads.patient('M-1');

describe('patient validation', () => {
  test('create: MRN 1..32 of A-Za-z0-9-, names 1..200, a calendar date of birth', () => {
    expect(patient.validate('create', ada)).toEqual([]);
    expect(patient.validate('create', { ...ada, mrn: 'a'.repeat(32), givenName: 'g'.repeat(200), familyName: 'f' })).toEqual([]);
    expect(pointers(patient.validate('create', {}))).toEqual(['/mrn', '/givenName', '/familyName', '/birthDate']);
    expect(pointers(patient.validate('create', { ...ada, mrn: 'a'.repeat(33) }))).toEqual(['/mrn']);
    expect(pointers(patient.validate('create', { ...ada, mrn: 'M 1' }))).toEqual(['/mrn']);
    expect(pointers(patient.validate('create', { ...ada, mrn: 1 }))).toEqual(['/mrn']);
    expect(pointers(patient.validate('create', { ...ada, givenName: '' }))).toEqual(['/givenName']);
    expect(pointers(patient.validate('create', { ...ada, familyName: 'f'.repeat(201) }))).toEqual(['/familyName']);
    expect(pointers(patient.validate('create', { ...ada, familyName: 3 }))).toEqual(['/familyName']);
    expect(pointers(patient.validate('create', { ...ada, birthDate: '1990-02-30' }))).toEqual(['/birthDate']);
    expect(pointers(patient.validate('create', { ...ada, nickname: 'x' }))).toEqual(['/nickname']);
  });

  test('update: only the given fields, at least one', () => {
    expect(patient.validate('update', { givenName: 'Ann' })).toEqual([]);
    expect(pointers(patient.validate('update', {}))).toEqual(['']);
    expect(pointers(patient.validate('update', { mrn: '' }))).toEqual(['/mrn']);
    expect(pointers(patient.validate('update', { givenName: '' }))).toEqual(['/givenName']);
    expect(pointers(patient.validate('update', { familyName: '' }))).toEqual(['/familyName']);
    expect(pointers(patient.validate('update', { birthDate: 'x' }))).toEqual(['/birthDate']);
  });

  test('a merged state is validated like a create', () => {
    expect(pointers(patient.validateState({ mrn: 'M-1' }))).toEqual(['/givenName', '/familyName', '/birthDate']);
  });
});

describe('patient create', () => {
  test('applies the state with both index entries', () => {
    expect(decide(m('create', ada), undefined)).toEqual({
      kind: 'apply',
      state: ada,
      index: { [MRN_INDEX]: 'M-1', [IDENTITY_INDEX]: identityKey('Ada', 'Lovelace', '1990-12-10') },
    });
  });

  test('only the patient fields are kept', () => {
    const d = decide(m('create', ada), undefined);
    expect(d.kind === 'apply' && Object.keys(d.state)).toEqual(['mrn', 'givenName', 'familyName', 'birthDate']);
  });

  test('a birth date after today is validation-failed; today is fine', () => {
    const d = decide(m('create', { ...ada, birthDate: '2026-06-16' }), undefined);
    expect(d.kind === 'reject' && d.problem).toMatchObject({ status: 400, errors: [{ pointer: '/payload/birthDate', detail: 'must not be in the future' }] });
    expect(decide(m('create', { ...ada, birthDate: '2026-06-15' }), undefined).kind).toBe('apply');
  });

  test('a create on an existing id conflicts with that row', () => {
    const current = row(ada, ID, 4);
    expect(decide(m('create', ada), current)).toEqual({ kind: 'conflict', serverVersion: 4, serverState: ada });
  });

  test('a taken MRN conflicts naming the candidate, matched on mrn', () => {
    const other = row(payloads.patient('M-1', 'Bob', 'Other', '1980-01-01'), OTHER);
    expect(decide(m('create', ada), undefined, [other])).toEqual({
      kind: 'conflict',
      serverVersion: 0,
      serverState: { candidateId: OTHER, matchedOn: ['mrn'], candidate: other.state },
      matched: { type: 'patient', id: OTHER },
    });
  });

  test('the same name and birth date (trimmed, any case) conflicts, matched on the identity', () => {
    const other = row(payloads.patient('M-2', ' ADA ', 'lovelace ', '1990-12-10'), OTHER);
    const d = decide(m('create', ada), undefined, [other]);
    expect(d.kind === 'conflict' && d.serverState).toMatchObject({ candidateId: OTHER, matchedOn: ['givenName', 'familyName', 'birthDate'] });
    // Another birth date is another person.
    const born = row(payloads.patient('M-2', 'Ada', 'Lovelace', '1990-12-11'), OTHER);
    expect(decide(m('create', ada), undefined, [born]).kind).toBe('apply');
  });
});

describe('patient update', () => {
  const current = row(ada);

  test('a missing patient is not-found; a stale base conflicts', () => {
    const missing = decide(m('update', { givenName: 'Ann' }), undefined);
    expect(missing.kind === 'reject' && missing.problem.status).toBe(404);
    expect(decide(m('update', { givenName: 'Ann' }, 0), current)).toEqual({ kind: 'conflict', serverVersion: 1, serverState: ada });
  });

  test('merges the change and re-indexes', () => {
    expect(decide(m('update', { givenName: 'Ann' }), current)).toEqual({
      kind: 'apply',
      state: { ...ada, givenName: 'Ann' },
      index: { [MRN_INDEX]: 'M-1', [IDENTITY_INDEX]: identityKey('Ann', 'Lovelace', '1990-12-10') },
    });
  });

  test('removing a required field or moving the birth date into the future is validation-failed', () => {
    const removed = decide(m('update', { givenName: null } as unknown as JsonObject), current);
    expect(removed.kind === 'reject' && removed.problem.errors?.map((e) => e.pointer)).toEqual(['/payload/givenName']);
    const future = decide(m('update', { birthDate: '2030-01-01' }), current);
    expect(future.kind === 'reject' && future.problem.errors?.map((e) => e.pointer)).toEqual(['/payload/birthDate']);
  });

  test('a new MRN held by another patient conflicts; keeping the own MRN does not', () => {
    const other = row(payloads.patient('M-2', 'Bob', 'Other', '1980-01-01'), OTHER);
    const d = decide(m('update', { mrn: 'M-2' }), current, [other]);
    expect(d.kind === 'conflict' && d).toMatchObject({ serverVersion: 1, serverState: { candidateId: OTHER, matchedOn: ['mrn'] }, matched: { type: 'patient', id: OTHER } });
    expect(decide(m('update', { mrn: 'M-1', familyName: 'Byron' }), current, [other]).kind).toBe('apply');
  });

  test('an identity change onto another patient conflicts; a change that keeps the identity key does not re-check it', () => {
    const twin = row(payloads.patient('M-2', 'Ann', 'Lovelace', '1990-12-10'), OTHER);
    const d = decide(m('update', { givenName: 'Ann' }), current, [twin]);
    expect(d.kind === 'conflict' && d.serverState.matchedOn).toEqual(['givenName', 'familyName', 'birthDate']);
    // Same identity key (only case differs): no identity match is looked for.
    const sameKey = row(payloads.patient('M-3', 'ADA', 'Lovelace', '1990-12-10'), OTHER);
    expect(decide(m('update', { givenName: 'ADA' }), current, [sameKey]).kind).toBe('apply');
    // An MRN-only change does not look at the identity.
    const namesake = row(payloads.patient('M-4', 'Ada', 'Lovelace', '1990-12-10'), OTHER);
    expect(decide(m('update', { mrn: 'M-5' }), current, [namesake]).kind).toBe('apply');
  });

  test('each identity field alone triggers the identity check', () => {
    for (const [field, value, other] of [
      ['givenName', 'Ann', payloads.patient('M-2', 'Ann', 'Lovelace', '1990-12-10')],
      ['familyName', 'Byron', payloads.patient('M-2', 'Ada', 'Byron', '1990-12-10')],
      ['birthDate', '1991-01-01', payloads.patient('M-2', 'Ada', 'Lovelace', '1991-01-01')],
    ] as const) {
      const d = decide(m('update', { [field]: value }), current, [row(other, OTHER)]);
      expect(d.kind, field).toBe('conflict');
    }
  });
});

describe('patient resolution', () => {
  test('keep-server keeps', () => {
    expect(resolve('keep-server', 'create', ada, undefined)).toEqual({ kind: 'keep' });
  });

  test('take-client of a create writes the proposal; of an update merges it over the current row', () => {
    expect(resolve('take-client', 'create', ada, undefined)).toMatchObject({ kind: 'apply', state: ada, index: { [MRN_INDEX]: 'M-1' } });
    expect(resolve('take-client', 'update', { givenName: 'Ann' }, row(ada))).toMatchObject({ kind: 'apply', state: { ...ada, givenName: 'Ann' } });
  });

  test('a human may accept a probable duplicate by name, but the MRN stays unique', () => {
    const namesake = row(payloads.patient('M-2', 'Ada', 'Lovelace', '1990-12-10'), OTHER);
    expect(resolve('take-client', 'create', ada, undefined, [namesake]).kind).toBe('apply');
    const holder = row(payloads.patient('M-1', 'Bob', 'Other', '1980-01-01'), OTHER);
    const r = resolve('take-client', 'create', ada, undefined, [holder]);
    expect(r.kind === 'reject' && r.problem).toMatchObject({ type: 'https://syncproof.dev/problems/business-rule-violation', status: 422 });
  });

  test('invalid merged states and proposals are validation-failed under /state and /proposed', () => {
    const merged = resolve('merged', 'create', ada, undefined, [], { ...ada, birthDate: '2099-01-01' });
    expect(merged.kind === 'reject' && merged.problem.errors?.map((e) => e.pointer)).toEqual(['/state/birthDate']);
    const proposed = resolve('take-client', 'create', { ...ada, mrn: '' }, undefined);
    expect(proposed.kind === 'reject' && proposed.problem.errors?.map((e) => e.pointer)).toEqual(['/proposed/mrn']);
  });
});

describe('patient definition', () => {
  test('is manual PHI under /patients with create and update', () => {
    expect(patient).toMatchObject({ type: 'patient', collection: 'patients', policy: 'manual', phi: true, ops: ['create', 'update'] });
    expect(patient.eventType('create')).toBe('created');
    expect(patient.eventType('update')).toBe('updated');
    expect(patient.patientRef(ID, undefined, undefined)).toBe(`Patient/${ID}`);
  });

  test('looks up the MRN and, when all three are given, the identity', () => {
    expect(patient.lookups('create', ada)).toEqual([
      { index: MRN_INDEX, value: 'M-1' },
      { index: IDENTITY_INDEX, value: identityKey('Ada', 'Lovelace', '1990-12-10') },
    ]);
    expect(patient.lookups('update', { givenName: 'Ann', familyName: 'L' })).toEqual([]);
    expect(patient.lookups('update', { mrn: 'M-2' })).toEqual([{ index: MRN_INDEX, value: 'M-2' }]);
  });

  test('indexes only complete states; the identity key is trimmed and case-folded', () => {
    expect(identityKey(' Ada ', 'LOVELACE', '1990-12-10')).toBe('ada\u001flovelace\u001f1990-12-10');
    expect(patient.indexOf({ mrn: 'M-1', givenName: 'A', familyName: 'B' })).toBeUndefined();
    expect(patient.indexOf({ givenName: 'A', familyName: 'B', birthDate: '2000-01-01' })).toBeUndefined();
    expect(patient.indexOf({ mrn: 'M-1', familyName: 'B', birthDate: '2000-01-01' })).toBeUndefined();
    expect(patient.indexOf({ mrn: 'M-1', givenName: 'A', birthDate: '2000-01-01' })).toBeUndefined();
  });

  test('writers may write; others lose permission', () => {
    expect(patient.authorize(ctxOf('t1', 'a', ['clinician']), 'create', ada, undefined)).toBeUndefined();
    expect(patient.authorize(ctxOf('t1', 'a', ['auditor']), 'create', ada, undefined)?.detail).toContain('writing a patient');
  });
});
