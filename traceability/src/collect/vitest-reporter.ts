/**
 * A vitest reporter that writes the project's own test runs as a `results.json` in the results
 * format (see traceability/RESULTS_FORMAT.md). It reads each test's declaration from
 * `testCase.meta()` (`testId`, `verifies`, set by `requirementTest`) and turns vitest's outcome
 * into a verdict: a crash or a timeout is `unknown`, never `pass`.
 *
 * Use: `vitest run --reporter=default --reporter=./traceability/src/collect/vitest-reporter.ts`.
 * Output: `$SYNCPROOF_RESULTS_FILE`, or `reports/results.json` under the vitest root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import {
  RESULTS_FORMAT,
  RESULTS_FORMAT_VERSION,
  serializeResults,
  type EvidenceItem,
  type ResultsDocument,
  type TargetIdentity,
  type TestFailure,
  type TestResult,
  type TestVerdict,
} from '../results/results-format.js';
import { gitCommit, toolIdentity } from '../results/run-metadata.js';

/** Options of {@link TraceabilityReporter}. */
export interface TraceabilityReporterOptions {
  /** Where to write; relative paths resolve against the vitest root. */
  readonly outputFile?: string;
  readonly target?: TargetIdentity;
  readonly seed?: string | null;
  readonly producer?: string;
  /** Clock for startedAt/finishedAt; injected by tests. */
  readonly now?: () => Date;
}

/** The shape of an error vitest hands the reporter (a serialized `TestError`). */
interface ReportedError {
  readonly message: string;
  readonly name?: string;
  readonly stack?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly [key: string]: unknown;
}

/**
 * Turns a test's errors into a verdict and failure. Rules, in order:
 * 1. an error carrying `verdict: 'fail' | 'unknown'` (a check's typed failure) decides itself,
 *    with its `code` when it has one;
 * 2. an assertion error (`AssertionError`, or one with expected/actual) is `fail`;
 * 3. a vitest timeout is `unknown` (`timeout`);
 * 4. anything else is a crash: `unknown` (`crashed`) — a check that threw cannot have decided.
 */
export function classifyErrors(errors: readonly ReportedError[]): { verdict: TestVerdict; failure: TestFailure } {
  const first = errors[0] ?? { message: 'failed without an error' };
  const detail = errors
    .map((e) => e.stack ?? `${e.name ?? 'Error'}: ${e.message}`)
    .join('\n\n')
    .slice(0, 8_000);
  const base = {
    message: first.message.split('\n')[0] ?? '',
    ...(first.expected !== undefined ? { expected: first.expected } : {}),
    ...(first.actual !== undefined ? { received: first.actual } : {}),
    ...(detail ? { detail } : {}),
  };
  const declared = first.verdict;
  const code = typeof first.code === 'string' && first.code ? first.code : undefined;
  if (declared === 'fail' || declared === 'unknown') {
    return { verdict: declared, failure: { code: code ?? (declared === 'fail' ? 'check-failed' : 'inconclusive'), ...base } };
  }
  if ((first.name ?? '').includes('AssertionError') || first.expected !== undefined || first.actual !== undefined) {
    return { verdict: 'fail', failure: { code: code ?? 'assertion', ...base } };
  }
  if (/^Test timed out in \d+ms/.test(first.message)) {
    return { verdict: 'unknown', failure: { code: 'timeout', ...base } };
  }
  return { verdict: 'unknown', failure: { code: code ?? 'crashed', ...base } };
}

function posixRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

function evidenceOf(testCase: TestCase): EvidenceItem[] {
  return testCase.annotations().map((a) => ({
    label: a.type,
    data: a.message,
    ...(a.attachment?.contentType ? { mediaType: a.attachment.contentType } : {}),
  }));
}

/** Converts one finished vitest test case into a {@link TestResult}. */
export function toTestResult(testCase: TestCase, root: string): TestResult {
  const meta = testCase.meta();
  const file = posixRelative(root, testCase.module.moduleId);
  const result = testCase.result();
  const evidence = evidenceOf(testCase);
  const common = {
    id: meta.testId ?? `${file}::${testCase.fullName}`,
    title: testCase.fullName,
    file,
    ...(testCase.location ? { line: testCase.location.line } : {}),
    project: testCase.project.name,
    verifies: [...new Set(meta.verifies ?? [])].sort(),
    durationMs: Math.max(0, Math.round((testCase.diagnostic()?.duration ?? 0) * 1000) / 1000),
    ...(evidence.length ? { evidence } : {}),
  };
  switch (result.state) {
    case 'passed':
      return { ...common, verdict: 'pass' };
    case 'skipped':
      return { ...common, verdict: 'skipped', skipReason: result.note ?? testCase.options.mode };
    case 'failed': {
      const { verdict, failure } = classifyErrors(result.errors as readonly ReportedError[]);
      return { ...common, verdict, failure };
    }
    default:
      // Still pending when the run ended (interrupted): nobody saw it decide.
      return { ...common, verdict: 'unknown', failure: { code: 'not-finished', message: 'the run ended before this test finished' } };
  }
}

/** Results for a module that failed before its tests could run (import error, unknown ID, ...). */
function moduleFailure(module: TestModule, root: string): TestResult | undefined {
  const errors = module.errors();
  if (errors.length === 0) return undefined;
  const file = posixRelative(root, module.moduleId);
  const { failure } = classifyErrors(errors as readonly ReportedError[]);
  return {
    id: `${file}::(module)`,
    title: `${file} (module could not be collected)`,
    file,
    project: module.project.name,
    verifies: [],
    verdict: 'unknown',
    durationMs: 0,
    failure: { ...failure, code: 'collection-failed' },
  };
}

/** vitest reporter writing `results.json`; see the module comment. */
export default class TraceabilityReporter implements Reporter {
  private root = process.cwd();
  private startedAt: Date | undefined;
  private readonly results = new Map<string, TestResult>();
  private readonly now: () => Date;

  constructor(private readonly options: TraceabilityReporterOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    this.startedAt = this.now();
  }

  onTestRunStart(): void {
    this.results.clear();
    this.startedAt = this.now();
  }

  onTestCaseResult(testCase: TestCase): void {
    this.results.set(testCase.id, toTestResult(testCase, this.root));
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tests: TestResult[] = [];
    for (const module of testModules) {
      const failed = moduleFailure(module, this.root);
      if (failed) tests.push(failed);
      for (const testCase of module.children.allTests()) {
        tests.push(this.results.get(testCase.id) ?? toTestResult(testCase, this.root));
      }
    }
    const finishedAt = this.now();
    const doc: ResultsDocument = {
      format: RESULTS_FORMAT,
      formatVersion: RESULTS_FORMAT_VERSION,
      run: {
        tool: toolIdentity(),
        producer: this.options.producer ?? 'vitest-reporter',
        gitCommit: gitCommit(this.root),
        seed: this.options.seed ?? process.env.SYNCPROOF_SEED ?? null,
        target: this.options.target ?? { name: 'syncproof self-test', kind: 'none' },
        startedAt: (this.startedAt ?? finishedAt).toISOString(),
        finishedAt: finishedAt.toISOString(),
      },
      tests,
    };
    const target = this.options.outputFile ?? process.env.SYNCPROOF_RESULTS_FILE ?? 'reports/results.json';
    const path = isAbsolute(target) ? target : resolve(this.root, target);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, serializeResults(doc));
  }
}
