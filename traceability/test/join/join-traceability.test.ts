import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadMatrix } from '../../src/matrix/parse-matrix.js';
import { joinTraceability, type DeclaredLink } from '../../src/join/join-traceability.js';
import { loadResults } from '../../src/results/load-results.js';
import { linksFromMatrix } from '../../src/report/write-report.js';
import type { ResultsDocument, TestResult } from '../../src/results/results-format.js';

const matrix = loadMatrix(fileURLToPath(new URL('../fixtures/matrix/basic-matrix.md', import.meta.url)));
const results = loadResults(fileURLToPath(new URL('../fixtures/results/run-basic/results.json', import.meta.url)));

function withTests(tests: TestResult[]): ResultsDocument {
  return { ...results, tests };
}

function verdicts(doc: ResultsDocument | null, links: DeclaredLink[] = linksFromMatrix(matrix)) {
  return Object.fromEntries(joinTraceability(matrix, links, doc).requirements.map((r) => [r.id, r.verdict]));
}

describe('joinTraceability', () => {
  test('the fixture run gives each requirement the worst-of verdict of its tests', () => {
    expect(verdicts(results)).toEqual({
      'OFS-IDEM-002': 'verified', // one pass, one skipped
      'OFS-IDEM-005': 'verified',
      'OFS-IDEM-007': 'failed',
      'OFS-SYNC-005': 'verified', // two passes, one only known from the results
      'OFS-EVT-001': 'unknown',
      'OFS-TEN-003': 'not run', // declared, absent from the results
      'OFS-STORE-005': 'not tested',
      'OFS-IDEM-001': 'not tested',
      'OFS-AUD-001': 'not run',
    });
  });

  test('totals add up, overall and per level', () => {
    const t = joinTraceability(matrix, linksFromMatrix(matrix), results);
    expect(t.totals).toEqual({ requirements: 9, verified: 3, failed: 1, unknown: 1, notRun: 2, notTested: 2 });
    expect(t.totalsByLevel.SHOULD).toEqual({ requirements: 1, verified: 0, failed: 0, unknown: 0, notRun: 0, notTested: 1 });
    expect(t.totalsByLevel.MUST.requirements).toBe(8);
  });

  test('fail beats unknown beats pass; a crash is never a pass', () => {
    const base = results.tests.find((t) => t.id === 'idem.duplicate-replays') as TestResult;
    const mk = (id: string, verdict: TestResult['verdict']): TestResult => ({
      ...base,
      id,
      verifies: ['OFS-IDEM-005'],
      verdict,
      ...(verdict === 'fail' || verdict === 'unknown' ? { failure: { code: 'x', message: 'x' } } : {}),
    });
    const links = [{ testId: 'a', verifies: ['OFS-IDEM-005'] }];
    expect(verdicts(withTests([mk('a', 'pass'), mk('b', 'unknown')]), links)['OFS-IDEM-005']).toBe('unknown');
    expect(verdicts(withTests([mk('a', 'unknown'), mk('b', 'fail')]), links)['OFS-IDEM-005']).toBe('failed');
    expect(verdicts(withTests([mk('a', 'skipped')]), links)['OFS-IDEM-005']).toBe('not run');
    expect(verdicts(withTests([mk('a', 'pass')]), links)['OFS-IDEM-005']).toBe('verified');
  });

  test('without results every linked requirement is not run, and reasons are given', () => {
    const t = joinTraceability(matrix, linksFromMatrix(matrix), null);
    expect(new Set(t.requirements.map((r) => r.verdict))).toEqual(new Set(['not run', 'not tested']));
    const store = t.requirements.find((r) => r.id === 'OFS-STORE-005');
    expect(store?.reason).toMatch(/^Device storage hardening/);
    expect(t.requirements.find((r) => r.id === 'OFS-IDEM-001')?.reason).toBe('no test declares this requirement');
  });

  test('all-skipped requirements say why', () => {
    const skipped = results.tests.filter((t) => t.id === 'idem.duplicate-replays-rest');
    const t = joinTraceability(matrix, [{ testId: 'idem.duplicate-replays-rest', verifies: ['OFS-IDEM-002'] }], withTests(skipped));
    expect(t.requirements.find((r) => r.id === 'OFS-IDEM-002')).toMatchObject({
      verdict: 'not run',
      reason: 'skipped: profile: module has no REST writes',
    });
  });

  test('tests citing IDs outside the matrix are reported, not silently dropped', () => {
    expect(joinTraceability(matrix, [], results).unknownCitations).toEqual([
      { testId: 'misc.cites-retired-id', requirementId: 'OFS-CONF-099' },
    ]);
  });

  test('linked tests show their run verdict, declared-only tests show not run', () => {
    const req = joinTraceability(matrix, linksFromMatrix(matrix), results).requirements.find((r) => r.id === 'OFS-SYNC-005');
    expect(req?.tests.map((t) => [t.testId, t.verdict])).toEqual([
      ['sync.extra-undeclared-in-matrix', 'pass'],
      ['sync.outcomes-in-order', 'pass'],
    ]);
  });
});
