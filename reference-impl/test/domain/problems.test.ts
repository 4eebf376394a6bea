/**
 * The problems the core builds (TR §11.1): the contract's closed list of types, each with the
 * status the contract pins as usual and a human title; validation-failed names its fields.
 */
import { describe, expect, test } from 'vitest';
import { PROBLEM_TYPES } from '../../../contracts/src/problem-types.js';
import { problem, problemName, PROBLEM_BASE, validationFailed } from '../../src/domain/problems.js';

describe('problem()', () => {
  test('every contract problem type gets its URI, its usual status and a distinct title', () => {
    const titles = new Set<string>();
    for (const t of PROBLEM_TYPES) {
      const p = problem(t.name);
      expect(p.type, t.name).toBe(t.uri);
      expect(p.status, t.name).toBe(t.status);
      expect(p.title, t.name).toMatch(/^[A-Z][\w -]+$/);
      titles.add(p.title);
      expect(p, t.name).not.toHaveProperty('detail');
    }
    expect(titles.size).toBe(PROBLEM_TYPES.length);
  });

  test('adds the detail and extension members, which may override the status', () => {
    expect(problem('not-found', 'gone')).toEqual({ type: `${PROBLEM_BASE}not-found`, title: 'Not found', status: 404, detail: 'gone' });
    expect(problem('business-rule-violation', 'taken', { status: 409, errors: [{ pointer: '/x', detail: 'taken' }] })).toMatchObject({ status: 409, detail: 'taken', errors: [{ pointer: '/x', detail: 'taken' }] });
  });
});

describe('validationFailed()', () => {
  test('names the first field in the detail and lists all errors', () => {
    const errors = [
      { pointer: '/a', detail: 'bad a' },
      { pointer: '/b', detail: 'bad b' },
    ];
    expect(validationFailed(errors)).toEqual({ type: `${PROBLEM_BASE}validation-failed`, title: 'Validation failed', status: 400, detail: '/a: bad a', errors });
  });

  test('writes the root pointer as "/" in the detail', () => {
    expect(validationFailed([{ pointer: '', detail: 'must be an object' }]).detail).toBe('/: must be an object');
  });

  test('an explicit detail wins; no errors still yields one generic error', () => {
    expect(validationFailed([{ pointer: '/a', detail: 'x' }], 'custom').detail).toBe('custom');
    expect(validationFailed([])).toMatchObject({ detail: 'invalid request', errors: [{ pointer: '', detail: 'invalid request' }] });
  });
});

describe('problemName()', () => {
  test('is the name of one of ours and undefined for a foreign type', () => {
    expect(problemName(problem('out-of-order'))).toBe('out-of-order');
    expect(problemName({ type: 'https://example.com/problems/out-of-order', title: 'x', status: 409 })).toBeUndefined();
  });
});
