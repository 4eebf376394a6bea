/**
 * The body of `syncproof simulate --target <profile.yaml>`: a real-target run against the server
 * the profile describes, printed in the style of `simulate` (target, work, wall time, one verdict
 * line per invariant with the witness of a violation, the history hash). Exit 0 when every
 * invariant passed, 1 on a violation, 3 when something could not be decided (no NATS for the
 * event and audit invariants, an unreachable target); a bad profile throws the suite's
 * `UsageError` (exit 2).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultName } from '../src/faults/fault-menu.js';
import { runRealTargetFromProfile } from './from-profile.js';
import { DEFAULT_REAL_TARGET_FAULTS, NO_REAL_TARGET_FAULTS, type RealTargetFaults } from './run-real-target.js';
import type { RealWorld } from './real-world.js';

/** Crash probability per capture when `client-crash-after-commit` is enabled. */
const CLIENT_CRASH_PROBABILITY = 0.02;

/** Fault classes of the simulator's menu that real-target mode injects. */
export const REAL_TARGET_FAULT_CLASSES: readonly FaultName[] = ['drop-request', 'drop-response', 'duplicate', 'delay', 'partition-client', 'client-crash-after-commit'];

/**
 * Real-target intensities for the simulator's enabled fault classes (each enabled class at its
 * default level). Classes that need the server's insides (server crash, NATS partition, time
 * warps, clock skew, crash before commit) cannot be injected from outside and are ignored.
 */
export function realFaultsFromNames(enabled: ReadonlySet<FaultName>): RealTargetFaults {
  const d = DEFAULT_REAL_TARGET_FAULTS;
  const on = (name: FaultName) => enabled.has(name);
  const delayed = on('delay') || on('duplicate');
  return {
    ...NO_REAL_TARGET_FAULTS,
    dropRequest: on('drop-request') ? d.dropRequest : 0,
    dropResponseAfterForward: on('drop-response') ? d.dropResponseAfterForward : 0,
    duplicate: on('duplicate') ? d.duplicate : 0,
    delay: on('delay') ? d.delay : 0,
    delayMsMax: delayed ? d.delayMsMax : 0,
    partitionsPerClient: on('partition-client') ? d.partitionsPerClient : 0,
    partitionMsMin: d.partitionMsMin,
    partitionMsMax: d.partitionMsMax,
    clientCrash: on('client-crash-after-commit') ? CLIENT_CRASH_PROBABILITY : 0,
  };
}

/** Options of {@link simulateAgainstProfile} (the `simulate` flags that apply). */
export interface SimulateTargetOptions {
  /** Real time and fresh salts (the command's). */
  readonly world: RealWorld;
  readonly seed: number;
  /** @defaultValue 8 */
  readonly clients?: number;
  readonly mutations?: number;
  /** Enabled fault classes (`--faults`). */
  readonly faults: ReadonlySet<FaultName>;
  /** Wall-time bound, ms. @defaultValue 15000 */
  readonly timeBudgetMs?: number;
  /** Where the history goes (always on a violation, or with `writeHistory`). */
  readonly outDir: string;
  readonly writeHistory?: boolean;
  /** Line printer. @defaultValue stdout */
  readonly print?: (line: string) => void;
}

/** Runs and prints; resolves to the exit code. */
export async function simulateAgainstProfile(profilePath: string, o: SimulateTargetOptions): Promise<number> {
  const print = o.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const skipped = [...o.faults].filter((f) => !REAL_TARGET_FAULT_CLASSES.includes(f));
  const run = await runRealTargetFromProfile(profilePath, {
    world: o.world,
    seed: o.seed,
    ...(o.clients !== undefined ? { clients: o.clients } : {}),
    ...(o.mutations !== undefined ? { mutations: o.mutations } : {}),
    ...(o.timeBudgetMs !== undefined ? { timeBudgetMs: o.timeBudgetMs } : {}),
    faults: realFaultsFromNames(o.faults),
    onProgress: (line) => print(`  ${line}`),
  });
  const s = run.stats;
  print(`syncproof simulate --target: seed ${run.seed} · ${s.devices} devices · ${run.target}`);
  if (skipped.length > 0) print(`  not injected (needs the server's insides): ${skipped.join(', ')}`);
  print(`  work       ${s.captures} mutations captured · ${s.pushes} pushes · ${s.outcomes} outcomes · ${s.faults} faults injected · ${s.resolutions} conflicts resolved · ${s.changes} changes read back${s.events !== null ? ` · ${s.events} events` : ''}`);
  print(`  wall       ${(s.wallMs / 1000).toFixed(2)} s (safety ${(s.safetyMs / 1000).toFixed(2)} s, liveness ${(s.livenessMs / 1000).toFixed(2)} s ${s.livenessConverged ? 'converged' : 'NOT quiescent at the bound'}, read-back ${(s.readBackMs / 1000).toFixed(2)} s)`);
  if (run.inconclusive !== undefined) print(`  inconclusive: ${run.inconclusive}`);
  const width = Math.max(...run.results.map((r) => r.checker.length));
  for (const r of run.results) print(`  ${r.checker.padEnd(width)}  ${r.verdict.toUpperCase().padEnd(7)}  [${r.requirements.join(', ')}]  ${r.message}`);
  for (const r of run.results.filter((x) => x.verdict === 'fail')) {
    print(`  witness of ${r.checker}:`);
    for (const e of r.witness) print(`    ${JSON.stringify(e).slice(0, 600)}`);
  }
  print(`  history    sha256 ${run.hash} (${run.history.length} lines)`);
  if (o.writeHistory === true || run.verdict === 'fail') {
    mkdirSync(o.outDir, { recursive: true });
    const path = join(o.outDir, 'real-target-history.jsonl');
    await run.history.writeTo(path);
    print(`  written    ${path}`);
  }
  if (run.verdict === 'fail') {
    print(`FAIL: invariant violated (${run.results.filter((r) => r.verdict === 'fail').map((r) => r.checker).join(', ')}); seed ${run.seed} (real time: a rerun may interleave differently)`);
    return 1;
  }
  if (run.verdict === 'unknown') {
    print(`UNKNOWN: ${run.results.filter((r) => r.verdict === 'unknown').map((r) => r.checker).join(', ')} could not be decided; seed ${run.seed}`);
    return 3;
  }
  print(`PASS: every invariant holds; seed ${run.seed}`);
  return 0;
}
