/**
 * Whole-request validation of a push (TR §2.1, §2.2, §2.4, §12): each malformed field is named by
 * its JSON pointer with a reason, the problem's detail names the first one, and nothing is stored.
 */
import { describe, expect, test } from 'vitest';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { isTenantId, validatePush } from '../../src/domain/push-validation.js';
import { DEFAULT_CORE_CONFIG, type CoreConfig } from '../../src/domain/types.js';
import { ctxOf, mutation, payloads, uuid } from './helpers.js';

const CLIENT = uuid(1, 1);
const ctx = ctxOf('t1');
const good = mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(uuid(9, 9)) });

function validate(body: unknown, cfg: CoreConfig = DEFAULT_CORE_CONFIG) {
  return validatePush(ctx, clinicModule, body, cfg);
}

/** The pointers of a validation-failed result (fails the test for anything else). */
function pointers(body: unknown, cfg?: CoreConfig): string[] {
  const r = validate(body, cfg);
  if (r.ok) throw new Error('accepted');
  expect(r.problem.type).toBe('https://syncproof.dev/problems/validation-failed');
  expect(r.problem.status).toBe(400);
  for (const e of r.problem.errors ?? []) expect(e.detail, e.pointer).toMatch(/\w/);
  return (r.problem.errors ?? []).map((e) => e.pointer);
}

function withMutation(patch: Record<string, unknown>): unknown {
  return { clientId: CLIENT, mutations: [{ ...good, ...patch }] };
}

describe('the push envelope', () => {
  test('a valid push is accepted as a typed request with fresh aggregate refs', () => {
    const body = { clientId: CLIENT, mutations: [good] };
    const r = validate(body);
    expect(r).toEqual({ ok: true, value: { clientId: CLIENT, mutations: [good] } });
    expect(r.ok && r.value.mutations[0]?.aggregate).not.toBe(good.aggregate);
  });

  test('the body tenantId, when given and equal to the token tenant, is kept', () => {
    expect(validate({ clientId: CLIENT, tenantId: 't1', mutations: [good] })).toMatchObject({ ok: true, value: { tenantId: 't1' } });
  });

  test('a body that is not an object is named at the root, with detail "/: …"', () => {
    for (const body of [null, [], 'x', 3]) {
      const r = validate(body);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.problem.errors).toEqual([{ pointer: '', detail: 'push body must be a JSON object' }]);
      expect(r.problem.detail).toBe('/: push body must be a JSON object');
    }
  });

  test('unknown members, a bad clientId and missing mutations are all reported', () => {
    expect(pointers({ clientId: 'x', extra: 1 })).toEqual(['/extra', '/clientId', '/mutations']);
    expect(pointers({ clientId: CLIENT, mutations: {} })).toEqual(['/mutations']);
    expect(pointers({ clientId: CLIENT, mutations: [] })).toEqual(['/mutations']);
  });

  test('the problem detail names the first field error', () => {
    const r = validate(withMutation({ op: 'delete' }));
    expect(!r.ok && r.problem.detail).toBe('/mutations/0/op: must be one of create, update, append, adjust');
  });

  test('a body tenantId that is malformed or not the token tenant is refused outright', () => {
    const bad = validate({ clientId: CLIENT, tenantId: 'a b', mutations: [good] });
    expect(!bad.ok && bad.problem).toMatchObject({ type: 'https://syncproof.dev/problems/invalid-tenant-id', status: 400 });
    const other = validate({ clientId: CLIENT, tenantId: 't2', mutations: [good] });
    expect(!other.ok && other.problem).toMatchObject({ type: 'https://syncproof.dev/problems/tenant-mismatch', status: 403 });
  });

  test('maxBatch mutations are accepted; one more is batch-too-large with the limit', () => {
    const cfg = { ...DEFAULT_CORE_CONFIG, maxBatch: 3 };
    const muts = (n: number) => Array.from({ length: n }, (_, i) => ({ ...good, clientMutationId: uuid(3, i + 1), clientSeq: i + 1 }));
    expect(validate({ clientId: CLIENT, mutations: muts(3) }, cfg).ok).toBe(true);
    const r = validate({ clientId: CLIENT, mutations: muts(4) }, cfg);
    expect(!r.ok && r.problem).toMatchObject({ type: 'https://syncproof.dev/problems/batch-too-large', status: 413, limit: 3 });
    expect(!r.ok && r.problem.detail).toContain('3');
  });

  test('field errors stop at 20', () => {
    const muts = Array.from({ length: 30 }, (_, i) => ({ ...good, clientMutationId: uuid(3, i + 1), clientSeq: i + 1, op: 'x' }));
    const ps = pointers({ clientId: CLIENT, mutations: muts });
    expect(ps).toHaveLength(20);
    expect(ps[19]).toBe('/mutations/19/op');
    // One mutation with many errors is cut at 20 as well.
    const many: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) many[`x${i}`] = 1;
    expect(pointers(withMutation(many))).toHaveLength(20);
  });

  test('duplicate clientMutationIds and non-increasing clientSeqs within a push are refused', () => {
    expect(pointers({ clientId: CLIENT, mutations: [good, { ...good, clientSeq: 2 }] })).toEqual(['/mutations/1/clientMutationId']);
    expect(pointers({ clientId: CLIENT, mutations: [good, { ...good, clientMutationId: uuid(3, 2) }] })).toEqual(['/mutations/1/clientSeq']);
    expect(pointers({ clientId: CLIENT, mutations: [{ ...good, clientSeq: 5 }, { ...good, clientMutationId: uuid(3, 2), clientSeq: 4 }] })).toEqual(['/mutations/1/clientSeq']);
    expect(validate({ clientId: CLIENT, mutations: [{ ...good, clientSeq: 5 }, { ...good, clientMutationId: uuid(3, 2), clientSeq: 9 }] }).ok).toBe(true);
  });

  test('an unknown aggregate type is 422 naming the first unknown type, after field errors', () => {
    const r = validate({ clientId: CLIENT, mutations: [{ ...good, aggregate: { type: 'spaceship', id: uuid(2, 1) } }, { ...good, clientMutationId: uuid(3, 2), clientSeq: 2, aggregate: { type: 'rocket', id: uuid(2, 1) } }] });
    expect(!r.ok && r.problem).toMatchObject({ type: 'https://syncproof.dev/problems/unknown-aggregate-type', status: 422 });
    expect(!r.ok && r.problem.detail).toContain("'spaceship'");
    expect(!r.ok && r.problem.detail).toContain("'clinic'");
    // Field errors win over an unknown type.
    expect(pointers({ clientId: 'x', mutations: [{ ...good, aggregate: { type: 'spaceship', id: uuid(2, 1) } }] })).toEqual(['/clientId']);
  });
});

describe('a mutation', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['unknown member', { extra: 1 }, ['/mutations/0/extra']],
    ['member present as undefined', { op: undefined }, ['/mutations/0/op', '/mutations/0/op']],
    ['clientMutationId not a UUID', { clientMutationId: 'k-1' }, ['/mutations/0/clientMutationId']],
    ['clientSeq 0', { clientSeq: 0 }, ['/mutations/0/clientSeq']],
    ['clientSeq fractional', { clientSeq: 1.5 }, ['/mutations/0/clientSeq']],
    ['clientSeq a string', { clientSeq: '1' }, ['/mutations/0/clientSeq']],
    ['aggregate not an object', { aggregate: 'encounter' }, ['/mutations/0/aggregate']],
    ['aggregate null', { aggregate: null }, ['/mutations/0/aggregate']],
    ['aggregate with an extra member', { aggregate: { type: 'encounter', id: uuid(2, 1), v: 1 } }, ['/mutations/0/aggregate/v']],
    ['aggregate member undefined', { aggregate: { type: 'encounter', id: uuid(2, 1), v: undefined } }, ['/mutations/0/aggregate/v']],
    ['aggregate type malformed', { aggregate: { type: 'Encounter', id: uuid(2, 1) } }, ['/mutations/0/aggregate/type']],
    ['aggregate type not a string', { aggregate: { type: 7, id: uuid(2, 1) } }, ['/mutations/0/aggregate/type']],
    ['aggregate type too long', { aggregate: { type: 'e' + 'x'.repeat(64), id: uuid(2, 1) } }, ['/mutations/0/aggregate/type']],
    ['aggregate id not a UUID', { aggregate: { type: 'encounter', id: 'e-1' } }, ['/mutations/0/aggregate/id']],
    ['op unknown', { op: 'delete' }, ['/mutations/0/op']],
    ['op not a string', { op: 1 }, ['/mutations/0/op']],
    ['baseVersion negative', { baseVersion: -1 }, ['/mutations/0/baseVersion']],
    ['baseVersion not an integer', { baseVersion: 0.5 }, ['/mutations/0/baseVersion']],
    ['payload an array', { payload: [] }, ['/mutations/0/payload']],
    ['payload null', { payload: null }, ['/mutations/0/payload']],
    ['capturedAt not a date-time', { capturedAt: '2026-01-01' }, ['/mutations/0/capturedAt']],
    ['actorId empty', { actorId: '' }, ['/mutations/0/actorId']],
    ['actorId too long', { actorId: 'a'.repeat(257) }, ['/mutations/0/actorId']],
    ['actorId not a string', { actorId: 5 }, ['/mutations/0/actorId']],
  ];
  for (const [what, patch, expected] of cases) {
    test(`${what} is refused at ${expected.join(', ')}`, () => {
      expect(pointers(withMutation(patch))).toEqual(expected);
    });
  }

  test('a mutation that is not an object is named by its index', () => {
    const r = validate({ clientId: CLIENT, mutations: [good, 'x'] });
    expect(!r.ok && r.problem.errors).toEqual([{ pointer: '/mutations/1', detail: 'must be an object' }]);
  });

  test('boundary values are accepted', () => {
    const ok = [
      { actorId: 'a' },
      { actorId: 'a'.repeat(256) },
      { baseVersion: 0 },
      { aggregate: { type: 'e' + 'x'.repeat(63), id: uuid(2, 1) } },
      { aggregate: { type: 'encounter', id: uuid(2, 1).toUpperCase() } },
      { capturedAt: '2026-01-01T00:00:00.123+02:00' },
    ];
    for (const patch of ok) {
      const r = validate(withMutation(patch));
      // An unknown (but well-formed) type is a 422, not a field error.
      expect(r.ok || r.problem.type.endsWith('unknown-aggregate-type'), JSON.stringify(patch)).toBe(true);
    }
  });

  test('a payload beyond the size limits is named below the mutation', () => {
    const cfg = { ...DEFAULT_CORE_CONFIG, maxStringLength: 8 };
    const r = validate(withMutation({ payload: { a: 'short', note: 'x'.repeat(9) } }), cfg);
    expect(!r.ok && r.problem.errors).toEqual([{ pointer: '/mutations/0/payload/note', detail: 'string longer than 8 characters' }]);
  });

  test('all of a mutation’s field errors are reported together', () => {
    expect(pointers(withMutation({ clientMutationId: 1, clientSeq: 0, op: 'x', baseVersion: -1, payload: 1, capturedAt: 1, actorId: 1, aggregate: 1 }))).toEqual([
      '/mutations/0/clientMutationId',
      '/mutations/0/clientSeq',
      '/mutations/0/aggregate',
      '/mutations/0/op',
      '/mutations/0/baseVersion',
      '/mutations/0/payload',
      '/mutations/0/capturedAt',
      '/mutations/0/actorId',
    ]);
  });
});

describe('isTenantId', () => {
  test('accepts 1..64 of A-Z a-z 0-9 _ -', () => {
    expect(isTenantId('t')).toBe(true);
    expect(isTenantId('Tenant_01-x')).toBe(true);
    expect(isTenantId('x'.repeat(64))).toBe(true);
    expect(isTenantId('x'.repeat(65))).toBe(false);
    expect(isTenantId('')).toBe(false);
    expect(isTenantId('a.b')).toBe(false);
    expect(isTenantId(7)).toBe(false);
  });
});

describe('unknown members are found whichever known member is missing', () => {
  const fields = ['clientMutationId', 'clientSeq', 'aggregate', 'op', 'baseVersion', 'payload', 'capturedAt', 'actorId'];
  for (const field of fields) {
    test(`without ${field}, an extra member is still reported`, () => {
      const m: Record<string, unknown> = { ...good, extra: 1 };
      delete m[field];
      const ps = pointers({ clientId: CLIENT, mutations: [m] });
      expect(ps[0]).toBe('/mutations/0/extra');
      expect(ps).toContain(`/mutations/0/${field}`);
    });
  }

  test('an aggregate without type or id still reports its extra member', () => {
    expect(pointers(withMutation({ aggregate: { id: uuid(2, 1), v: 1 } }))).toEqual(['/mutations/0/aggregate/v', '/mutations/0/aggregate/type']);
    expect(pointers(withMutation({ aggregate: { type: 'encounter', v: 1 } }))).toEqual(['/mutations/0/aggregate/v', '/mutations/0/aggregate/id']);
    expect(pointers(withMutation({ aggregate: { type: 'encounter', id: undefined } }))).toEqual(['/mutations/0/aggregate/id', '/mutations/0/aggregate/id']);
  });

  test('an aggregate type that is not a string is refused even if it prints as a valid name', () => {
    expect(pointers(withMutation({ aggregate: { type: ['encounter'], id: uuid(2, 1) } }))).toEqual(['/mutations/0/aggregate/type']);
  });

  test('a request without a body tenantId has no tenantId member; refusals explain themselves', () => {
    const r = validate({ clientId: CLIENT, mutations: [good] });
    expect(r.ok && Object.keys(r.value)).toEqual(['clientId', 'mutations']);
    const bad = validate({ clientId: CLIENT, tenantId: 'a b', mutations: [good] });
    expect(!bad.ok && bad.problem.detail).toMatch(/tenantId/);
    const other = validate({ clientId: CLIENT, tenantId: 't2', mutations: [good] });
    expect(!other.ok && other.problem.detail).toMatch(/tenantId/);
  });
});
