/**
 * What every renderer receives: one run's results, the joined traceability and the instant the
 * report is generated (injected, so the same inputs render the same bytes).
 */
import type { ResultsDocument, TestVerdict } from '../results/results-format.js';
import type { RequirementVerdict, Traceability } from '../join/join-traceability.js';
import type { SpecExcerpt } from '../matrix/spec-excerpts.js';

/** Input of the renderers. */
export interface ReportModel {
  readonly results: ResultsDocument;
  readonly traceability: Traceability;
  /** ISO 8601 instant written into the reports. */
  readonly generatedAt: string;
  /** Spec paragraphs mentioning each requirement ID. */
  readonly specExcerpts?: ReadonlyMap<string, readonly SpecExcerpt[]>;
  /**
   * From the self-test (`npm run selftest`, reports/selftest/defects.json): requirement ID → the
   * planted defects whose failures named it, i.e. proof that its checks bite. Absent = no column.
   */
  readonly defectLinks?: ReadonlyMap<string, readonly string[]>;
}

/** Short labels with a symbol, shared by the Markdown and HTML reports. */
export const VERDICT_LABEL: Record<RequirementVerdict, string> = {
  verified: '✅ verified',
  failed: '❌ failed',
  unknown: '❓ unknown',
  'not run': '⏸️ not run',
  'not tested': '➖ not tested',
};

/** Labels of test verdicts. */
export const TEST_VERDICT_LABEL: Record<TestVerdict | 'not run', string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  unknown: '❓ unknown',
  skipped: '⏭️ skipped',
  'not run': '⏸️ not run',
};

/**
 * Labels for the HTML report. Text symbols every system font carries (✓ ✗ ? ‖ – »), because the
 * report must read the same on an auditor's offline machine, where colour emoji may be missing.
 */
export const HTML_VERDICT_LABEL: Record<RequirementVerdict, string> = {
  verified: '✓ verified',
  failed: '✗ failed',
  unknown: '? unknown',
  'not run': '‖ not run',
  'not tested': '– not tested',
};

/** Labels of test verdicts in the HTML report. */
export const HTML_TEST_VERDICT_LABEL: Record<TestVerdict | 'not run', string> = {
  pass: '✓ pass',
  fail: '✗ fail',
  unknown: '? unknown',
  skipped: '» skipped',
  'not run': '‖ not run',
};

/** How many of a requirement's linked tests ran (and so could decide) in this run: `ran/linked`. */
export function ranCount(tests: readonly { verdict: TestVerdict | 'not run' }[]): string {
  return `${tests.filter((t) => t.verdict !== 'not run' && t.verdict !== 'skipped').length}/${tests.length}`;
}
