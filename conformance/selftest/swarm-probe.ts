/**
 * The bounded swarm of the self-test: scenarios drawn from the simulator's own generator (all fault
 * classes) for one seed, run in order against the in-process reference core, checked by the given
 * checkers only, stopping at the first scenario one of them fails. "Seeds needed" is that
 * scenario's 1-based index.
 */
import fc from 'fast-check';
import { FAULT_NAMES } from '../../simulators/src/faults/fault-menu.js';
import { ALL_CHECKERS, checkHistory, type CheckResult } from '../../simulators/src/checkers/index.js';
import { runSimulation } from '../../simulators/src/run/run-simulation.js';
import { scenarioArbitrary } from '../../simulators/src/swarm/scenario-arbitrary.js';
import { createReferenceServer } from '../../simulators/src/target/reference-server.js';

/** Options of {@link swarmProbe}. */
export interface SwarmProbeOptions {
  readonly seed: number;
  /** Scenario budget. */
  readonly runs: number;
  readonly defect: string | null;
  /** Checker names to run (all when absent). */
  readonly checkers?: readonly string[];
  readonly maxClients?: number;
  readonly maxMutations?: number;
}

/** What the swarm found. */
export interface SwarmProbeOutcome {
  /** Scenarios run. */
  readonly runs: number;
  readonly mutations: number;
  /** 1-based index of the first scenario a checker failed, if any. */
  readonly failedAt?: number;
  /** Verdicts of the failing scenario (or of the last scenario when none failed). */
  readonly results: readonly CheckResult[];
  /** Scenarios in which a checker could not decide. */
  readonly unknownRuns: number;
  readonly wallMs: number;
}

/** Runs the bounded swarm. */
export async function swarmProbe(o: SwarmProbeOptions): Promise<SwarmProbeOutcome> {
  const started = Date.now();
  const checkers = o.checkers ? ALL_CHECKERS.filter((c) => o.checkers!.includes(c.name)) : ALL_CHECKERS;
  const maxMutations = o.maxMutations ?? 2_000;
  const scenarios = fc.sample(
    scenarioArbitrary({ maxClients: o.maxClients ?? 8, maxMutations, minMutations: Math.min(maxMutations, 100), faults: new Set(FAULT_NAMES), defect: o.defect }),
    { seed: o.seed, numRuns: o.runs },
  );
  let mutations = 0;
  let unknownRuns = 0;
  let results: CheckResult[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const run = await runSimulation(scenario, (deps) => createReferenceServer(deps));
    mutations += run.stats.captures;
    results = checkHistory(run.history.entries, checkers);
    if (results.some((r) => r.verdict === 'unknown')) unknownRuns++;
    if (results.some((r) => r.verdict === 'fail')) return { runs: i + 1, mutations, failedAt: i + 1, results, unknownRuns, wallMs: Date.now() - started };
  }
  return { runs: scenarios.length, mutations, results, unknownRuns, wallMs: Date.now() - started };
}
