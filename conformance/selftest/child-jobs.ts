/**
 * The self-test's child processes: `syncproof run` against the embedded reference (with a planted
 * defect or clean) and a probe's vitest file. Each writes its output to a log file and its
 * structured results to a JSON file the self-test reads back; a small pool keeps at most `jobs`
 * children running (the machine's cores).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestResult } from '../../traceability/src/results/results-format.js';

/** Repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO_ROOT, 'bin', 'syncproof.mjs');
const VITEST = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');

/** A finished child. */
export interface ChildResult {
  readonly exitCode: number;
  readonly wallMs: number;
  readonly log: string;
  /** Killed after its time budget (its results, if written, still count). */
  readonly timedOut: boolean;
}

/** Time budget of one child: a run that hangs must not hold the self-test. */
export const CHILD_TIMEOUT_MS = 180_000;

/** Runs `node <args>` in the repo root, output to `log`; SIGKILLed after `timeoutMs`. */
export function runNode(args: readonly string[], log: string, env: NodeJS.ProcessEnv, timeoutMs = CHILD_TIMEOUT_MS): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const out = createWriteStream(log);
    const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      out.write(`\nselftest: killed after ${timeoutMs} ms\n`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      out.end(() => resolve({ exitCode: code ?? 1, wallMs: Date.now() - started, log, timedOut }));
    });
  });
}

/** Options of one suite run. */
export interface SuiteRun {
  /** Where results.json and the log go. */
  readonly dir: string;
  readonly seed: number;
  /** Check ids (absent = every check). */
  readonly only?: readonly string[];
  readonly defect?: string;
  /** Use the Prism contract proxy (the clean run does; defect runs need no contract check). */
  readonly prism: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** A finished suite run. */
export interface SuiteOutcome extends ChildResult {
  readonly results: readonly TestResult[];
}

/** `syncproof run` against the embedded reference. */
export async function runSuiteChild(o: SuiteRun): Promise<SuiteOutcome> {
  mkdirSync(o.dir, { recursive: true });
  const args = [CLI, 'run', '--no-report', '--seed', String(o.seed), '--out', o.dir];
  if (!o.prism) args.push('--no-prism');
  if (o.only) args.push('--only', o.only.join(','));
  if (o.defect) args.push('--defect', o.defect);
  const child = await runNode(args, join(o.dir, 'run.log'), o.env);
  const file = join(o.dir, 'results.json');
  const results = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { tests: TestResult[] }).tests ?? []) : [];
  return { ...child, results };
}

/** One probe test's verdict. */
export interface ProbeOutcome extends ChildResult {
  readonly verdict: 'pass' | 'fail' | 'unknown';
  /** First line of the failure. */
  readonly message: string;
}

/** Runs a probe file (`vitest run --project unit <file>`) with `env`. */
export async function runProbeChild(file: string, dir: string, env: NodeJS.ProcessEnv): Promise<ProbeOutcome> {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'vitest.json');
  const child = await runNode([VITEST, 'run', '--project', 'unit', file, '--reporter=json', `--outputFile=${json}`], join(dir, 'probe.log'), env);
  if (!existsSync(json)) return { ...child, verdict: 'unknown', message: `vitest wrote no report (exit ${child.exitCode}); see ${child.log}` };
  const report = JSON.parse(readFileSync(json, 'utf8')) as { testResults?: { assertionResults?: { status: string; failureMessages?: string[] }[] }[] };
  const tests = (report.testResults ?? []).flatMap((t) => t.assertionResults ?? []);
  const failed = tests.find((t) => t.status === 'failed');
  if (failed) return { ...child, verdict: 'fail', message: (failed.failureMessages?.[0] ?? 'failed').split('\n')[0] ?? 'failed' };
  if (tests.length > 0 && tests.every((t) => t.status === 'passed')) return { ...child, verdict: 'pass', message: '' };
  return { ...child, verdict: 'unknown', message: `no decisive result (exit ${child.exitCode})` };
}

/** Runs `tasks` with at most `jobs` at a time; results in task order. */
export async function pool<T>(jobs: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, worker));
  return results;
}
