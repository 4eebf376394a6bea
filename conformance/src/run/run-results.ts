/**
 * Turns a run into the traceability results format (results.json), decides the registry's
 * after-run checks (Prism contract violations), prints the closing table and computes the exit code.
 */
import { relative } from 'node:path';
import type { TestCase } from 'vitest/node';
import { toTestResult } from '../../../traceability/src/collect/vitest-reporter.js';
import type { EvidenceItem, TestResult } from '../../../traceability/src/results/results-format.js';
import type { RequirementLevel } from '../../../traceability/src/matrix/parse-matrix.js';
import { CHECKS, FAMILIES, type CheckEntry, type Family } from '../registry.js';
import type { ContractViolation } from '../harness/recording-target.js';
import type { CheckDefinitions } from '../harness/run-check-body.js';
import { idempotencyChecks } from '../checks/idempotency.js';
import { orderingChecks } from '../checks/ordering.js';
import { conflictChecks } from '../checks/conflicts.js';
import { tenancyChecks } from '../checks/tenancy.js';
import { authChecks } from '../checks/auth.js';
import { eventChecks } from '../checks/events.js';
import { auditChecks } from '../checks/audit.js';
import { robustnessChecks } from '../checks/robustness.js';
import { caseVerdict } from './progress-reporter.js';

/** Converts a finished check into a results entry, with the check's typed failure and evidence. */
export function checkResult(testCase: TestCase, root: string): TestResult {
  const base = toTestResult(testCase, root);
  const meta = testCase.meta();
  const verdict = caseVerdict(testCase);
  if (verdict === 'pass') return { ...base, verdict };
  if (verdict === 'skipped') return { ...base, verdict, skipReason: meta.reason ?? base.skipReason ?? 'not applicable' };
  const f = meta.failure;
  const evidence: EvidenceItem[] = (f?.evidence ?? []).map((ex) => ({ label: 'exchange', mediaType: 'application/json', data: ex }));
  const { skipReason: _s, ...rest } = base;
  return {
    ...rest,
    verdict,
    failure: {
      code: f?.code ?? base.failure?.code ?? (verdict === 'unknown' ? 'inconclusive' : 'check-failed'),
      message: (meta.reason ?? base.failure?.message ?? '').split('\n')[0] ?? '',
      ...(f ? { expected: f.expected, received: f.received } : {}),
      ...(base.failure?.detail ? { detail: base.failure.detail } : {}),
      ...(f ? { evidence } : {}),
    },
  };
}

/** Every check body of the suite, by registry id. */
const DEFINITIONS: CheckDefinitions = {
  ...idempotencyChecks,
  ...orderingChecks,
  ...conflictChecks,
  ...tenancyChecks,
  ...authChecks,
  ...eventChecks,
  ...auditChecks,
  ...robustnessChecks,
};

/**
 * True when check `id` sent its requests through the contract proxy. Checks with
 * `bypassContractProxy` talk to the target directly, and an id with no check body (none should
 * reach here) is not known to have used the proxy either: neither validates anything.
 */
export function wentThroughContractProxy(id: string | undefined): boolean {
  const def = id === undefined ? undefined : DEFINITIONS[id];
  return def !== undefined && def.bypassContractProxy !== true;
}

/**
 * Decides `contract.responses-match-openapi` from the violations the checks saw. Only exchanges of
 * passing checks that went through the proxy count as exercising the contract; none ⇒ unknown.
 */
export function contractResult(
  entry: CheckEntry,
  cases: readonly TestCase[],
  proxy: { active: boolean; reason?: string },
  throughProxy: (id: string | undefined) => boolean = wentThroughContractProxy,
): TestResult {
  const base = { id: entry.id, title: `[${entry.verifies.join(', ')}] responses match the OpenAPI contract (Prism validation proxy)`, file: 'conformance/src/run/prism-proxy.ts', verifies: [...entry.verifies].sort(), durationMs: 0, project: 'conformance' };
  if (!proxy.active) {
    return { ...base, verdict: 'unknown', failure: { code: 'service-unavailable', message: `Prism validation proxy not used: ${proxy.reason ?? 'unavailable'}` } };
  }
  const all: ContractViolation[] = cases.flatMap((c) => c.meta().contractViolations ?? []);
  const responses = all.filter((v) => v.location[0] === 'response');
  // Only exchanges of checks that got through their steps say much about the contract, and only
  // those that went through the proxy were validated at all (bypassing checks never reach Prism).
  const exchanged = cases
    .filter((c) => caseVerdict(c) === 'pass' && throughProxy(c.meta().testId))
    .reduce((n, c) => n + (c.meta().exchangeCount ?? 0), 0);
  if (exchanged === 0) return { ...base, verdict: 'unknown', failure: { code: 'inconclusive', message: 'no passing check exchanged anything through the proxy, so the contract was not exercised' } };
  if (responses.length === 0) return { ...base, verdict: 'pass' };
  const first = responses[0]!;
  const unique = [...new Map(responses.map((v) => [`${v.method} ${v.path.split('?')[0]} ${v.status} ${v.location.join('.')} ${v.code}`, v])).values()];
  return {
    ...base,
    verdict: 'fail',
    failure: {
      code: 'CONF_E_CONTRACT_VIOLATION',
      message: `${responses.length} response(s) break the OpenAPI contract; first: ${first.method} ${first.path.split('?')[0]} → ${first.status}: ${first.location.join('.')} ${first.message} [${first.status >= 400 ? 'OFS-SEC-005' : 'OFS-SYNC-006'}]`,
      expected: 'responses valid against contracts/openapi/sync-api.yaml',
      received: unique.slice(0, 20).map((v) => `${v.method} ${v.path.split('?')[0]} ${v.status} ${v.location.join('.')}: ${v.message}`),
      evidence: unique.slice(0, 20).map((v) => ({ label: 'contract-violation', mediaType: 'application/json', data: v })),
    },
  };
}

/** Registry checks that should have run but produced no result (their file crashed before declaring them). */
export function missingResults(selected: readonly CheckEntry[], results: readonly TestResult[]): TestResult[] {
  const have = new Set(results.map((r) => r.id));
  return selected
    .filter((c) => c.kind === 'test' && !have.has(c.id))
    .map((c) => ({ id: c.id, title: c.catches, file: `conformance/checks/${c.family}/`, verifies: [...c.verifies].sort(), verdict: 'unknown' as const, durationMs: 0, failure: { code: 'not-run', message: 'the check did not run (its file failed to load or the run was interrupted)' } }));
}

/** Family of a result id. */
export function familyOf(id: string): Family | 'other' {
  return CHECKS.find((c) => c.id === id)?.family ?? 'other';
}

/** The closing table: one row per family with counts by verdict. */
export function summaryTable(results: readonly TestResult[]): string {
  const rows = FAMILIES.map((f) => {
    const mine = results.filter((r) => familyOf(r.id) === f);
    const n = (v: string) => mine.filter((r) => r.verdict === v).length;
    return { f, total: mine.length, pass: n('pass'), fail: n('fail'), unknown: n('unknown'), skipped: n('skipped') };
  }).filter((r) => r.total > 0);
  const sum = (k: 'total' | 'pass' | 'fail' | 'unknown' | 'skipped') => rows.reduce((s, r) => s + r[k], 0);
  const line = (a: string, b: number | string, c: number | string, d: number | string, e: number | string, t: number | string) =>
    `${a.padEnd(12)} ${String(b).padStart(5)} ${String(c).padStart(5)} ${String(d).padStart(8)} ${String(e).padStart(8)} ${String(t).padStart(6)}`;
  return [
    line('family', 'pass', 'fail', 'unknown', 'skipped', 'total'),
    ...rows.map((r) => line(r.f, r.pass, r.fail, r.unknown, r.skipped, r.total)),
    line('all', sum('pass'), sum('fail'), sum('unknown'), sum('skipped'), sum('total')),
  ].join('\n');
}

/**
 * Exit code: 1 when a counted check failed, else 3 when a counted check is unknown, else 0. A check
 * counts when it verifies a MUST (or, with `--fail-on should`, a SHOULD) requirement.
 */
export function exitCodeFor(results: readonly TestResult[], levels: ReadonlyMap<string, RequirementLevel>, failOn: 'must' | 'should'): 0 | 1 | 3 {
  const counts = (r: TestResult) => r.verifies.some((id) => levels.get(id) === 'MUST' || (failOn === 'should' && levels.get(id) === 'SHOULD'));
  if (results.some((r) => r.verdict === 'fail' && counts(r))) return 1;
  if (results.some((r) => r.verdict === 'unknown' && counts(r))) return 3;
  return 0;
}

/** POSIX path of `file` relative to `root`. */
export function posix(root: string, file: string): string {
  return relative(root, file).split('\\').join('/');
}
