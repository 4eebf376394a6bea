/**
 * The `note` aggregate (TR §6.3): merge-append, PHI. Appends become entries keyed by the
 * clientMutationId and merged in (authoredAt, entryId) order; notes never conflict.
 */
import { describe, expect, test } from 'vitest';
import { noteAggregate as note } from '../../src/domain/clinic/note.js';
import type { Decision } from '../../src/domain/module.js';
import type { ConflictResolution, Mutation } from '../../src/domain/types.js';
import type { AggregateRow, JsonObject } from '../../src/ports/records.js';
import type { StoreTx } from '../../src/ports/store.js';
import { ctxOf, uuid } from './helpers.js';

const P = uuid(9, 9);
const ID = uuid(2, 1);
const ctx = ctxOf('t1');
const tx = {} as StoreTx; // note rules read nothing through the transaction
const NOW = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T10:00:00Z';
const T2 = '2026-01-01T11:00:00Z';

function row(state: JsonObject): AggregateRow {
  return { tenantId: 't1', module: 'clinic', type: 'note', id: ID, version: 1, state, updatedAt: NOW };
}

function m(op: 'create' | 'append', payload: JsonObject, cmid = uuid(3, 1), actorId = 'alice'): Mutation {
  return { clientMutationId: cmid, clientSeq: 1, aggregate: { type: 'note', id: ID }, op, baseVersion: 0, payload, capturedAt: NOW, actorId };
}

function decide(mutation: Mutation, current: AggregateRow | undefined): Decision {
  return note.decide({ ctx, mutation, current, tx, nowIso: NOW });
}

function pointers(errors: readonly { pointer: string; detail: string }[]): string[] {
  for (const e of errors) expect(e.detail, e.pointer).toMatch(/\w/);
  return errors.map((e) => e.pointer);
}

const entry = (entryId: string, authoredAt: string, text = 'x', actorId = 'alice') => ({ entryId, text, authoredAt, actorId });

describe('note validation', () => {
  test('create: a patient UUID and a title of 1..200 characters with some text', () => {
    expect(note.validate('create', { patientId: P, title: 't'.repeat(200) })).toEqual([]);
    expect(pointers(note.validate('create', {}))).toEqual(['/patientId', '/title']);
    expect(pointers(note.validate('create', { patientId: P, title: 't'.repeat(201) }))).toEqual(['/title']);
    expect(pointers(note.validate('create', { patientId: P, title: '   ' }))).toEqual(['/title']);
    expect(pointers(note.validate('create', { patientId: P, title: 'x', body: 'y' }))).toEqual(['/body']);
  });

  test('append: text of 1..16384 characters and an RFC 3339 authoredAt', () => {
    expect(note.validate('append', { text: 'x'.repeat(16384), authoredAt: T1 })).toEqual([]);
    expect(pointers(note.validate('append', {}))).toEqual(['/text', '/authoredAt']);
    expect(pointers(note.validate('append', { text: 'x'.repeat(16385), authoredAt: T1 }))).toEqual(['/text']);
    expect(pointers(note.validate('append', { text: 'x', authoredAt: '2026-01-01' }))).toEqual(['/authoredAt']);
    expect(pointers(note.validate('append', { text: 'x', authoredAt: T1, title: 'y' }))).toEqual(['/title']);
  });

  test('a merged state needs patientId, title and well-formed entries', () => {
    expect(note.validateState({ patientId: P, title: 't', entries: [entry('a', T1)] })).toEqual([]);
    expect(pointers(note.validateState({}))).toEqual(['/patientId', '/title', '/entries']);
    expect(pointers(note.validateState({ patientId: P, title: 't', entries: {} }))).toEqual(['/entries']);
    expect(pointers(note.validateState({ patientId: P, title: 't', entries: [null, [], 'x'] }))).toEqual(['/entries/0', '/entries/1', '/entries/2']);
    expect(pointers(note.validateState({ patientId: P, title: 't', entries: [{ ...entry('a', T1), mood: 1 }] }))).toEqual(['/entries/0/mood']);
    for (const broken of [
      { ...entry('a', T1), entryId: 1 },
      { ...entry('a', T1), text: '' },
      { ...entry('a', T1), authoredAt: 'yesterday' },
      { ...entry('a', T1), actorId: null },
    ]) {
      expect(pointers(note.validateState({ patientId: P, title: 't', entries: [entry('z', T1), broken] })), JSON.stringify(broken)).toEqual(['/entries/1']);
    }
    expect(pointers(note.validateState({ patientId: P, title: 't', entries: [], extra: 1 }))).toEqual(['/extra']);
  });
});

describe('note decisions', () => {
  test('a create starts with no entries', () => {
    expect(decide(m('create', { patientId: P, title: 'Visit' }), undefined)).toEqual({ kind: 'apply', state: { patientId: P, title: 'Visit', entries: [] } });
  });

  test('a create on an existing note is 409 naming /aggregate/id', () => {
    const d = decide(m('create', { patientId: P, title: 'Visit' }), row({ patientId: P, title: 'Old', entries: [] }));
    expect(d.kind === 'reject' && d.problem).toMatchObject({ type: 'https://syncproof.dev/problems/business-rule-violation', status: 409, errors: [{ pointer: '/aggregate/id', detail: 'taken' }] });
    expect(d.kind === 'reject' && d.problem.detail).toBe(`note ${ID} already exists`);
  });

  test('an append to a missing note is not-found', () => {
    const d = decide(m('append', { text: 'x', authoredAt: T1 }), undefined);
    expect(d.kind === 'reject' && d.problem.status).toBe(404);
  });

  test('an append becomes an entry keyed by its clientMutationId, by its actor, in order', () => {
    const current = row({ patientId: P, title: 'Visit', entries: [entry('b', T2, 'later')] });
    const d = decide(m('append', { text: 'earlier', authoredAt: T1 }, 'a-cmid', 'bob'), current);
    expect(d).toEqual({ kind: 'apply', state: { patientId: P, title: 'Visit', entries: [entry('a-cmid', T1, 'earlier', 'bob'), entry('b', T2, 'later')] } });
  });

  test('an append to a state without entries starts the list', () => {
    const d = decide(m('append', { text: 'x', authoredAt: T1 }, 'k'), row({ patientId: P, title: 'Visit' }));
    expect(d.kind === 'apply' && d.state.entries).toEqual([entry('k', T1)]);
  });
});

describe('note resolution', () => {
  const resolve = (resolution: ConflictResolution, mergedState?: JsonObject) =>
    note.resolve({ ctx, resolution, mergedState, op: 'append', proposed: {}, current: undefined, matched: undefined, tx, aggregateId: ID, nowIso: NOW });

  test('merged normalises the entries: deduplicated by entryId, sorted, only entry fields kept', () => {
    const r = resolve('merged', { patientId: P, title: 't', entries: [entry('b', T2), entry('a', T1), entry('b', T1, 'dup')] });
    expect(r).toEqual({ kind: 'apply', state: { patientId: P, title: 't', entries: [entry('a', T1), entry('b', T2)] } });
  });

  test('an invalid merged state is validation-failed under /state', () => {
    const r = resolve('merged', { patientId: P, title: '', entries: [] });
    expect(r.kind === 'reject' && r.problem.errors?.map((e) => e.pointer)).toEqual(['/state/title']);
  });

  test('keep-server keeps; take-client is refused since notes never conflict', () => {
    expect(resolve('keep-server')).toEqual({ kind: 'keep' });
    const r = resolve('take-client');
    expect(r.kind === 'reject' && r.problem).toMatchObject({ type: 'https://syncproof.dev/problems/business-rule-violation', status: 422 });
  });
});

describe('note definition', () => {
  test('is merge-append PHI under /notes with create and append', () => {
    expect(note).toMatchObject({ type: 'note', collection: 'notes', policy: 'merge-append', phi: true, ops: ['create', 'append'] });
    expect(note.eventType('create')).toBe('created');
    expect(note.eventType('append')).toBe('appended');
    expect(note.lookups('create', {})).toEqual([]);
    expect(note.indexOf({})).toBeUndefined();
  });

  test('refers to the patient of the state, else of the proposal', () => {
    expect(note.patientRef(ID, { patientId: P }, undefined)).toBe(`Patient/${P}`);
    expect(note.patientRef(ID, undefined, { patientId: uuid(9, 8) })).toBe(`Patient/${uuid(9, 8)}`);
    expect(note.patientRef(ID, {}, {})).toBeUndefined();
  });

  test('writers may write; others lose permission', () => {
    expect(note.authorize(ctxOf('t1', 'a', ['pharmacist']), 'append', {}, undefined)).toBeUndefined();
    expect(note.authorize(ctxOf('t1', 'a', []), 'append', {}, undefined)?.detail).toContain('writing a note');
  });
});
