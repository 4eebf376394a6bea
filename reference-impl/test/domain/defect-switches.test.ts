/**
 * The domain's defect switches (src/domain/defects.ts): building a set from names, refusing
 * unknown ones, and the switches taking effect in a push.
 */
import { describe, expect, test } from 'vitest';
import { DOMAIN_DEFECTS, defectSet, NO_DEFECTS } from '../../src/domain/defects.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, pushBody, uuid } from './helpers.js';

describe('defectSet', () => {
  test('no names is the empty set; one name or several give exactly those', () => {
    expect(defectSet(undefined)).toBe(NO_DEFECTS);
    expect(NO_DEFECTS.size).toBe(0);
    expect([...defectSet('lost-update')]).toEqual(['lost-update']);
    expect([...defectSet(['lost-update', 'reapply-duplicates'])]).toEqual(['lost-update', 'reapply-duplicates']);
    expect(defectSet([]).size).toBe(0);
  });

  test('an unknown name is a TypeError listing the known switches', () => {
    expect(() => defectSet('lost-updates')).toThrow(new TypeError(`unknown planted defect 'lost-updates' (known: ${DOMAIN_DEFECTS.join(', ')})`));
    expect(() => defectSet(['lost-update', 'toString'])).toThrow(TypeError);
  });
});

describe('the switches in a push', () => {
  const item = uuid(2, 1);
  const create = mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: item, op: 'create', payload: payloads.stock('S', 10) });
  const adjust = mutation({ cmid: uuid(3, 2), seq: 2, type: 'stock-item', id: item, op: 'adjust', payload: { delta: -1, reason: 'dispense' } });

  test('reapply-duplicates applies a duplicate again instead of replaying it', () => {
    const { core, store } = makeCore({ defects: ['reapply-duplicates'] });
    const ctx = ctxOf('t1');
    outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [create, adjust])));
    const again = outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [adjust])));
    expect(again[0]).toMatchObject({ status: 'applied', newVersion: 3 });
    expect(again[0]).not.toHaveProperty('replayed');
    expect(store.findAggregate('t1', 'stock-item', item)?.state.quantity).toBe(8);
  });

  test('skip-fingerprint-check replays the recorded outcome for a reused key', () => {
    const { core, store } = makeCore({ defects: ['skip-fingerprint-check'] });
    const ctx = ctxOf('t1');
    outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [create, adjust])));
    const reused = outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [{ ...adjust, payload: { delta: -5, reason: 'waste' } }])));
    expect(reused[0]).toMatchObject({ status: 'applied', newVersion: 2, replayed: true });
    expect(store.findAggregate('t1', 'stock-item', item)?.state.quantity).toBe(9);
  });

  test('dedup-ignores-tenant replays another tenant’s outcome; without it the tenants are independent', () => {
    for (const [defects, replayed] of [[['dedup-ignores-tenant'], true], [[], false]] as const) {
      const { core, store } = makeCore({ defects: [...defects] });
      outcomesOf(core.push(ctxOf('a'), 'clinic', pushBody(uuid(1, 1), [create])));
      const [o] = outcomesOf(core.push(ctxOf('b'), 'clinic', pushBody(uuid(1, 1), [create])));
      expect(o?.status === 'applied' && o.replayed === true, defects.join()).toBe(replayed);
      expect(store.findAggregate('b', 'stock-item', item) !== undefined).toBe(!replayed);
    }
  });
});
