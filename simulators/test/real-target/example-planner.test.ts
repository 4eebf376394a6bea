/** The profile-driven workload: seeded, creates first, then changes known aggregates with the declared ops. */
import { expect, test } from 'vitest';
import { createRandom } from '../../src/env/random.js';
import { examplePlanner, expandExample, type WorkloadAggregate } from '../../real-target/example-planner.js';

const AGGREGATES: WorkloadAggregate[] = [
  { type: 'note', examplePayloads: { create: { patientId: '${uuid}', title: 'visit ${suffix}' }, append: { text: 'obs ${suffix}', authoredAt: '${now}' } } },
  { type: 'tag', examplePayloads: { create: { name: 'tag ${suffix}' } } },
];

test('placeholders are filled from the seeded id stream and the device clock', () => {
  const a = expandExample({ id: '${uuid}', n: ['${suffix}', 3], at: '${now}' }, createRandom(1), '2026-01-01T00:00:00.000Z', 'x1');
  const b = expandExample({ id: '${uuid}', n: ['${suffix}', 3], at: '${now}' }, createRandom(1), '2026-01-01T00:00:00.000Z', 'x1');
  expect(a).toEqual(b);
  expect(a).toMatchObject({ n: ['x1', 3], at: '2026-01-01T00:00:00.000Z' });
  expect((a as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
});

test('with nothing known the planner creates; once it knows aggregates it also changes them with declared ops only', () => {
  const plan = examplePlanner(AGGREGATES);
  const w = createRandom(2);
  const ids = createRandom(3);
  const first = plan(w, ids, new Map(), 'now', 0);
  expect(first).toMatchObject({ op: 'create', creates: true });
  const known = new Map([['note', ['n-1']]]);
  const ops = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const p = plan(w, ids, known, 'now', 0);
    ops.add(`${p.type}:${p.op}`);
    if (!p.creates) expect(p).toMatchObject({ type: 'note', id: 'n-1', op: 'append' });
  }
  expect(ops).toEqual(new Set(['note:create', 'tag:create', 'note:append']));
});
