/**
 * The rules of `syncproof trace check`, as a pure function over the matrix and the tests'
 * declarations. Each problem is one line that names where to look.
 */
import type { MatrixRow } from '../matrix/parse-matrix.js';
import type { Declarations } from '../collect/collect-declarations.js';
import { formatTestsCell } from '../matrix/rewrite-tests-column.js';

/** Kinds of drift, in the order they are reported. */
export type TraceProblemKind = 'collection' | 'unknown-id' | 'duplicate-test-id' | 'tests-column' | 'untested-must';

/** One problem found by the check. */
export interface TraceProblem {
  readonly kind: TraceProblemKind;
  /** One line, naming the file (and line) or the test. */
  readonly message: string;
}

const ORDER: readonly TraceProblemKind[] = ['collection', 'unknown-id', 'duplicate-test-id', 'tests-column', 'untested-must'];

/** What the Tests column of each row should say: the ids of the tests that declare it, sorted. */
export function expectedTestsColumn(matrix: readonly MatrixRow[], decls: Declarations): Map<string, string[]> {
  const expected = new Map<string, string[]>(matrix.map((r) => [r.id, []]));
  for (const d of decls.declarations) {
    for (const req of d.verifies) expected.get(req)?.push(d.testId);
  }
  for (const [id, tests] of expected) expected.set(id, [...new Set(tests)].sort());
  return expected;
}

function where(d: { file: string; line?: number }): string {
  return d.line ? `${d.file}:${d.line}` : d.file;
}

/**
 * Checks the matrix against the declarations:
 * - a test file vitest could not collect (its declarations are unknown);
 * - a test citing an ID the matrix does not hold;
 * - one test id declared by two tests;
 * - a Tests cell that disagrees with the declarations (fixable with `--fix`);
 * - a MUST with neither a declaring test nor a "Not tested" reason.
 */
export function checkTrace(matrix: readonly MatrixRow[], decls: Declarations, matrixFile: string): TraceProblem[] {
  const problems: TraceProblem[] = [];
  const known = new Set(matrix.map((r) => r.id));

  for (const p of decls.problems) {
    problems.push({ kind: 'collection', message: `${p.file}: tests could not be collected: ${p.message}` });
  }

  const seen = new Map<string, string>();
  for (const d of decls.declarations) {
    for (const req of d.verifies) {
      if (!known.has(req)) {
        problems.push({ kind: 'unknown-id', message: `${where(d)}: test '${d.testId}' cites unknown requirement ID '${req}'` });
      }
    }
    const first = seen.get(d.testId);
    if (first !== undefined) {
      problems.push({ kind: 'duplicate-test-id', message: `${where(d)}: test id '${d.testId}' is already declared at ${first}` });
    } else {
      seen.set(d.testId, where(d));
    }
  }

  const expected = expectedTestsColumn(matrix, decls);
  for (const row of matrix) {
    const want = formatTestsCell(expected.get(row.id) ?? []);
    const have = formatTestsCell(row.tests);
    if (want !== have) {
      problems.push({
        kind: 'tests-column',
        message: `${matrixFile}:${row.line}: ${row.id} Tests column says [${have}] but the tests declare [${want}] (run 'syncproof trace check --fix')`,
      });
    }
    if (row.level === 'MUST' && (expected.get(row.id) ?? []).length === 0 && !row.notTested) {
      problems.push({
        kind: 'untested-must',
        message: `${matrixFile}:${row.line}: MUST ${row.id} has neither a test nor a "Not tested" reason`,
      });
    }
  }
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => ORDER.indexOf(a.p.kind) - ORDER.indexOf(b.p.kind) || a.i - b.i)
    .map(({ p }) => p);
}
