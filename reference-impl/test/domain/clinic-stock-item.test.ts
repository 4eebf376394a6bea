/**
 * The `stock-item` aggregate (clinic TR §5): server-authoritative, not PHI; adjusts apply to the
 * current quantity whatever the baseVersion, never below zero; SKUs are unique per tenant;
 * controlled items need the pharmacist or admin role.
 */
import { describe, expect, test } from 'vitest';
import { stockItemAggregate as stock } from '../../src/domain/clinic/stock-item.js';
import type { Decision } from '../../src/domain/module.js';
import type { Mutation } from '../../src/domain/types.js';
import type { AggregateRow, JsonObject } from '../../src/ports/records.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { ctxOf, uuid } from './helpers.js';

const ID = uuid(2, 1);
const ctx = ctxOf('t1');
const NOW = '2026-01-01T00:00:00.000Z';
const item = (quantity: number, extra: JsonObject = {}) => ({ sku: 'SKU-1', name: 'Gauze', quantity, controlled: false, ...extra });

function row(state: JsonObject, index?: Record<string, string>, id = ID): AggregateRow {
  return { tenantId: 't1', module: 'clinic', type: 'stock-item', id, version: 1, state, updatedAt: NOW, ...(index ? { index } : {}) };
}

function m(op: 'create' | 'adjust', payload: JsonObject, id = ID): Mutation {
  return { clientMutationId: uuid(3, 1), clientSeq: 1, aggregate: { type: 'stock-item', id }, op, baseVersion: 0, payload, capturedAt: NOW, actorId: 'alice' };
}

/** Decides over a store holding `rows`. */
function decide(mutation: Mutation, current: AggregateRow | undefined, rows: AggregateRow[] = []): Decision {
  const store = createMemoryStore();
  store.transaction({ tenantId: 't1' }, (tx) => rows.forEach((r) => tx.putAggregate(r)));
  return store.transaction({ tenantId: 't1' }, (tx) => stock.decide({ ctx, mutation, current, tx, nowIso: NOW }));
}

function pointers(errors: readonly { pointer: string; detail: string }[]): string[] {
  for (const e of errors) expect(e.detail, e.pointer).toMatch(/\w/);
  return errors.map((e) => e.pointer);
}

describe('stock-item validation', () => {
  test('create: sku syntax, name 1..200, integer quantity 0..1e12, boolean controlled', () => {
    expect(stock.validate('create', item(0))).toEqual([]);
    expect(stock.validate('create', item(1e12, { sku: 'a.B_c-9'.padEnd(64, 'x'), name: 'n'.repeat(200), controlled: true }))).toEqual([]);
    expect(pointers(stock.validate('create', {}))).toEqual(['/sku', '/name', '/quantity', '/controlled']);
    expect(pointers(stock.validate('create', item(-1)))).toEqual(['/quantity']);
    expect(pointers(stock.validate('create', item(1e12 + 1)))).toEqual(['/quantity']);
    expect(pointers(stock.validate('create', item(1.5)))).toEqual(['/quantity']);
    expect(pointers(stock.validate('create', item(1, { sku: 'x'.repeat(65) })))).toEqual(['/sku']);
    expect(pointers(stock.validate('create', item(1, { sku: 'a b' })))).toEqual(['/sku']);
    expect(pointers(stock.validate('create', item(1, { sku: 5 })))).toEqual(['/sku']);
    expect(pointers(stock.validate('create', item(1, { name: '' })))).toEqual(['/name']);
    expect(pointers(stock.validate('create', item(1, { name: 'n'.repeat(201) })))).toEqual(['/name']);
    expect(pointers(stock.validate('create', item(1, { name: 5 })))).toEqual(['/name']);
    expect(pointers(stock.validate('create', item(1, { controlled: 'yes' })))).toEqual(['/controlled']);
    expect(pointers(stock.validate('create', item(1, { colour: 'red' })))).toEqual(['/colour']);
    expect(stock.validate('create', item(-1))[0]?.detail).toBe('must be an integer between 0 and 1000000000000');
  });

  test('adjust: a non-zero integer delta within ±1e12 and a known reason', () => {
    for (const reason of ['receive', 'dispense', 'waste', 'correction']) expect(stock.validate('adjust', { delta: -1, reason }), reason).toEqual([]);
    expect(stock.validate('adjust', { delta: 1e12, reason: 'receive' })).toEqual([]);
    expect(stock.validate('adjust', { delta: -1e12, reason: 'receive' })).toEqual([]);
    expect(pointers(stock.validate('adjust', { delta: 0, reason: 'receive' }))).toEqual(['/delta']);
    expect(pointers(stock.validate('adjust', { delta: 1e12 + 1, reason: 'receive' }))).toEqual(['/delta']);
    expect(pointers(stock.validate('adjust', { delta: -1e12 - 1, reason: 'receive' }))).toEqual(['/delta']);
    expect(pointers(stock.validate('adjust', { delta: 0.5, reason: 'receive' }))).toEqual(['/delta']);
    expect(pointers(stock.validate('adjust', { delta: 1, reason: 'theft' }))).toEqual(['/reason']);
    expect(pointers(stock.validate('adjust', { delta: 1, reason: 'receive', note: 'x' }))).toEqual(['/note']);
  });

  test('a merged state is validated like a create', () => {
    expect(pointers(stock.validateState({ sku: 'S' }))).toEqual(['/name', '/quantity', '/controlled']);
  });
});

describe('stock-item decisions', () => {
  test('a create applies the state with its SKU index', () => {
    expect(decide(m('create', item(5)), undefined)).toEqual({ kind: 'apply', state: item(5), index: { 'stock-item.sku': 'SKU-1' } });
  });

  test('a create on an existing id is 409 naming /aggregate/id', () => {
    const d = decide(m('create', item(5)), row(item(1)));
    expect(d.kind === 'reject' && d.problem).toMatchObject({ type: 'https://syncproof.dev/problems/business-rule-violation', status: 409, errors: [{ pointer: '/aggregate/id', detail: 'taken' }] });
    expect(d.kind === 'reject' && d.problem.detail).toContain(ID);
  });

  test('a SKU held by another item is 409 naming /payload/sku; the item’s own entry does not count', () => {
    const other = row(item(1), { 'stock-item.sku': 'SKU-1' }, uuid(2, 9));
    const d = decide(m('create', item(5)), undefined, [other]);
    expect(d.kind === 'reject' && d.problem).toMatchObject({ status: 409, detail: "SKU 'SKU-1' is already used in this tenant", errors: [{ pointer: '/payload/sku' }] });
    const self = row(item(1), { 'stock-item.sku': 'SKU-1' });
    expect(decide(m('create', item(5)), undefined, [self]).kind).toBe('apply');
  });

  test('an adjust applies to the current quantity and keeps the index object', () => {
    const index = { 'stock-item.sku': 'SKU-1' };
    const current = row(item(5), index);
    const d = decide(m('adjust', { delta: -5, reason: 'dispense' }), current);
    expect(d).toEqual({ kind: 'apply', state: item(0), index });
    expect(d.kind === 'apply' && d.index).toBe(index);
    expect(decide(m('adjust', { delta: 3, reason: 'receive' }), row(item(5)))).toEqual({ kind: 'apply', state: item(8) });
  });

  test('an adjust below zero is insufficient-stock with what is available', () => {
    const d = decide(m('adjust', { delta: -6, reason: 'dispense' }), row(item(5)));
    expect(d.kind === 'reject' && d.problem).toMatchObject({ type: 'https://syncproof.dev/problems/insufficient-stock', status: 409, available: 5, detail: 'adjusting by -6 would leave -1' });
  });

  test('an adjust above the maximum quantity is 422; exactly the maximum applies', () => {
    const d = decide(m('adjust', { delta: 2, reason: 'receive' }), row(item(1e12 - 1)));
    expect(d.kind === 'reject' && d.problem).toMatchObject({ type: 'https://syncproof.dev/problems/business-rule-violation', status: 422 });
    expect(decide(m('adjust', { delta: 1, reason: 'receive' }), row(item(1e12 - 1))).kind).toBe('apply');
  });

  test('an adjust of a missing item is not-found', () => {
    const d = decide(m('adjust', { delta: 1, reason: 'receive' }), undefined);
    expect(d.kind === 'reject' && d.problem.status).toBe(404);
  });

  test('stock items never resolve a conflict', () => {
    const r = stock.resolve({ ctx, resolution: 'take-client', mergedState: undefined, op: 'adjust', proposed: {}, current: undefined, matched: undefined, tx: {} as never, aggregateId: ID, nowIso: NOW });
    expect(r.kind === 'reject' && r.problem).toMatchObject({ type: 'https://syncproof.dev/problems/business-rule-violation', status: 422 });
  });
});

describe('stock-item authorization', () => {
  const clinician = ctxOf('t1', 'a', ['clinician']);
  const pharmacist = ctxOf('t1', 'p', ['pharmacist']);
  const admin = ctxOf('t1', 'r', ['admin']);
  const auditor = ctxOf('t1', 'x', ['auditor']);

  test('a controlled item (by payload on create, by current state after) needs pharmacist or admin', () => {
    expect(stock.authorize(clinician, 'create', item(1, { controlled: true }), undefined)?.type).toBe('https://syncproof.dev/problems/permission-lost');
    expect(stock.authorize(clinician, 'create', item(1, { controlled: true }), undefined)?.detail).toBe(
      'changing a controlled-substance stock item needs one of the roles pharmacist, admin at apply time',
    );
    expect(stock.authorize(pharmacist, 'create', item(1, { controlled: true }), undefined)).toBeUndefined();
    expect(stock.authorize(admin, 'create', item(1, { controlled: true }), undefined)).toBeUndefined();
    expect(stock.authorize(clinician, 'adjust', { delta: 1, reason: 'receive' }, row(item(1, { controlled: true })))?.status).toBe(403);
    // The current row decides, not a payload claiming otherwise.
    expect(stock.authorize(clinician, 'adjust', { delta: 1, reason: 'receive', controlled: true }, row(item(1)))).toBeUndefined();
    expect(stock.authorize(clinician, 'create', item(1, { controlled: 'true' }), undefined)).toBeUndefined();
  });

  test('an uncontrolled item needs a writer role', () => {
    expect(stock.authorize(clinician, 'create', item(1), undefined)).toBeUndefined();
    expect(stock.authorize(auditor, 'create', item(1), undefined)?.detail).toBe('changing a stock item needs one of the roles clinician, pharmacist, admin at apply time');
  });
});

describe('stock-item definition', () => {
  test('is server-authoritative, not PHI, under /stock-items with create and adjust', () => {
    expect(stock).toMatchObject({ type: 'stock-item', collection: 'stock-items', policy: 'server-authoritative', phi: false, ops: ['create', 'adjust'] });
    expect(stock.eventType('create')).toBe('created');
    expect(stock.eventType('adjust')).toBe('adjusted');
    expect(stock.patientRef(ID, item(1), undefined)).toBeUndefined();
  });

  test('looks up the SKU index on create only; a state with a SKU indexes it', () => {
    expect(stock.lookups('create', item(1))).toEqual([{ index: 'stock-item.sku', value: 'SKU-1' }]);
    expect(stock.lookups('create', { sku: 5 })).toEqual([]);
    expect(stock.lookups('adjust', { sku: 'SKU-1' })).toEqual([]);
    expect(stock.indexOf(item(1))).toEqual({ 'stock-item.sku': 'SKU-1' });
    expect(stock.indexOf({ name: 'x' })).toBeUndefined();
  });
});
