/**
 * Decides whether a planted defect was caught, and by what: a conformance check that failed with a
 * typed failure naming one of the defect's requirements (the `[CODE OFS-…]` tag of its message),
 * a simulator checker of one of those requirements that failed, or a probe test of one of them
 * that failed. Failures that name another requirement, crashes and `unknown` verdicts do not count:
 * the evidence must point at the defect.
 */
import type { TestResult } from '../../traceability/src/results/results-format.js';
import type { CheckResult } from '../../simulators/src/checkers/index.js';

/** One piece of evidence that a defect was caught. */
export interface Catch {
  readonly kind: 'check' | 'checker' | 'probe';
  /** Check id, checker name or probe id. */
  readonly id: string;
  /** The declared requirement the failure is about. */
  readonly requirement: string;
  /** First line of the failure. */
  readonly evidence: string;
}

const TAG = /\[(?:[A-Z][A-Z0-9_]* )?(OFS-[A-Z]+-\d{3})\]\s*$/;

/** The requirement a typed failure message names (`… [CONF_E_X OFS-IDEM-002]`). */
export function failureRequirement(message: string): string | undefined {
  return TAG.exec(message)?.[1];
}

/** Catches among a suite run's results. */
export function suiteCatches(results: readonly TestResult[], violates: readonly string[]): Catch[] {
  const out: Catch[] = [];
  for (const r of results) {
    if (r.verdict !== 'fail' || !r.failure) continue;
    const requirement = failureRequirement(r.failure.message);
    if (requirement !== undefined && violates.includes(requirement)) out.push({ kind: 'check', id: r.id, requirement, evidence: r.failure.message });
  }
  return out;
}

/** Catches among a swarm scenario's checker verdicts. */
export function swarmCatches(results: readonly CheckResult[], violates: readonly string[]): Catch[] {
  return results
    .filter((r) => r.verdict === 'fail')
    .flatMap((r) => {
      const requirement = r.requirements.find((id) => violates.includes(id));
      return requirement === undefined ? [] : [{ kind: 'checker' as const, id: r.checker, requirement, evidence: r.message }];
    });
}

/** A probe's catch, when it failed and verifies one of the declared requirements. */
export function probeCatch(id: string, verifies: readonly string[], verdict: string, message: string, violates: readonly string[]): Catch[] {
  const requirement = verifies.find((r) => violates.includes(r));
  return verdict === 'fail' && requirement !== undefined ? [{ kind: 'probe', id, requirement, evidence: message }] : [];
}
