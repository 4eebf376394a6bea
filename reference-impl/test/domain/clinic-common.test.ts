/**
 * Helpers shared by the clinic aggregates: the update semantics (RFC 7396 merge patch, shallow)
 * and the standard decisions.
 */
import { describe, expect, test } from 'vitest';
import { emptyPatch, invalid, mergeState, missing, staleConflict } from '../../src/domain/clinic/common.js';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { moduleRegistry } from '../../src/domain/module.js';
import { hasAnyRole } from '../../src/domain/roles.js';
import { ctxOf } from './helpers.js';

describe('mergeState', () => {
  test('overlays the patch, removes members set to null, ignores undefined ones, and copies', () => {
    const state = { a: 1, b: 'x', c: { deep: true } };
    const merged = mergeState(state, { b: 'y', c: null, d: [1], e: undefined } as never);
    expect(merged).toEqual({ a: 1, b: 'y', d: [1] });
    expect(Object.hasOwn(merged, 'e')).toBe(false);
    expect(state).toEqual({ a: 1, b: 'x', c: { deep: true } });
    expect(mergeState(state, {})).not.toBe(state);
  });

  test('is shallow: a nested object replaces the old one', () => {
    expect(mergeState({ c: { x: 1, y: 2 } }, { c: { x: 3 } })).toEqual({ c: { x: 3 } });
  });
});

describe('decisions', () => {
  test('emptyPatch refuses a patch without fields', () => {
    expect(emptyPatch({ a: 1 })).toEqual([]);
    expect(emptyPatch({})).toEqual([{ pointer: '', detail: 'an update must carry at least one field' }]);
  });

  test('invalid prefixes the payload pointer (or the given base)', () => {
    const d = invalid([{ pointer: '/x', detail: 'bad' }]);
    expect(d.kind === 'reject' && d.problem.errors).toEqual([{ pointer: '/payload/x', detail: 'bad' }]);
    const s = invalid([{ pointer: '/x', detail: 'bad' }], '/state');
    expect(s.kind === 'reject' && s.problem).toMatchObject({ status: 400, detail: '/state/x: bad' });
  });

  test('missing is not-found naming the aggregate; staleConflict carries the row’s version and state', () => {
    const m = missing('encounter', 'e-1');
    expect(m.kind === 'reject' && m.problem).toMatchObject({ status: 404, detail: 'encounter e-1 does not exist' });
    const state = { a: 1 };
    expect(staleConflict({ tenantId: 't', module: 'clinic', type: 'x', id: 'i', version: 7, state, updatedAt: '' })).toEqual({ kind: 'conflict', serverVersion: 7, serverState: state });
  });
});

describe('module and roles', () => {
  test('the clinic module holds its four aggregate types by name; a registry holds modules by name', () => {
    expect([...clinicModule.aggregates.keys()]).toEqual(['patient', 'encounter', 'note', 'stock-item']);
    for (const [type, def] of clinicModule.aggregates) expect(def.type).toBe(type);
    const other = { name: 'dental', aggregates: new Map() };
    const reg = moduleRegistry(clinicModule, other);
    expect(reg.get('clinic')).toBe(clinicModule);
    expect(reg.get('dental')).toBe(other);
    expect(reg.size).toBe(2);
  });

  test('hasAnyRole is true when any of the context’s roles is listed', () => {
    expect(hasAnyRole(ctxOf('t', 'a', ['auditor', 'pharmacist']), ['pharmacist', 'admin'])).toBe(true);
    expect(hasAnyRole(ctxOf('t', 'a', ['auditor']), ['pharmacist'])).toBe(false);
    expect(hasAnyRole(ctxOf('t', 'a', []), ['pharmacist'])).toBe(false);
  });
});
