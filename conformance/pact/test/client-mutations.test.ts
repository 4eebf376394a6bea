import { describe, expect, test } from 'vitest';
import { schemaErrors } from '../../src/harness/contract-schemas.js';
import { drawPlan, OfflineClientQueue, PlanNotFoundError } from '../src/client-mutations.js';

describe('client mutations', () => {
  test('draws the wanted kind of plan from the simulator workload, the same on every call', () => {
    const wanted = (p: { type: string; op: string }) => p.type === 'encounter' && p.op === 'create';
    const a = drawPlan(1_000, wanted);
    expect(a.type).toBe('encounter');
    expect(a.creates).toBe(true);
    expect(drawPlan(1_000, wanted)).toEqual(a);
  });

  test('gives up with a typed error when the workload never makes the plan', () => {
    expect(() => drawPlan(1, (p) => p.type === 'no-such-type')).toThrow(PlanNotFoundError);
  });

  test('numbers captures from 1 and builds push bodies the contract accepts', () => {
    const q = new OfflineClientQueue({ actorId: 'clin-1', seed: 7, capturedAt: '2026-11-20T09:30:00.000Z' });
    const create = q.capture(drawPlan(10, (p) => p.type === 'note' && p.op === 'create'), 5);
    const update = q.capture(drawPlan(20, (p) => p.type === 'encounter' && p.op === 'update', new Map([['encounter', ['6f1c3a52-8b0e-4c3d-9a7f-0b1c2d3e4f50']]])), 3);
    expect([create.clientSeq, update.clientSeq]).toEqual([1, 2]);
    expect(create.baseVersion).toBe(0);
    expect(update.baseVersion).toBe(3);
    expect(schemaErrors('push-request', q.pushBody())).toEqual([]);
  });
});
