/**
 * `syncproof simulate`: runs one seeded world of offline clients against the reference core (or a
 * swarm of small worlds with `--runs`), checks every invariant, prints wall time, throughput, the
 * verdicts and the history hash. A violation is shrunk, written as `repro.json`, and the command
 * prints how to replay it. Exit 0 all pass · 1 violation · 2 usage · 3 a checker could not decide.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { UsageError } from '../../conformance/cli/usage-error.js';
import { parseFaultList, UnknownFaultError, FAULT_NAMES, type FaultName } from '../src/faults/fault-menu.js';
import { scenarioFromOptions, type Scenario } from '../src/scenario/scenario.js';
import { runSimulation, type CheckedRun, type TargetFactory } from '../src/run/run-simulation.js';
import { checkHistory, overallVerdict } from '../src/checkers/index.js';
import { createReferenceServer } from '../src/target/reference-server.js';
import { makeRepro, writeRepro } from '../src/swarm/repro.js';
import { shrinkScenario } from '../src/swarm/shrink-scenario.js';
import { runSwarm } from '../src/swarm/swarm.js';
import { intFlag, numberFlag, parseFlags } from './parse-flags.js';
import { n, runLines, type RunTiming, verdictLines } from './report.js';
import { systemRealWorld } from './system-real-world.js';
import { canStartRoomyWorker, runInRoomyWorker } from './roomy-worker.js';

const FLAGS = ['seed', 'clients', 'hours', 'mutations', 'faults', 'target', 'out', 'defect', 'runs', 'shrink-runs'];
const BOOLEAN_FLAGS = ['history'];
/** Runs of at least this many mutations go to a worker with a young generation sized for them. */
const ROOMY_WORKER_MUTATIONS = 100_000;

/** Wall-clock milliseconds for reporting only (never feeds the simulation). */
function wallMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

function out(line = ''): void {
  process.stdout.write(line + '\n');
}

/** Runs a scenario, timing the simulation and the checks separately. */
export async function timedRun(scenario: Scenario, target: TargetFactory): Promise<{ run: CheckedRun } & RunTiming> {
  const c0 = process.cpuUsage();
  const t0 = wallMs();
  const sim = await runSimulation(scenario, target);
  const t1 = wallMs();
  const results = checkHistory(sim.history);
  const hash = sim.history.hash();
  const t2 = wallMs();
  const cpu = process.cpuUsage(c0);
  return {
    run: { ...sim, results, hash },
    simMs: t1 - t0,
    checkMs: t2 - t1,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapBytes: process.memoryUsage().heapUsed,
  };
}

function parseFaults(spec: string | undefined): ReadonlySet<FaultName> {
  try {
    return parseFaultList(spec ?? 'all');
  } catch (err) {
    if (err instanceof UnknownFaultError) throw new UsageError(err.message);
    throw err;
  }
}

/** Entry point of `syncproof simulate`. */
export async function run(args: string[]): Promise<number> {
  const { flags, positional } = parseFlags(args, FLAGS, BOOLEAN_FLAGS);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const seed = intFlag(flags, 'seed', 42, -2147483648, 2147483647);
  const faults = parseFaults(flags.get('faults'));
  const defect = flags.get('defect') ?? null;
  const outDir = flags.get('out') ?? join('reports', 'simulation');
  if (flags.has('target')) {
    // Real-target mode: the same devices over undici with fault interceptors, in real time.
    const { simulateAgainstProfile } = await import('../real-target/simulate-target.js');
    return simulateAgainstProfile(flags.get('target')!, {
      world: systemRealWorld,
      seed,
      clients: intFlag(flags, 'clients', 8, 1, 1000),
      mutations: intFlag(flags, 'mutations', 60, 1, 100000),
      faults,
      outDir,
      writeHistory: flags.has('history'),
    });
  }
  const target: TargetFactory = (deps) => {
    try {
      return createReferenceServer(deps);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  };
  if (defect !== null) target({ clock: { now: () => 0 }, defect, retentionMs: 1 }); // validates the name up front

  if (flags.has('runs')) return swarm(flags, seed, faults, defect, outDir, target);

  const clients = intFlag(flags, 'clients', 20, 1, 100_000);
  const hours = numberFlag(flags, 'hours', 24, 0.01, 24 * 365);
  const mutations = flags.has('mutations') ? intFlag(flags, 'mutations', 0, 1, 100_000_000) : undefined;
  const scenario = scenarioFromOptions({ seed, clients, hours, faults, defect, ...(mutations !== undefined ? { mutations } : {}) });
  const shrinkRuns = intFlag(flags, 'shrink-runs', 40, 0, 10_000);
  // Flags are checked above, in this thread, so usage errors keep their type.
  if (scenario.mutations >= ROOMY_WORKER_MUTATIONS && canStartRoomyWorker()) return runInRoomyWorker(import.meta.url, 'run', args);
  const enabled = FAULT_NAMES.filter((f) => faults.has(f));
  out(`syncproof simulate: seed ${seed} · ${clients} clients · ${scenario.tenants} tenants · ${hours} h · faults ${enabled.length === FAULT_NAMES.length ? 'all' : enabled.length === 0 ? 'none' : enabled.join(',')}${defect ? ` · planted defect ${defect}` : ''}`);
  const t0 = wallMs();
  const { run: result, ...timing } = await timedRun(scenario, target);
  const total = wallMs() - t0;
  for (const l of runLines(result, total, timing)) out(l);
  out(`  invariants`);
  for (const l of verdictLines(result.results)) out(l);
  out(`  history    sha256 ${result.hash} (${n(result.history.length)} lines)`);
  const verdict = overallVerdict(result.results);
  if (flags.has('history') || verdict === 'fail') {
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, 'history.jsonl');
    await result.history.writeTo(path);
    out(`  written    ${path}`);
  }
  if (verdict === 'fail') {
    const failing = result.results.filter((r) => r.verdict === 'fail').map((r) => r.checker);
    const first = failing[0] as string;
    out(`  shrinking  (up to ${shrinkRuns} runs, keeping '${first}' failing)`);
    const { scenario: small, attempts } = await shrinkScenario(
      scenario,
      async (s) => (await timedRun(s, target)).run.results.some((r) => r.checker === first && r.verdict === 'fail'),
      shrinkRuns,
    );
    const final = small === scenario ? result : (await timedRun(small, target)).run;
    const path = writeRepro(
      outDir,
      makeRepro({
        seed,
        options: { seed, clients, hours, mutations: mutations ?? null, faults: flags.get('faults') ?? 'all', defect },
        scenario: small,
        failing: final.results.filter((r) => r.verdict === 'fail').map((r) => r.checker),
        historyHash: final.hash,
        target: final.target,
      }),
    );
    out(`  shrunk     ${attempts} runs → ${small.clients} clients, ${n(small.mutations)} mutations, ${n(final.stats.captures)} captured`);
    out(`FAIL: invariant violated (${failing.join(', ')}); seed ${seed}`);
    out(`reproduce with: syncproof replay ${path}`);
    return 1;
  }
  if (verdict === 'unknown') {
    out(`UNKNOWN: a checker could not decide; seed ${seed}`);
    return 3;
  }
  out(`PASS: every invariant holds; seed ${seed}`);
  return 0;
}

async function swarm(
  flags: Map<string, string>,
  seed: number,
  faults: ReadonlySet<FaultName>,
  defect: string | null,
  outDir: string,
  target: TargetFactory,
): Promise<number> {
  const runs = intFlag(flags, 'runs', 100, 1, 1_000_000);
  const maxClients = intFlag(flags, 'clients', 8, 2, 1_000);
  const maxMutations = intFlag(flags, 'mutations', 2_000, 1, 10_000_000);
  out(`syncproof simulate (swarm): seed ${seed} · ${runs} scenarios · ≤ ${maxClients} clients · ≤ ${n(maxMutations)} mutations each`);
  const t0 = wallMs();
  const report = await runSwarm({
    seed,
    runs,
    maxClients,
    maxMutations,
    minMutations: Math.min(maxMutations, 100),
    faults,
    defect,
    target,
    maxShrinkRuns: intFlag(flags, 'shrink-runs', 200, 0, 100_000),
  });
  const wall = wallMs() - t0;
  out(`  wall       ${(wall / 1000).toFixed(2)} s · ${report.runs} scenarios · ${n(report.mutations)} mutations · ${n((report.mutations * 1000) / Math.max(1, wall))} mutations/s`);
  if (report.failure) {
    const f = report.failure;
    out(`  invariants of the shrunk failing scenario (run ${f.runIndex})`);
    for (const l of verdictLines(f.shrunk.results)) out(l);
    const path = writeRepro(
      outDir,
      makeRepro({
        seed,
        options: { seed, runs, clients: maxClients, mutations: maxMutations, faults: flags.get('faults') ?? 'all', defect, ...(f.path ? { path: f.path } : {}) },
        scenario: f.shrunk.scenario,
        failing: f.shrunk.results.filter((r) => r.verdict === 'fail').map((r) => r.checker),
        historyHash: f.shrunk.hash,
        target: f.shrunk.target,
      }),
    );
    out(`FAIL: invariant violated; seed ${seed}${f.path ? ` path ${f.path}` : ''}`);
    out(`reproduce with: syncproof replay ${path}`);
    return 1;
  }
  if (report.unknownRuns > 0) {
    out(`UNKNOWN: ${report.unknownRuns} scenarios had a checker that could not decide; seed ${seed}`);
    return 3;
  }
  out(`PASS: every invariant held in ${report.runs} scenarios; seed ${seed}`);
  return 0;
}
