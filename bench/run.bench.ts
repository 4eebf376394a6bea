/**
 * Wall time of `npx syncproof run` (embedded reference, Prism proxy, reports) — issue 5's goal is
 * ≤ 60 s including server start. Runs it N times (default 3) as a user would and prints each run's
 * process wall time, exit code and verdict counts, then the median. Prints numbers; asserts nothing.
 *
 *   npx tsx bench/run.bench.ts [--runs <n>] [--only <glob>]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(opt('--runs') ?? 3);
const only = opt('--only');

interface Sample {
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly reported: string;
  readonly verdicts: string;
}

async function once(i: number): Promise<Sample> {
  const out = mkdtempSync(join(tmpdir(), `syncproof-run-bench-${i}-`));
  try {
    const started = performance.now();
    const child = spawn('npx', ['syncproof', 'run', '--out', out, ...(only ? ['--only', only] : [])], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (text += d));
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const wallMs = performance.now() - started;
    const reported = /wall time: ([\d.]+ s)/.exec(text)?.[1] ?? '?';
    let verdicts = '?';
    try {
      const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { tests: { verdict: string }[] };
      const by = new Map<string, number>();
      for (const t of doc.tests) by.set(t.verdict, (by.get(t.verdict) ?? 0) + 1);
      verdicts = [...by].sort().map(([v, n]) => `${v} ${n}`).join(', ');
    } catch {
      // No results: the run failed before writing them; the exit code says why.
    }
    return { wallMs, exitCode, reported, verdicts };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const samples: Sample[] = [];
for (let i = 0; i < runs; i += 1) {
  const s = await once(i);
  samples.push(s);
  process.stdout.write(`run ${i + 1}/${runs}: ${(s.wallMs / 1000).toFixed(1)} s (process) · ${s.reported} (reported) · exit ${s.exitCode} · ${s.verdicts}\n`);
}
const sorted = samples.map((s) => s.wallMs).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
process.stdout.write(`npx syncproof run: median ${(median / 1000).toFixed(1)} s over ${runs} run(s) (goal ≤ 60 s) · exit codes ${samples.map((s) => s.exitCode).join(', ')}\n`);
