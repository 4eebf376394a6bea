/**
 * The runner's vitest reporter: one line per finished check (family, done/total, verdict), failures
 * and undecided checks with their reason as they happen. Colour only on a TTY without NO_COLOR.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { CHECKS, type Family } from '../registry.js';
import type { Verdict } from '../verdict.js';

/** Verdict of a finished test case: the check's own decision first, vitest's state otherwise. */
export function caseVerdict(testCase: TestCase): Verdict {
  const declared = testCase.meta().verdict;
  if (declared) return declared;
  const state = testCase.result().state;
  if (state === 'passed') return 'pass';
  if (state === 'skipped') return 'skipped';
  return 'unknown';
}

const COLOURS: Record<Verdict, string> = { pass: '\x1b[32m', fail: '\x1b[31m', unknown: '\x1b[33m', skipped: '\x1b[90m' };
const RESET = '\x1b[0m';

/** Whether to colour output written to `stream`. */
export function useColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

/** Prints progress and keeps every finished test case. */
export class ProgressReporter implements Reporter {
  readonly cases: TestCase[] = [];
  readonly modules: TestModule[] = [];
  private readonly done = new Map<string, number>();

  constructor(
    private readonly totals: ReadonlyMap<Family, number>,
    private readonly write: (line: string) => void,
    private readonly colour: boolean,
  ) {}

  private paint(v: Verdict, text: string): string {
    return this.colour ? `${COLOURS[v]}${text}${RESET}` : text;
  }

  onTestCaseResult(testCase: TestCase): void {
    this.cases.push(testCase);
    const id = testCase.meta().testId ?? testCase.name;
    const family = CHECKS.find((c) => c.id === id)?.family ?? 'other';
    const n = (this.done.get(family) ?? 0) + 1;
    this.done.set(family, n);
    const total = this.totals.get(family as Family) ?? n;
    const v = caseVerdict(testCase);
    const ms = Math.round(testCase.diagnostic()?.duration ?? 0);
    const label = v === 'pass' ? 'pass' : v === 'skipped' ? 'skip' : v.toUpperCase();
    this.write(`[${family.padEnd(11)} ${String(n).padStart(2)}/${String(total).padEnd(2)}] ${this.paint(v, label.padEnd(7))} ${id} (${ms} ms)`);
    if (v !== 'pass') {
      const meta = testCase.meta();
      const result = testCase.result();
      const err = result.errors?.[0];
      const note = result.state === 'skipped' ? result.note : undefined;
      const reason = meta.reason ?? err?.message ?? note ?? '';
      if (reason) this.write(`${' '.repeat(20)}${this.paint(v, '↳')} ${reason.split('\n')[0]}`);
    }
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    this.modules.push(...modules);
    for (const m of modules) {
      for (const e of m.errors()) this.write(`${this.paint('unknown', 'ERROR')} ${m.moduleId}: ${e.message.split('\n')[0]}`);
    }
  }
}
