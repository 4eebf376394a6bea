/**
 * The swarm: fast-check generates scenarios from one seed, each runs against the target and is
 * checked by every invariant; the first failing scenario is shrunk by fast-check and handed back
 * with its verdicts, so the caller can write a repro. Runs are sequential and deterministic.
 */
import fc from 'fast-check';
import { runAndCheck } from '../run/run-simulation.js';
import { scenarioArbitrary } from './scenario-arbitrary.js';
/** Runs a swarm; stops at the first failure and shrinks it. */
export async function runSwarm(o) {
    let runs = 0;
    let mutations = 0;
    let unknownRuns = 0;
    let firstFailure;
    let shrinkRuns = 0;
    const maxShrink = o.maxShrinkRuns ?? 200;
    let last;
    const property = fc.asyncProperty(scenarioArbitrary(o), async (scenario) => {
        const shrinking = firstFailure !== undefined;
        if (shrinking && ++shrinkRuns > maxShrink)
            return true; // budget spent: stop shrinking further
        const run = await runAndCheck(scenario, o.target);
        if (!shrinking) {
            runs++;
            mutations += run.stats.captures;
            if (run.results.some((r) => r.verdict === 'unknown'))
                unknownRuns++;
            o.onRun?.(run);
        }
        const failed = run.results.some((r) => r.verdict === 'fail');
        if (failed) {
            last = run;
            if (firstFailure === undefined)
                firstFailure = { scenario, index: runs };
        }
        return !failed;
    });
    const details = await fc.check(property, { seed: o.seed, numRuns: o.runs, endOnFailure: false });
    if (!details.failed || firstFailure === undefined || last === undefined)
        return { runs, mutations, unknownRuns };
    // fast-check reports the smallest failing value; re-run it so the report carries its verdicts.
    const shrunkScenario = details.counterexample?.[0] ?? last.scenario;
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
