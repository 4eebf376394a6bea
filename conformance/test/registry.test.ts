/** The check registry and the check definitions agree, and every cited requirement exists. */
import { expect, test } from 'vitest';
import { loadMatrix } from '../../traceability/src/matrix/parse-matrix.js';
import { CHECKS, FAMILIES, checkEntry, idGlob } from '../src/registry.js';
import { idempotencyChecks } from '../src/checks/idempotency.js';
import { orderingChecks } from '../src/checks/ordering.js';
import { conflictChecks } from '../src/checks/conflicts.js';
import { tenancyChecks } from '../src/checks/tenancy.js';
import { authChecks } from '../src/checks/auth.js';
import { eventChecks } from '../src/checks/events.js';
import { auditChecks } from '../src/checks/audit.js';
import { robustnessChecks } from '../src/checks/robustness.js';

const DEFINED = { ...idempotencyChecks, ...orderingChecks, ...conflictChecks, ...tenancyChecks, ...authChecks, ...eventChecks, ...auditChecks, ...robustnessChecks };

test('every registered test check has a definition and every definition is registered', () => {
  const registered = CHECKS.filter((c) => c.kind === 'test').map((c) => c.id).sort();
  expect(Object.keys(DEFINED).sort()).toEqual(registered);
});

test('ids are unique, families known, catches lines present, requirement IDs in the matrix', () => {
  const known = new Set(loadMatrix().map((r) => r.id));
  expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  for (const c of CHECKS) {
    expect(FAMILIES).toContain(c.family);
    expect(c.catches.length).toBeGreaterThan(10);
    expect(c.verifies.length).toBeGreaterThan(0);
    for (const id of c.verifies) expect(known.has(id), `${c.id} cites ${id}`).toBe(true);
  }
  expect(() => checkEntry('no.such-check')).toThrow(/not in conformance\/src\/registry.ts/);
});

test('--only globs select by id', () => {
  const only = idGlob('idem.*,auth.expired-401');
  expect(only('idem.scope-per-tenant')).toBe(true);
  expect(only('auth.expired-401')).toBe(true);
  expect(only('auth.forged-401')).toBe(false);
  expect(idGlob('evt.?one-for-undecided')('evt.none-for-undecided')).toBe(true);
});
