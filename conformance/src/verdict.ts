/**
 * Verdicts of checks and requirements (DESIGN §2). A crashed check is never a pass: anything that
 * is not an assertion about the target's behaviour becomes `unknown`.
 */

/** Verdict of one check or one requirement. */
export type Verdict = 'pass' | 'fail' | 'unknown' | 'skipped';

/** All verdicts, worst first. */
export const VERDICTS: readonly Verdict[] = ['fail', 'unknown', 'pass', 'skipped'];

// Worst wins when verdicts merge: a single fail fails the requirement, an unknown keeps it undecided.
const RANK: Record<Verdict, number> = { fail: 3, unknown: 2, pass: 1, skipped: 0 };

/** The worse of two verdicts (`fail > unknown > pass > skipped`). */
export function worse(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Merges verdicts; an empty list is `skipped` (nothing ran). */
export function mergeVerdicts(verdicts: Iterable<Verdict>): Verdict {
  let out: Verdict = 'skipped';
  for (const v of verdicts) out = worse(out, v);
  return out;
}
