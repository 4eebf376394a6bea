/**
 * The pure join: matrix × declarations × results → one verdict per requirement. No I/O, no clock:
 * the same inputs always give the same answer, which is what lets auditors re-derive a report.
 *
 * A requirement's linked tests are the tests that declare it (declarations) plus any test in the
 * results that says it verifies it. Its verdict:
 * - `failed` if any linked test failed in this run;
 * - else `unknown` if any linked test could not decide;
 * - else `verified` if at least one linked test passed in this run;
 * - else `not run` (linked tests exist but none ran, or all were skipped);
 * - `not tested` when no test is linked at all (the reason is the matrix's "Not tested" text, or
 *   "no test declares this requirement").
 * Linked tests that did not run do not block `verified`: a run against one target legitimately runs
 * only the checks that apply to it; the report still shows how many of the linked tests ran.
 */
import type { MatrixRow, RequirementLevel } from '../matrix/parse-matrix.js';
import type { ResultsDocument, TestResult, TestVerdict } from '../results/results-format.js';

/** Verdict of one requirement in one run. */
export type RequirementVerdict = 'verified' | 'failed' | 'unknown' | 'not run' | 'not tested';

/** All requirement verdicts, worst first (the order reports list them in). */
export const REQUIREMENT_VERDICTS: readonly RequirementVerdict[] = ['failed', 'unknown', 'not run', 'not tested', 'verified'];

/** A test linked to a requirement: what it claims, and what it did in this run. */
export interface LinkedTest {
  readonly testId: string;
  readonly title: string;
  readonly file?: string;
  /** `not run` when the test is declared but absent from the results. */
  readonly verdict: TestVerdict | 'not run';
  readonly result?: TestResult;
}

/** One requirement with its verdict. */
export interface RequirementStatus {
  readonly id: string;
  /** The ID's area, e.g. `IDEM` for `OFS-IDEM-002`. */
  readonly area: string;
  readonly level: RequirementLevel;
  readonly requirement: string;
  readonly source: string;
  readonly verdict: RequirementVerdict;
  /** Why it is `not tested` or `not run`. */
  readonly reason?: string;
  readonly tests: readonly LinkedTest[];
}

/** Counts of requirements by verdict. */
export interface VerdictCounts {
  readonly requirements: number;
  readonly verified: number;
  readonly failed: number;
  readonly unknown: number;
  readonly notRun: number;
  readonly notTested: number;
}

/** The joined traceability of one run. */
export interface Traceability {
  readonly requirements: readonly RequirementStatus[];
  readonly totals: VerdictCounts;
  readonly totalsByLevel: Readonly<Record<RequirementLevel, VerdictCounts>>;
  /** Tests in the results that cite IDs the matrix does not hold. */
  readonly unknownCitations: readonly { readonly testId: string; readonly requirementId: string }[];
}

/** A claim that a test verifies requirements (declaration or matrix Tests column). */
export interface DeclaredLink {
  readonly testId: string;
  readonly verifies: readonly string[];
  readonly title?: string;
  readonly file?: string;
}

/** Area of a requirement ID (`OFS-<AREA>-<NNN>`). */
export function areaOf(id: string): string {
  return id.split('-')[1] ?? '';
}

const COUNT_KEY: Record<RequirementVerdict, keyof Omit<VerdictCounts, 'requirements'>> = {
  verified: 'verified',
  failed: 'failed',
  unknown: 'unknown',
  'not run': 'notRun',
  'not tested': 'notTested',
};

function emptyCounts(): { -readonly [K in keyof VerdictCounts]: number } {
  return { requirements: 0, verified: 0, failed: 0, unknown: 0, notRun: 0, notTested: 0 };
}

function decide(row: MatrixRow, tests: readonly LinkedTest[]): { verdict: RequirementVerdict; reason?: string } {
  if (tests.length === 0) {
    return { verdict: 'not tested', reason: row.notTested || 'no test declares this requirement' };
  }
  const has = (v: LinkedTest['verdict']) => tests.some((t) => t.verdict === v);
  if (has('fail')) return { verdict: 'failed' };
  if (has('unknown')) return { verdict: 'unknown' };
  if (has('pass')) return { verdict: 'verified' };
  const skipped = tests.filter((t) => t.verdict === 'skipped');
  if (skipped.length > 0) {
    const reasons = [...new Set(skipped.map((t) => t.result?.skipReason).filter(Boolean))];
    return { verdict: 'not run', reason: `skipped${reasons.length ? `: ${reasons.join('; ')}` : ''}` };
  }
  return { verdict: 'not run', reason: 'no linked test ran' };
}

/**
 * Joins the matrix, the tests' declarations and (optionally) one run's results. With no results,
 * every tested requirement is `not run`.
 */
export function joinTraceability(
  matrix: readonly MatrixRow[],
  declarations: readonly DeclaredLink[],
  results: ResultsDocument | null,
): Traceability {
  const known = new Set(matrix.map((r) => r.id));
  const resultById = new Map<string, TestResult>();
  for (const t of results?.tests ?? []) resultById.set(t.id, t);

  // requirement id → test id → link, merged from declarations and results.
  const links = new Map<string, Map<string, { title?: string; file?: string }>>();
  const link = (req: string, testId: string, title?: string, file?: string) => {
    let byTest = links.get(req);
    if (!byTest) links.set(req, (byTest = new Map()));
    const prev = byTest.get(testId) ?? {};
    byTest.set(testId, { title: prev.title ?? title, file: prev.file ?? file });
  };
  for (const d of declarations) for (const req of d.verifies) link(req, d.testId, d.title, d.file);
  for (const t of results?.tests ?? []) for (const req of t.verifies) link(req, t.id, t.title, t.file);

  const unknownCitations = [...links.entries()]
    .filter(([req]) => !known.has(req))
    .flatMap(([req, tests]) => [...tests.keys()].map((testId) => ({ testId, requirementId: req })))
    .sort((a, b) => (a.testId + a.requirementId).localeCompare(b.testId + b.requirementId));

  const totals = emptyCounts();
  const totalsByLevel = { MUST: emptyCounts(), SHOULD: emptyCounts(), MAY: emptyCounts() };
  const requirements = matrix.map((row): RequirementStatus => {
    const tests = [...(links.get(row.id) ?? new Map<string, { title?: string; file?: string }>()).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([testId, info]): LinkedTest => {
        const result = resultById.get(testId);
        return {
          testId,
          title: result?.title ?? info.title ?? testId,
          ...((result?.file ?? info.file) ? { file: result?.file ?? info.file } : {}),
          verdict: result ? result.verdict : 'not run',
          ...(result ? { result } : {}),
        };
      });
    const { verdict, reason } = decide(row, tests);
    totals.requirements += 1;
    totals[COUNT_KEY[verdict]] += 1;
    totalsByLevel[row.level].requirements += 1;
    totalsByLevel[row.level][COUNT_KEY[verdict]] += 1;
    return {
      id: row.id,
      area: areaOf(row.id),
      level: row.level,
      requirement: row.requirement,
      source: row.source,
      verdict,
      ...(reason ? { reason } : {}),
      tests,
    };
  });
  return { requirements, totals, totalsByLevel, unknownCitations };
}
