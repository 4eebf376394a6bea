import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DEFECTS, findDefect } from '../../../reference-impl/src/defects/catalogue.js';
import type { TestResult } from '../../../traceability/src/results/results-format.js';
import { failureRequirement, probeCatch, suiteCatches, swarmCatches } from '../../selftest/judge.js';
import { PROBES } from '../../selftest/probes.js';
import { planDefect } from '../../selftest/selftest-plan.js';
import { requirementLinks, summaryTable, type DefectVerdict, type SelftestSummary } from '../../selftest/selftest-summary.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function failed(id: string, message: string): TestResult {
  return { id, title: id, file: 'x', verifies: [], durationMs: 1, verdict: 'fail', failure: { code: 'check-failed', message } };
}

describe('self-test plan and judgement', () => {
  test('a defect runs only the checks, checkers and probes linked to its requirements', () => {
    const plan = planDefect(findDefect('dedup-ignores-tenant'));
    expect(plan.checks).toContain('idem.scope-per-tenant');
    expect(plan.checks).not.toContain('idem.sync-key-reuse-rejected');
    expect(plan.checkers).toEqual(['tenant-isolation']);
    expect(plan.probes).toEqual([]);
    expect(planDefect(findDefect('idempotency-record-outside-tx')).probes).toEqual(['process.sigkill-all-or-nothing']);
  });

  test('every defect has something linked that can catch it', () => {
    for (const d of DEFECTS) {
      const p = planDefect(d);
      expect(p.checks.length + p.checkers.length + p.probes.length, d.name).toBeGreaterThan(0);
    }
  });

  test('the probe table matches the probe test’s own declaration', () => {
    for (const p of PROBES) {
      const text = readFileSync(`${ROOT}${p.file}`, 'utf8');
      expect(text).toContain(`id: '${p.id}', verifies: [${p.verifies.map((v) => `'${v}'`).join(', ')}]`);
    }
  });

  test('the failure tag names the requirement', () => {
    expect(failureRequirement('outcome: expected "conflict", but received "applied" [CONF_E_STATUS OFS-CONF-001]')).toBe('OFS-CONF-001');
    expect(failureRequirement('first: GET /x → 500 [OFS-SEC-005]')).toBe('OFS-SEC-005');
    expect(failureRequirement('boom')).toBeUndefined();
  });

  test('only a failure naming a declared requirement catches the defect', () => {
    const results = [failed('a', 'x [CONF_E_SHAPE OFS-CONF-011]'), failed('b', 'y [CONF_E_STATUS OFS-CONF-009]'), failed('c', 'crash'), { ...failed('d', 'z [E OFS-CONF-009]'), verdict: 'unknown' as const }];
    expect(suiteCatches(results, ['OFS-CONF-009']).map((c) => c.id)).toEqual(['b']);
    expect(suiteCatches(results, ['OFS-AUD-001'])).toEqual([]);
  });

  test('checker and probe catches need a failing verdict on a declared requirement', () => {
    const r = { checker: 'tenant-isolation', verdict: 'fail' as const, witness: [], requirements: ['OFS-TEN-003'], message: 'leak', violations: 1 };
    expect(swarmCatches([r], ['OFS-TEN-003'])).toHaveLength(1);
    expect(swarmCatches([{ ...r, verdict: 'pass' }], ['OFS-TEN-003'])).toHaveLength(0);
    expect(swarmCatches([r], ['OFS-AUD-001'])).toHaveLength(0);
    expect(probeCatch('p', ['OFS-IDEM-014'], 'fail', 'm', ['OFS-IDEM-014'])).toHaveLength(1);
    expect(probeCatch('p', ['OFS-IDEM-014'], 'unknown', 'm', ['OFS-IDEM-014'])).toHaveLength(0);
  });

  test('summary links requirements to defects and the table names what caught each', () => {
    const v = (name: string, caught: boolean): DefectVerdict => ({
      name,
      violates: ['OFS-TEN-003'],
      description: 'd',
      site: 'store',
      ran: { checks: ['ten.pull-isolated'], checkers: [], probes: [] },
      caught,
      caughtBy: caught ? [{ kind: 'check', id: 'ten.pull-isolated', requirement: 'OFS-TEN-003', evidence: 'e' }] : [],
      seeds: caught ? { suite: 1 } : {},
      notes: caught ? [] : ['suite: passed'],
    });
    const defects = [v('a', true), v('b', false)];
    expect(requirementLinks(defects)).toEqual({ 'OFS-TEN-003': ['a'] });
    const table = summaryTable({ defects } as unknown as SelftestSummary);
    expect(table).toMatch(/^a\s+store\s+suite 1\s+ten\.pull-isolated \[OFS-TEN-003\]$/m);
    expect(table).toMatch(/^b\s+store\s+-\s+NOT CAUGHT \(suite: passed\)$/m);
  });
});
