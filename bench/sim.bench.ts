/**
 * `npm run bench:sim` — simulator figures (issue 4). Prints medians of several runs, each as wall
 * time and as CPU time of this process (`process.cpuUsage`): the machine may be shared, and CPU
 * time is what the code costs.
 *  1. simulated mutations/s through the real reference core with every fault class on;
 *  2. the reference core's raw push throughput (no simulator) and the ratio;
 *  3. checker throughput on a 1,000,000-mutation history, with memory — the index as `simulate`
 *     gets it (built while the history was recorded) and cold (a bare array indexed from scratch);
 *  4. wall time of `syncproof simulate --clients 1000 --hours 24` (one run unless --big-runs), run
 *     as the command runs it: in a worker with a young generation sized for it.
 * Options: --runs <n> (default 3) · --big-runs <n> (default 1, 0 skips) · --big-clients <n> (1000) ·
 * --big-hours <h> (24) · --checker-mutations <n> (1000000) · --only sim,raw,checkers,big (default all).
 * Numbers only; nothing here asserts a speed (the gates live in tests).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { runSimulation } from '../simulators/src/run/run-simulation.js';
import { ALL_CHECKERS, checkHistory } from '../simulators/src/checkers/index.js';
import { forgetIndex } from '../simulators/src/checkers/history-index.js';
import { History } from '../simulators/src/history/history.js';
import { scenarioFromOptions } from '../simulators/src/scenario/scenario.js';
import { parseFaultList } from '../simulators/src/faults/fault-menu.js';
import { createReferenceServer } from '../simulators/src/target/reference-server.js';
import { syntheticHistory } from '../simulators/src/bench/synthetic-history.js';
import { createRandom } from '../simulators/src/env/random.js';
import { planMutation } from '../simulators/src/client/workload.js';
import { createInProcessCore } from '../reference-impl/src/in-process/in-process-core.js';
import { runInRoomyWorker } from '../simulators/cli/roomy-worker.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
}
const RUNS = arg('runs', 3);
const BIG_RUNS = arg('big-runs', 1);
const BIG_CLIENTS = arg('big-clients', 1000);
const BIG_HOURS = arg('big-hours', 24);
const CHECKER_MUTATIONS = arg('checker-mutations', 1_000_000);
const onlyAt = process.argv.indexOf('--only');
const ONLY = new Set((onlyAt === -1 ? 'sim,raw,checkers,big' : (process.argv[onlyAt + 1] ?? '')).split(','));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (x: number): string => new Intl.NumberFormat('en-US').format(Math.round(x));
const mb = (b: number): string => `${fmt(b / 1e6)} MB`;
const ALL = parseFaultList('all');
const load = (): string => loadavg()[0]!.toFixed(1);

/** Wall and CPU milliseconds of `f`. */
async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1000 };
}

async function simThroughput(): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  const withChecks: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const scenario = scenarioFromOptions({ seed: 100 + i, clients: 40, hours: 12, faults: ALL });
    const sim = await timed(() => runSimulation(scenario, createReferenceServer));
    const run = sim.value;
    const checks = await timed(() => {
      checkHistory(run.history);
      return run.history.hash();
    });
    const n = run.stats.captures;
    walls.push((n * 1000) / sim.wall);
    cpus.push((n * 1000) / sim.cpu);
    withChecks.push((n * 1000) / (sim.wall + checks.wall));
    console.log(
      `    run ${i + 1}: ${fmt(n)} mutations, ${fmt(run.stats.faults)} faults, ${fmt(run.stats.schedulerEvents)} events, ` +
        `sim ${sim.wall.toFixed(0)} ms wall / ${sim.cpu.toFixed(0)} ms CPU, checks+hash ${checks.wall.toFixed(0)} ms (load ${load()})`,
    );
  }
  const wall = median(walls);
  const cpu = median(cpus);
  console.log(
    `  simulated mutations/s, reference core, all faults on (40 clients, 12 h): median ${fmt(wall)}/s wall, ${fmt(cpu)}/CPU-s ` +
      `(with checks and hash ${fmt(median(withChecks))}/s) — goal ≥ 200,000/s`,
  );
  return { wall, cpu };
}

async function rawCore(): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
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
      // Pharmacists, so controlled stock items are allowed: this measures applies, not refusals.
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
    const t = await timed(() => {
      for (const { ctx, body } of bodies) {
        core.push(ctx, body);
        now += 5;
      }
    });
    walls.push((total * 1000) / t.wall);
    cpus.push((total * 1000) / t.cpu);
  }
  const wall = median(walls);
  const cpu = median(cpus);
  console.log(`  reference core raw push throughput (no simulator, 50-mutation batches): median ${fmt(wall)}/s wall, ${fmt(cpu)}/CPU-s`);
  return { wall, cpu };
}

async function checkers(): Promise<void> {
  const before = process.memoryUsage();
  const built = await timed(() => syntheticHistory(CHECKER_MUTATIONS));
  const entries = built.value;
  const afterBuild = process.memoryUsage();
  // The same entries recorded through History, as a simulation records them: serialised into the
  // running hash and indexed entry by entry while hot.
  const recorded = await timed(() => {
    const h = new History();
    for (const e of entries) h.add(e);
    return h;
  });
  const history = recorded.value;
  const afterRecord = process.memoryUsage();
  let peakRss = afterRecord.rss;
  const bad = new Set<string>();
  const note = (results: ReturnType<typeof checkHistory>): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    for (const r of results) if (r.verdict !== 'pass') bad.add(`${r.checker}=${r.verdict}`);
  };
  const warm: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    forgetIndex(history); // keep the recorded columns, redo the per-mutation tables and checks
    const t = await timed(() => checkHistory(history));
    note(t.value);
    warm.push(t);
  }
  const afterWarm = process.memoryUsage();
  const cold: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const copy = entries.slice(); // a new array: nothing cached, indexed from scratch
    const t = await timed(() => checkHistory(copy));
    note(t.value);
    cold.push(t);
  }
  if (bad.size > 0) console.log(`    unexpected verdicts: ${[...bad].join(', ')}`);
  const w = (xs: { wall: number; cpu: number }[]): string => `${median(xs.map((x) => x.wall)).toFixed(0)} ms wall / ${median(xs.map((x) => x.cpu)).toFixed(0)} ms CPU`;
  console.log(`  checkers, ${fmt(CHECKER_MUTATIONS)}-mutation history (${fmt(entries.length)} lines), all ${ALL_CHECKERS.length}:`);
  console.log(`    as simulate runs them (index built while recording): median ${w(warm)} — goal ≤ 2,000 ms`);
  console.log(`    cold (bare array, indexed in one pass first):        median ${w(cold)}`);
  console.log(
    `    memory (JS heap in use, garbage included): ${mb(before.heapUsed)} before, ${mb(afterBuild.heapUsed)} with the history built ` +
      `(${built.wall.toFixed(0)} ms), ${mb(afterRecord.heapUsed)} after recording it through History (hash + index: ` +
      `${recorded.wall.toFixed(0)} ms wall / ${recorded.cpu.toFixed(0)} ms CPU), ${mb(afterWarm.heapUsed)} after the checks; peak RSS ${mb(peakRss)}`,
  );
}

/** The `simulate` command's module, run by {@link big} exactly as the CLI runs it. */
const SIMULATE_COMMAND = new URL('../simulators/cli/simulate-command.ts', import.meta.url).href;

async function big(): Promise<void> {
  if (BIG_RUNS <= 0) return;
  const walls: number[] = [];
  for (let i = 0; i < BIG_RUNS; i++) {
    // The command itself, in the worker it starts for a run this size (simulators/cli/roomy-worker.ts):
    // it prints its own report (sim and checks time, verdicts, hash, heap). CPU counts every thread.
    const args = ['--seed', '42', '--clients', String(BIG_CLIENTS), '--hours', String(BIG_HOURS)];
    const t = await timed(() => runInRoomyWorker(SIMULATE_COMMAND, 'run', args));
    walls.push(t.wall);
    console.log(`    run ${i + 1}: ${(t.wall / 1000).toFixed(1)} s wall / ${(t.cpu / 1000).toFixed(1)} s CPU, exit ${t.value} (load ${load()})`);
  }
  console.log(`  syncproof simulate --clients ${BIG_CLIENTS} --hours ${BIG_HOURS} (seed 42, all faults): median wall ${(median(walls) / 1000).toFixed(1)} s — goal ≤ 60 s`);
}

console.log(`bench:sim — medians of ${RUNS} runs (Node ${process.version}, load ${load()})`);
const sim = ONLY.has('sim') ? await simThroughput() : undefined;
const raw = ONLY.has('raw') ? await rawCore() : undefined;
if (sim && raw) {
  console.log(
    `  ratio simulated / raw core: ${(sim.wall / raw.wall).toFixed(2)} wall, ${(sim.cpu / raw.cpu).toFixed(2)} CPU ` +
      `(the simulator adds clients, network, faults, relay, broker and history; its pushes are small batches)`,
  );
}
// The day-long run before the checker section: that one leaves gigabytes of history in this
// process's heap, and the run's worker shares the process (and its collector threads' CPU).
if (ONLY.has('big')) await big();
if (ONLY.has('checkers')) await checkers();
