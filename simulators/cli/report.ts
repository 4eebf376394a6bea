/** Console rendering shared by `simulate` and `replay`. */
import type { CheckResult } from '../src/checkers/index.js';
import type { CheckedRun } from '../src/run/run-simulation.js';

const fmt = new Intl.NumberFormat('en-US');

/** Formats an integer with thousands separators. */
export function n(x: number): string {
  return fmt.format(Math.round(x));
}

/** Virtual duration as `1 d 2 h 3 min` / `4 min 5 s`. */
export function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts: string[] = [];
  if (d > 0) parts.push(`${d} d`);
  if (h > 0) parts.push(`${h} h`);
  if (m > 0 || parts.length === 0) parts.push(`${m} min`);
  if (d === 0 && h === 0) parts.push(`${s % 60} s`);
  return parts.join(' ');
}

/** The verdict table. */
export function verdictLines(results: readonly CheckResult[]): string[] {
  const w = Math.max(...results.map((r) => r.checker.length));
  const lines = results.map(
    (r) => `  ${r.checker.padEnd(w)}  ${r.verdict.toUpperCase().padEnd(7)}  [${r.requirements.join(', ')}]  ${r.message}`,
  );
  for (const r of results) {
    if (r.verdict !== 'fail') continue;
    lines.push(`  witness of ${r.checker}:`);
    for (const e of r.witness) {
      const text = JSON.stringify(e);
      lines.push(`    ${text.length > 600 ? text.slice(0, 597) + '...' : text}`);
    }
  }
  return lines;
}

/** Wall and CPU time of a run, for the report (never fed back into the simulation). */
export interface RunTiming {
  readonly simMs: number;
  readonly checkMs: number;
  /** CPU time of this process over simulation and checks (the machine may be shared). */
  readonly cpuMs: number;
  /** JS heap in use after the checks. */
  readonly heapBytes: number;
}

/** Summary lines of a run. */
export function runLines(run: CheckedRun, wallMs: number, t: RunTiming): string[] {
  const s = run.stats;
  return [
    `  target     ${run.target}`,
    `  work       ${n(s.captures)} mutations captured · ${n(s.pushes)} pushes · ${n(s.outcomes)} outcomes · ${n(s.events)} events · ${n(s.faults)} faults injected · ${s.serverCrashes} server crashes · ${s.warps} time warps${s.serverErrors > 0 ? ` · ${n(s.serverErrors)} SERVER EXCEPTIONS (500)` : ''}`,
    `  virtual    ${duration(s.simulatedMs)} simulated (liveness ${duration(s.livenessMs)}, ${s.livenessConverged ? 'converged' : 'NOT quiescent at the bound'}) · ${n(s.schedulerEvents)} scheduler events`,
    `  wall       ${(wallMs / 1000).toFixed(2)} s (simulation ${(t.simMs / 1000).toFixed(2)} s, checks ${(t.checkMs / 1000).toFixed(2)} s) · ${n((s.captures * 1000) / Math.max(1, t.simMs))} mutations/s · ${n(s.simulatedMs / Math.max(1, wallMs))}× real time`,
    `  cpu        ${(t.cpuMs / 1000).toFixed(2)} s · ${n((s.captures * 1000) / Math.max(1, t.cpuMs))} mutations per CPU-second · heap ${n(t.heapBytes / 1e6)} MB`,
  ];
}
