/**
 * `npm run bench:sim` — simulator figures (issue 4). Prints medians of several runs:
 *  1. simulated mutations/s through the real reference core with every fault class on;
 *  2. the reference core's raw push throughput (no simulator) and the ratio;
 *  3. checker throughput on a 1,000,000-mutation history, with memory;
 *  4. wall time of `syncproof simulate --clients 1000 --hours 24` (one run unless --big-runs).
 * Options: --runs <n> (default 3) · --big-runs <n> (default 1, 0 skips) · --big-clients <n> (1000) ·
 * --big-hours <h> (24) · --checker-mutations <n> (1000000).
 * Numbers only; nothing here asserts a speed (the gates live in tests).
 */
import { performance } from 'node:perf_hooks';
import { runSimulation } from '../simulators/src/run/run-simulation.js';
import { checkHistory } from '../simulators/src/checkers/index.js';
import { scenarioFromOptions } from '../simulators/src/scenario/scenario.js';
import { parseFaultList } from '../simulators/src/faults/fault-menu.js';
import { createReferenceServer } from '../simulators/src/target/reference-server.js';
import { syntheticHistory } from '../simulators/src/bench/synthetic-history.js';
import { createRandom } from '../simulators/src/env/random.js';
import { planMutation } from '../simulators/src/client/workload.js';
import { createInProcessCore } from '../reference-impl/src/in-process/in-process-core.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
}
const RUNS = arg('runs', 3);
const BIG_RUNS = arg('big-runs', 1);
const BIG_CLIENTS = arg('big-clients', 1000);
const BIG_HOURS = arg('big-hours', 24);
const CHECKER_MUTATIONS = arg('checker-mutations', 1_000_000);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (x: number): string => new Intl.NumberFormat('en-US').format(Math.round(x));
const mb = (b: number): string => `${fmt(b / 1e6)} MB`;
const ALL = parseFaultList('all');

async function simThroughput(): Promise<number> {
  const rates: number[] = [];
  const withChecks: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const scenario = scenarioFromOptions({ seed: 100 + i, clients: 40, hours: 12, faults: ALL });
    const t0 = performance.now();
    const run = await runSimulation(scenario, createReferenceServer);
    const t1 = performance.now();
    checkHistory(run.history.entries);
    run.history.hash();
    const t2 = performance.now();
    rates.push((run.stats.captures * 1000) / (t1 - t0));
    withChecks.push((run.stats.captures * 1000) / (t2 - t0));
    console.log(`    run ${i + 1}: ${fmt(run.stats.captures)} mutations, ${fmt(run.stats.faults)} faults, sim ${(t1 - t0).toFixed(0)} ms, checks+hash ${(t2 - t1).toFixed(0)} ms`);
  }
  const m = median(rates);
  console.log(`  simulated mutations/s, reference core, all faults on (40 clients, 12 h): median ${fmt(m)}/s (with checks and hash ${fmt(median(withChecks))}/s) — goal ≥ 200,000/s`);
  return m;
}

function rawCore(): number {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let now = Date.UTC(2026, 0, 1);
    const core = createInProcessCore({ clock: { now: () => now } });
    const r = createRandom(7 + run);
    const devices = 40;
    const known = Array.from({ length: devices }, () => new Map<string, string[]>());
    const seqs = new Array<number>(devices).fill(0);
    const bodies: { ctx: { tenantId: string; actorId: string; roles: string[] }; body: unknown }[] = [];
    const total = 200_000;
    for (let b = 0; b < total / 50; b++) {
      const d = b % devices;
      const ctx = { tenantId: `tenant-${d % 5}`, actorId: `user-${d}`, roles: ['pharmacist'] };
      const mutations = [];
      for (let j = 0; j < 50; j++) {
        const p = planMutation(r, r, known[d] as Map<string, string[]>, '2026-01-01T00:00:00.000Z', 400);
        if (p.creates) {
          const list = (known[d] as Map<string, string[]>).get(p.type) ?? [];
          list.push(p.id);
          (known[d] as Map<string, string[]>).set(p.type, list);
        }
        mutations.push({
          clientMutationId: r.uuid(),
          clientSeq: ++(seqs as number[])[d]!,
          aggregate: { type: p.type, id: p.id },
          op: p.op,
          baseVersion: 0,
          payload: p.payload,
          capturedAt: '2026-01-01T00:00:00.000Z',
          actorId: ctx.actorId,
        });
      }
      bodies.push({ ctx, body: { clientId: `00000000-0000-4000-8000-${String(d).padStart(12, '0')}`, mutations } });
    }
    const t0 = performance.now();
    for (const { ctx, body } of bodies) {
      core.push(ctx, body);
      now += 5;
    }
    rates.push((total * 1000) / (performance.now() - t0));
  }
  const m = median(rates);
  console.log(`  reference core raw push throughput (no simulator, 50-mutation batches): median ${fmt(m)}/s`);
  return m;
}

function checkers(): void {
  const before = process.memoryUsage();
  const t0 = performance.now();
  const history = syntheticHistory(CHECKER_MUTATIONS);
  const built = performance.now() - t0;
  const afterBuild = process.memoryUsage();
  const times: number[] = [];
  let peakRss = afterBuild.rss;
  for (let i = 0; i < RUNS; i++) {
    // Fresh array identity each round so the shared index is rebuilt and counted.
    const entries = history.slice();
    const t = performance.now();
    const results = checkHistory(entries);
    times.push(performance.now() - t);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const bad = results.filter((r) => r.verdict !== 'pass');
    if (bad.length > 0) console.log(`    unexpected verdicts: ${bad.map((r) => `${r.checker}=${r.verdict}`).join(', ')}`);
  }
  console.log(
    `  checkers, ${fmt(CHECKER_MUTATIONS)}-mutation history (${fmt(history.length)} lines): median ${median(times).toFixed(0)} ms for all 7 — goal ≤ 2,000 ms; ` +
      `history ${mb(afterBuild.heapUsed - before.heapUsed)} heap (built in ${built.toFixed(0)} ms), peak RSS ${mb(peakRss)}`,
  );
}

async function big(): Promise<void> {
  if (BIG_RUNS <= 0) return;
  const walls: number[] = [];
  for (let i = 0; i < BIG_RUNS; i++) {
    const scenario = scenarioFromOptions({ seed: 42, clients: BIG_CLIENTS, hours: BIG_HOURS, faults: ALL });
    const t0 = performance.now();
    const run = await runSimulation(scenario, createReferenceServer);
    const t1 = performance.now();
    const results = checkHistory(run.history.entries);
    const hash = run.history.hash();
    const t2 = performance.now();
    walls.push(t2 - t0);
    console.log(
      `    run ${i + 1}: ${fmt(run.stats.captures)} mutations, sim ${((t1 - t0) / 1000).toFixed(1)} s, checks+hash ${((t2 - t1) / 1000).toFixed(1)} s, ` +
        `verdicts ${results.map((r) => r.verdict).join('/')}, hash ${hash.slice(0, 16)}…`,
    );
  }
  console.log(`  syncproof simulate --clients ${BIG_CLIENTS} --hours ${BIG_HOURS} (seed 42, all faults): median wall ${(median(walls) / 1000).toFixed(1)} s — goal ≤ 60 s`);
}

console.log(`bench:sim — medians of ${RUNS} runs (Node ${process.version})`);
const sim = await simThroughput();
const raw = rawCore();
console.log(`  ratio simulated / raw core: ${(sim / raw).toFixed(2)} (the simulator adds clients, network, faults, relay, broker and history)`);
checkers();
await big();
