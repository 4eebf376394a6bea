/** Every invariant checker, and a helper that runs them all over one history. */
import type { HistorySource } from './history-index.js';
import { type Checker, type CheckResult, runChecker } from './checker.js';
import { noSilentLoss } from './no-silent-loss.js';
import { exactlyOnce } from './exactly-once.js';
import { perAggregateOrder } from './per-aggregate-order.js';
import { blockedBehindConflict } from './blocked-behind-conflict.js';
import { convergence } from './convergence.js';
import { tenantIsolation } from './tenant-isolation.js';
import { eventPerApplied } from './event-per-applied.js';
import { auditPerPhiConflict } from './audit-per-phi-conflict.js';

export type { Checker, CheckResult, Verdict } from './checker.js';

/** All checkers, in report order. */
export const ALL_CHECKERS: readonly Checker[] = [
  noSilentLoss,
  exactlyOnce,
  perAggregateOrder,
  blockedBehindConflict,
  convergence,
  tenantIsolation,
  eventPerApplied,
  auditPerPhiConflict,
];

/**
 * Runs every checker; a throwing checker yields `unknown`. Takes a bare array of entries or a
 * recorded `History` (whose index was built while it was recorded).
 */
export function checkHistory(history: HistorySource, checkers: readonly Checker[] = ALL_CHECKERS): CheckResult[] {
  return checkers.map((c) => runChecker(c, history));
}

/** Overall verdict: fail if any failed, else unknown if any unknown, else pass. */
export function overallVerdict(results: readonly CheckResult[]): 'pass' | 'fail' | 'unknown' {
  if (results.some((r) => r.verdict === 'fail')) return 'fail';
  if (results.some((r) => r.verdict === 'unknown')) return 'unknown';
  return 'pass';
}
