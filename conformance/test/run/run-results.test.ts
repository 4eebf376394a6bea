/** Exit codes by requirement level, and the summary table. */
import { expect, test } from 'vitest';
import type { TestResult } from '../../../traceability/src/results/results-format.js';
import { exitCodeFor, summaryTable } from '../../src/run/run-results.js';

const levels = new Map([
  ['OFS-IDEM-002', 'MUST'],
  ['OFS-AUD-006', 'SHOULD'],
  ['OFS-STORE-001', 'MAY'],
] as const);
const r = (id: string, verdict: TestResult['verdict'], verifies: string[]): TestResult => ({ id, title: id, file: 'f', verifies, verdict, durationMs: 1 });

test('a failed MUST check is exit 1, an unknown one exit 3, otherwise 0', () => {
  expect(exitCodeFor([r('idem.a', 'pass', ['OFS-IDEM-002'])], levels, 'must')).toBe(0);
  expect(exitCodeFor([r('idem.a', 'fail', ['OFS-IDEM-002']), r('evt.b', 'unknown', ['OFS-IDEM-002'])], levels, 'must')).toBe(1);
  expect(exitCodeFor([r('evt.b', 'unknown', ['OFS-IDEM-002']), r('idem.c', 'skipped', ['OFS-IDEM-002'])], levels, 'must')).toBe(3);
});

test('SHOULD checks count only with --fail-on should; MAY never', () => {
  const results = [r('aud.published-on-nats', 'fail', ['OFS-AUD-006']), r('x', 'fail', ['OFS-STORE-001'])];
  expect(exitCodeFor(results, levels, 'must')).toBe(0);
  expect(exitCodeFor(results, levels, 'should')).toBe(1);
});

test('the summary table counts verdicts per family', () => {
  const table = summaryTable([r('idem.sync-key-reuse-rejected', 'pass', []), r('idem.rest-missing-key-400', 'fail', []), r('evt.msg-id-stable', 'unknown', [])]);
  expect(table).toMatch(/^idempotency\s+1\s+1\s+0\s+0\s+2$/m);
  expect(table).toMatch(/^events\s+0\s+0\s+1\s+0\s+1$/m);
  expect(table).toMatch(/^all\s+1\s+1\s+1\s+0\s+3$/m);
});
