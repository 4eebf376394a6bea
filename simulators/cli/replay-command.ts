/**
 * `syncproof replay <repro.json>`: re-runs the exact scenario of a repro file, prints the verdicts
 * and whether the history hash matches the recorded one. Exit 1 when the violation reproduces,
 * 0 when every invariant passes (the bug is gone), 3 when a checker cannot decide, 2 bad file.
 */
import { UsageError } from '../../conformance/cli/usage-error.js';
import { overallVerdict } from '../src/checkers/index.js';
import { readRepro, ReproError } from '../src/swarm/repro.js';
import { createReferenceServer } from '../src/target/reference-server.js';
import type { TargetFactory } from '../src/run/run-simulation.js';
import { parseFlags } from './parse-flags.js';
import { runLines, verdictLines } from './report.js';
import { timedRun } from './simulate-command.js';

function out(line = ''): void {
  process.stdout.write(line + '\n');
}

/** Entry point of `syncproof replay`. */
export async function run(args: string[]): Promise<number> {
  const { positional } = parseFlags(args, []);
  if (positional.length !== 1) throw new UsageError('expected exactly one repro file: syncproof replay <repro.json>');
  let repro;
  try {
    repro = readRepro(positional[0] as string);
  } catch (err) {
    if (err instanceof ReproError) throw new UsageError(err.message);
    throw err;
  }
  const target: TargetFactory = (deps) => {
    try {
      return createReferenceServer(deps);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  };
  const s = repro.scenario;
  out(`syncproof replay: ${positional[0]} (recorded by ${repro.tool}; seed ${repro.seed}; scenario seed ${s.seed}, ${s.clients} clients, ${s.mutations} mutations${s.defect ? `, planted defect ${s.defect}` : ''})`);
  const wall0 = Number(process.hrtime.bigint() / 1_000_000n);
  const { run: result, ...timing } = await timedRun(s, target);
  const wall = Number(process.hrtime.bigint() / 1_000_000n) - wall0;
  for (const l of runLines(result, wall, timing)) out(l);
  out(`  invariants`);
  for (const l of verdictLines(result.results)) out(l);
  const same = result.hash === repro.historyHash;
  out(`  history    sha256 ${result.hash} — ${same ? 'identical to the recorded run' : `DIFFERS from the recorded ${repro.historyHash}`}`);
  const verdict = overallVerdict(result.results);
  if (verdict === 'fail') {
    const failing = result.results.filter((r) => r.verdict === 'fail').map((r) => r.checker);
    const sameSet = failing.join(',') === [...repro.failing].join(',');
    out(`FAIL: reproduced (${failing.join(', ')})${sameSet ? '' : `; recorded failures were ${repro.failing.join(', ')}`}; seed ${repro.seed}`);
    return 1;
  }
  if (verdict === 'unknown') {
    out('UNKNOWN: a checker could not decide');
    return 3;
  }
  out(`PASS: the recorded violation (${repro.failing.join(', ')}) no longer reproduces`);
  return 0;
}
