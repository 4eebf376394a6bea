import { describe, expect, test } from 'vitest';
import { defectSet } from '../../src/domain/defects.js';
import { createInProcessCore } from '../../src/in-process/in-process-core.js';
import { ManualClock } from '../../src/ports/clock.js';
import { ctxOf, mutation, outcomesOf, payloads, pushBody, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);

describe('planted defects change behaviour (so the suite can prove it catches them)', () => {
  test('dedup-ignores-tenant: tenant B gets tenant A’s outcome as a replay', () => {
    const body = pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(PATIENT) })]);
    const correct = createInProcessCore({ clock: new ManualClock() });
    correct.push(ctxOf('a'), body);
    expect(outcomesOf(correct.push(ctxOf('b'), body))[0]).not.toHaveProperty('replayed');
    const buggy = createInProcessCore({ clock: new ManualClock(), plantedBug: 'dedup-ignores-tenant' });
    buggy.push(ctxOf('a'), body);
    expect(outcomesOf(buggy.push(ctxOf('b'), body))[0]).toMatchObject({ replayed: true });
    expect(buggy.store.findAggregate('b', 'encounter', uuid(2, 1))).toBeUndefined();
  });

  test('reapply-duplicates: a duplicate adjust is applied twice', () => {
    const item = uuid(2, 1);
    const body = pushBody(uuid(1, 1), [
      mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: item, op: 'create', payload: payloads.stock('S', 10) }),
      mutation({ cmid: uuid(3, 2), seq: 2, type: 'stock-item', id: item, op: 'adjust', payload: { delta: -1, reason: 'dispense' } }),
    ]);
    for (const [bug, expected] of [[undefined, 9], ['reapply-duplicates', 8]] as const) {
      const c = createInProcessCore({ clock: new ManualClock(), ...(bug ? { plantedBug: bug } : {}) });
      c.push(ctxOf('t'), body);
      c.push(ctxOf('t'), body);
      expect(c.store.findAggregate('t', 'stock-item', item)?.state.quantity).toBe(expected);
    }
  });

  test('skip-fingerprint-check and lost-update', () => {
    const c = createInProcessCore({ clock: new ManualClock(), defects: ['skip-fingerprint-check', 'lost-update'] });
    const enc = uuid(2, 1);
    c.push(ctxOf('t'), pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: enc, op: 'create', payload: payloads.encounter(PATIENT) })]));
    const reused = outcomesOf(c.push(ctxOf('t'), pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: enc, op: 'create', payload: payloads.encounter(PATIENT, 'finished') })])));
    expect(reused[0]).toMatchObject({ status: 'applied', replayed: true });
    const stale = outcomesOf(c.push(ctxOf('t'), pushBody(uuid(1, 2), [mutation({ cmid: uuid(4, 1), seq: 1, type: 'encounter', id: enc, op: 'update', base: 0, payload: { status: 'finished' } })])));
    expect(stale[0]?.status).toBe('applied');
  });

  test('unknown defect names are refused', () => {
    expect(() => defectSet(['nope'])).toThrow(/unknown planted defect/);
  });
});
