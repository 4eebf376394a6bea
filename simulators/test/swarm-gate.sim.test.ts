/**
 * The PR gate: a seeded swarm of ≥ 200 scenarios and ≥ 200,000 simulated mutations, every fault
 * class on, against the reference core; every invariant must hold in every scenario. A failure
 * writes a shrunk repro and says how to replay it.
 */
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { requirementTest } from '../../conformance/src/dsl/requirement-test.js';
import { runSwarm, type SwarmReport } from '../src/swarm/swarm.js';
import { parseFaultList } from '../src/faults/fault-menu.js';
import { createReferenceServer } from '../src/target/reference-server.js';
import { ALL_CHECKERS } from '../src/checkers/index.js';
import { makeRepro, writeRepro } from '../src/swarm/repro.js';

const SEED = Number(process.env.SYNCPROOF_GATE_SEED ?? 20260101);
const RUNS = 200;
const verdicts = new Map<string, { pass: number; fail: number; unknown: number; firstMessage?: string }>();
let report: SwarmReport;
let serverErrors = 0;
let reproNote = '';

beforeAll(async () => {
  for (const c of ALL_CHECKERS) verdicts.set(c.name, { pass: 0, fail: 0, unknown: 0 });
  const c0 = process.cpuUsage();
  report = await runSwarm({
    seed: SEED,
    runs: RUNS,
    minClients: 3,
    maxClients: 8,
    minMutations: 1_200,
    maxMutations: 1_600,
    maxHours: 4,
    faults: parseFaultList('all'),
    target: createReferenceServer,
    maxShrinkRuns: 100,
    onRun: (run) => {
      serverErrors += run.stats.serverErrors;
      for (const r of run.results) {
        const v = verdicts.get(r.checker)!;
        v[r.verdict]++;
        if (r.verdict !== 'pass' && v.firstMessage === undefined) v.firstMessage = `${r.verdict}: ${r.message} (scenario seed ${run.scenario.seed})`;
      }
    },
  });
  const cpu = process.cpuUsage(c0);
  console.log(
    `swarm gate (seed ${SEED}): ${report.runs} scenarios, ${report.mutations} simulated mutations, every fault class on, ` +
      `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`,
  );
  if (report.failure) {
    const f = report.failure;
    const path = writeRepro(
      join('reports', 'simulation', 'gate'),
      makeRepro({
        seed: SEED,
        options: { gate: true, runs: RUNS, ...(f.path ? { path: f.path } : {}) },
        scenario: f.shrunk.scenario,
        failing: f.shrunk.results.filter((r) => r.verdict === 'fail').map((r) => r.checker),
        historyHash: f.shrunk.hash,
        target: f.shrunk.target,
      }),
    );
    reproNote = ` — reproduce with: syncproof replay ${path} (SYNCPROOF_GATE_SEED=${SEED})`;
  }
}, 600_000);

test(`gate volume: ≥ ${RUNS} scenarios and ≥ 200,000 simulated mutations with every fault class on`, () => {
  expect(report.failure, `a scenario failed${reproNote}`).toBeUndefined();
  expect(report.runs).toBeGreaterThanOrEqual(RUNS);
  expect(report.mutations).toBeGreaterThanOrEqual(200_000);
  expect(serverErrors, 'the target threw on valid requests (an HTTP layer would answer 500)').toBe(0);
});

for (const checker of ALL_CHECKERS) {
  requirementTest(
    { id: `sim.gate.${checker.name}`, verifies: [...checker.requirements] },
    `swarm gate: invariant ${checker.name} holds in every scenario`,
    () => {
      const v = verdicts.get(checker.name)!;
      expect(v.fail, `${v.firstMessage ?? ''}${reproNote}`).toBe(0);
      expect(v.unknown, v.firstMessage).toBe(0);
      expect(v.pass).toBeGreaterThanOrEqual(RUNS);
    },
  );
}
