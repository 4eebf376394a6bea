/**
 * `ctrf.json`: the Common Test Report Format (ctrf.io, spec version 0.0.0). Verdicts map to CTRF
 * statuses pass → passed, fail → failed, skipped → skipped, unknown → other (with
 * `rawStatus: "unknown"`); requirement IDs travel as tags and as the `requirements` label.
 */
import type { ResultsDocument, TestResult } from '../results/results-format.js';

/** CTRF spec version this renderer targets. */
export const CTRF_SPEC_VERSION = '0.0.0';

const STATUS = { pass: 'passed', fail: 'failed', skipped: 'skipped', unknown: 'other' } as const;

function integerMs(ms: number): number {
  return Math.max(0, Math.round(ms));
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function ctrfTest(t: TestResult): Record<string, unknown> {
  const f = t.failure;
  const message = f
    ? [f.message, f.expected !== undefined ? `expected: ${show(f.expected)}` : '', f.received !== undefined ? `received: ${show(f.received)}` : '']
        .filter(Boolean)
        .join('\n')
    : t.skipReason;
  return {
    name: t.title || t.id,
    status: STATUS[t.verdict],
    duration: integerMs(t.durationMs),
    testId: t.id,
    rawStatus: t.verdict,
    filePath: t.file,
    ...(t.line ? { line: t.line } : {}),
    ...(message ? { message } : {}),
    ...(f?.detail ? { trace: f.detail } : {}),
    ...(t.verifies.length ? { tags: [...t.verifies], labels: { requirements: [...t.verifies] } } : {}),
    ...(t.project ? { type: t.project } : {}),
    ...(f ? { extra: { failureCode: f.code } } : {}),
  };
}

/** Renders the CTRF document (an object; serialize with 2-space JSON). */
export function renderCtrf(results: ResultsDocument, generatedAt: string): Record<string, unknown> {
  const { run } = results;
  const tests = results.tests.map(ctrfTest);
  const count = (v: TestResult['verdict']) => results.tests.filter((t) => t.verdict === v).length;
  const start = Date.parse(run.startedAt);
  const stop = Date.parse(run.finishedAt);
  return {
    reportFormat: 'CTRF',
    specVersion: CTRF_SPEC_VERSION,
    timestamp: generatedAt,
    generatedBy: `${run.tool.name} ${run.tool.version}`,
    results: {
      tool: { name: run.tool.name, version: run.tool.version, extra: { producer: run.producer } },
      summary: {
        tests: tests.length,
        passed: count('pass'),
        failed: count('fail'),
        skipped: count('skipped'),
        pending: 0,
        other: count('unknown'),
        start,
        stop,
        duration: Math.max(0, stop - start),
      },
      tests,
      environment: {
        appName: run.target.name,
        ...(run.target.version ? { appVersion: run.target.version } : {}),
        ...(run.gitCommit ? { commit: run.gitCommit } : {}),
        extra: { seed: run.seed, target: run.target },
      },
    },
  };
}
