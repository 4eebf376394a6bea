/**
 * The swarm: fast-check generates scenarios from one seed, each runs against the target and is
 * checked by every invariant; the first failing scenario is shrunk by fast-check and handed back
 * with its verdicts, so the caller can write a repro. Runs are sequential and deterministic.
 */
import fc from 'fast-check';
import { runAndCheck, type CheckedRun, type TargetFactory } from '../run/run-simulation.js';
import type { Scenario } from '../scenario/scenario.js';
import { scenarioArbitrary, type SwarmBounds } from './scenario-arbitrary.js';

/** Options of {@link runSwarm}. */
export interface SwarmOptions extends SwarmBounds {
  /** fast-check seed: drives the whole swarm. */
  readonly seed: number;
  /** Number of scenarios. */
  readonly runs: number;
  readonly target: TargetFactory;
  /** Cap on shrink steps (each re-runs a simulation). */
  readonly maxShrinkRuns?: number;
  /** Called after each run (progress, totals). */
  readonly onRun?: (run: CheckedRun) => void;
}

/** What a swarm found. */
export interface SwarmReport {
  readonly runs: number;
  readonly mutations: number;
  /** Runs with a checker verdict `unknown`. */
  readonly unknownRuns: number;
  /** The shrunk failing run, if any. */
  readonly failure?: { readonly original: Scenario; readonly shrunk: CheckedRun; readonly runIndex: number; readonly path?: string };
}

/** Runs a swarm; stops at the first failure and shrinks it. */
export async function runSwarm(o: SwarmOptions): Promise<SwarmReport> {
  let runs = 0;
  let mutations = 0;
  let unknownRuns = 0;
  let firstFailure: { scenario: Scenario; index: number } | undefined;
  let shrinkRuns = 0;
  const maxShrink = o.maxShrinkRuns ?? 200;
  let last: CheckedRun | undefined;
  const property = fc.asyncProperty(scenarioArbitrary(o), async (scenario) => {
    const shrinking = firstFailure !== undefined;
    if (shrinking && ++shrinkRuns > maxShrink) return true; // budget spent: stop shrinking further
    const run = await runAndCheck(scenario, o.target);
    if (!shrinking) {
      runs++;
      mutations += run.stats.captures;
      if (run.results.some((r) => r.verdict === 'unknown')) unknownRuns++;
      o.onRun?.(run);
    }
    const failed = run.results.some((r) => r.verdict === 'fail');
    if (failed) {
      last = run;
      if (firstFailure === undefined) firstFailure = { scenario, index: runs };
    }
    return !failed;
  });
  const details = await fc.check(property, { seed: o.seed, numRuns: o.runs, endOnFailure: false });
  if (!details.failed || firstFailure === undefined || last === undefined) return { runs, mutations, unknownRuns };
  // fast-check reports the smallest failing value; re-run it so the report carries its verdicts.
  const shrunkScenario = (details.counterexample?.[0] as Scenario | undefined) ?? (last as CheckedRun).scenario;
  const shrunk = await runAndCheck(shrunkScenario, o.target);
  return {
    runs,
    mutations,
    unknownRuns,
    failure: {
      original: firstFailure.scenario,
      shrunk,
      runIndex: firstFailure.index,
      ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
    },
  };
}
