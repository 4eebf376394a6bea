import { runChecker } from './checker.js';
import { noSilentLoss } from './no-silent-loss.js';
import { exactlyOnce } from './exactly-once.js';
import { perAggregateOrder } from './per-aggregate-order.js';
import { convergence } from './convergence.js';
import { tenantIsolation } from './tenant-isolation.js';
import { eventPerApplied } from './event-per-applied.js';
import { auditPerPhiConflict } from './audit-per-phi-conflict.js';
/** All checkers, in report order. */
export const ALL_CHECKERS = [
    noSilentLoss,
    exactlyOnce,
    perAggregateOrder,
    convergence,
    tenantIsolation,
    eventPerApplied,
    auditPerPhiConflict,
];
/** Runs every checker; a throwing checker yields `unknown`. */
export function checkHistory(entries, checkers = ALL_CHECKERS) {
    return checkers.map((c) => runChecker(c, entries));
}
/** Overall verdict: fail if any failed, else unknown if any unknown, else pass. */
export function overallVerdict(results) {
    if (results.some((r) => r.verdict === 'fail'))
        return 'fail';
    if (results.some((r) => r.verdict === 'unknown'))
        return 'unknown';
    return 'pass';
}
