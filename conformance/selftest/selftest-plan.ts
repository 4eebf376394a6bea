/**
 * What the self-test runs against each planted defect: only the conformance checks, simulator
 * checkers and probes linked to a requirement the defect declares (a defect "is caught" only by a
 * check that exists to catch it).
 */
import type { Defect } from '../../reference-impl/src/defects/defect.js';
import { CHECKS, type CheckEntry } from '../src/registry.js';
import { ALL_CHECKERS, type Checker } from '../../simulators/src/checkers/index.js';
import { PROBES, type Probe } from './probes.js';

/** The plan of one defect. */
export interface DefectPlan {
  readonly defect: Defect;
  /** Conformance check ids (`syncproof run --only`). Runner-decided checks are left out. */
  readonly checks: readonly string[];
  /** Simulator checker names. */
  readonly checkers: readonly string[];
  /** Probe ids. */
  readonly probes: readonly string[];
}

function linked(verifies: readonly string[], violates: readonly string[]): boolean {
  return verifies.some((id) => violates.includes(id));
}

/** Plans one defect against the given registry, checkers and probes. */
export function planDefect(
  defect: Defect,
  checks: readonly CheckEntry[] = CHECKS,
  checkers: readonly Checker[] = ALL_CHECKERS,
  probes: readonly Probe[] = PROBES,
): DefectPlan {
  return {
    defect,
    checks: checks.filter((c) => c.kind === 'test' && linked(c.verifies, defect.violates)).map((c) => c.id),
    checkers: checkers.filter((c) => linked(c.requirements, defect.violates)).map((c) => c.name),
    probes: probes.filter((p) => linked(p.verifies, defect.violates)).map((p) => p.id),
  };
}
