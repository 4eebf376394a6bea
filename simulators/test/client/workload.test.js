/**
 * The workload plans only mutations the clinic module accepts (clinic TR §1–§5): every op is one
 * the type lists, every payload passes the reference module's own validation, stock adjustments
 * carry a reason, and encounter status never moves backwards from what the device last set. And
 * in a fault-free simulation nothing the devices send is refused as malformed.
 */
import { describe, expect, test } from 'vitest';
import { clinicModule } from '../../../reference-impl/src/domain/clinic/clinic-module.js';
import { createRandom } from '../../src/env/random.js';
import { planMutation } from '../../src/client/workload.js';
import { runSimulation } from '../../src/run/run-simulation.js';
import { scenarioFromOptions } from '../../src/scenario/scenario.js';
import { createReferenceServer } from '../../src/target/reference-server.js';
const RANK = { planned: 0, 'in-progress': 1, finished: 2 };
describe('planMutation', () => {
    test('20,000 plans over growing device knowledge are all valid per the clinic module', () => {
        for (const seed of [1, 2, 3, 4]) {
            const w = createRandom(seed).fork('w');
            const ids = createRandom(seed).fork('ids');
            const known = new Map();
            const lastStatus = new Map();
            const counts = new Map();
            for (let i = 0; i < 5_000; i++) {
                const plan = planMutation(w, ids, known, '2026-03-01T10:00:00.000Z', 400);
                const def = clinicModule.aggregates.get(plan.type);
                expect(def, plan.type).toBeDefined();
                expect(def.ops, `${plan.type} ${plan.op}`).toContain(plan.op);
                expect(def.validate(plan.op, plan.payload), JSON.stringify(plan)).toEqual([]);
                expect(plan.creates).toBe(plan.op === 'create');
                if (plan.type === 'stock-item' && plan.op === 'adjust') {
                    const { delta, reason } = plan.payload;
                    if (reason === 'receive')
                        expect(delta).toBeGreaterThan(0);
                    if (reason === 'dispense' || reason === 'waste')
                        expect(delta).toBeLessThan(0);
                }
                if (plan.type === 'encounter' && typeof plan.payload['status'] === 'string') {
                    const rank = RANK[plan.payload['status']];
                    const before = lastStatus.get(plan.id);
                    if (before !== undefined)
                        expect(rank, `encounter ${plan.id} status`).toBeGreaterThanOrEqual(before);
                    lastStatus.set(plan.id, rank);
                }
                const key = `${plan.type}:${plan.op}`;
                counts.set(key, (counts.get(key) ?? 0) + 1);
                if (plan.creates) {
                    const list = known.get(plan.type) ?? [];
                    list.push(plan.id);
                    known.set(plan.type, list);
                }
            }
            // Every op of every type is exercised.
            for (const [type, def] of clinicModule.aggregates)
                for (const op of def.ops)
                    expect(counts.get(`${type}:${op}`) ?? 0, `${type}:${op}`).toBeGreaterThan(50);
        }
    });
});
test('a fault-free simulation sends nothing the reference refuses as malformed', async () => {
    const scenario = scenarioFromOptions({ seed: 5, clients: 8, hours: 4, mutations: 1_500, faults: new Set() });
    const run = await runSimulation(scenario, createReferenceServer);
    const problems = new Map();
    for (const e of run.history.entries) {
        if ((e.k === 'outcome' || e.k === 'request-error') && e.problem !== undefined)
            problems.set(e.problem, (problems.get(e.problem) ?? 0) + 1);
    }
    expect(run.stats.captures).toBeGreaterThan(1_000);
    expect(problems.get('validation-failed') ?? 0, JSON.stringify([...problems])).toBe(0);
    expect(problems.get('unknown-aggregate-type') ?? 0).toBe(0);
});
