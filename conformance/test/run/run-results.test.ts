/** Exit codes by requirement level, the summary table, and the after-run contract check. */
import { describe, expect, test } from 'vitest';
import type { TestCase } from 'vitest/node';
import type { TestResult } from '../../../traceability/src/results/results-format.js';
import type { ContractViolation } from '../../src/harness/recording-target.js';
import { checkEntry } from '../../src/registry.js';
import { contractResult, exitCodeFor, summaryTable, wentThroughContractProxy } from '../../src/run/run-results.js';

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

describe('contract.responses-match-openapi', () => {
  const entry = checkEntry('contract.responses-match-openapi');
  const proxy = { active: true };
  /** A finished check as the runner sees it: its id, verdict and how many exchanges it made. */
  const finished = (testId: string, exchangeCount: number, verdict: 'pass' | 'fail' = 'pass', contractViolations: ContractViolation[] = []): TestCase =>
    ({ meta: () => ({ testId, verdict, exchangeCount, contractViolations }), result: () => ({ state: verdict === 'pass' ? 'passed' : 'failed' }) }) as unknown as TestCase;

  test('is unknown when only checks that bypass the proxy exchanged anything', () => {
    const cases = [finished('rob.malformed-inputs-no-5xx', 50), finished('rob.oversized-413', 3), finished('order.queue-replay-after-partition', 50)];
    const result = contractResult(entry, cases, proxy);
    expect(result.verdict).toBe('unknown');
    expect(result.failure?.code).toBe('inconclusive');
  });

  test('passes on exchanges of passing checks that went through the proxy', () => {
    const result = contractResult(entry, [finished('rob.malformed-inputs-no-5xx', 50), finished('idem.rest-missing-key-400', 2)], proxy);
    expect(result.verdict).toBe('pass');
  });

  test('does not count the exchanges of failed checks, nor of ids without a check body', () => {
    expect(contractResult(entry, [finished('idem.rest-missing-key-400', 4, 'fail'), finished('no.such-check', 9)], proxy).verdict).toBe('unknown');
  });

  test('names which checks bypass the proxy from their definitions', () => {
    for (const id of ['rob.malformed-inputs-no-5xx', 'rob.invalid-mutation-changes-nothing', 'rob.oversized-413', 'order.queue-replay-after-partition']) {
      expect(wentThroughContractProxy(id), id).toBe(false);
    }
    expect(wentThroughContractProxy('idem.rest-missing-key-400')).toBe(true);
    expect(wentThroughContractProxy(undefined)).toBe(false);
  });

  test('fails on a response violation seen through the proxy', () => {
    const violation: ContractViolation = { method: 'GET', path: '/v1/clinic/encounters/x', status: 200, location: ['response', 'body'], code: 'required', message: 'missing version' };
    const result = contractResult(entry, [finished('idem.rest-missing-key-400', 2, 'pass', [violation])], proxy);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('CONF_E_CONTRACT_VIOLATION');
  });
});
