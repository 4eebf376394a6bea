/** Runs a checker; a thrown error becomes `unknown` with the error's message. */
export function runChecker(checker, entries) {
    try {
        const f = checker.check(entries);
        return {
            checker: checker.name,
            verdict: f.verdict,
            witness: f.verdict === 'fail' ? (f.witness ?? []) : [],
            requirements: [...checker.requirements],
            message: f.message,
            violations: f.verdict === 'fail' ? Math.max(1, f.violations ?? 1) : 0,
        };
    }
    catch (err) {
        return {
            checker: checker.name,
            verdict: 'unknown',
            witness: [],
            requirements: [...checker.requirements],
            message: `checker threw: ${err instanceof Error ? err.message : String(err)}`,
            violations: 0,
        };
    }
}
/** Collects violations: keeps the first witness, counts the rest. */
export class Violations {
    count = 0;
    witness = [];
    message = '';
    /** Records one violation; only the first one's witness and message are kept. */
    add(message, ...witness) {
        if (this.count === 0) {
            this.message = message;
            this.witness = witness.filter((w) => w !== undefined);
        }
        this.count++;
    }
    /** The finding: fail with the first witness, or pass with `passMessage`. */
    finding(passMessage) {
        if (this.count === 0)
            return { verdict: 'pass', message: passMessage };
        const more = this.count > 1 ? ` (+${this.count - 1} more)` : '';
        return { verdict: 'fail', witness: this.witness, message: this.message + more, violations: this.count };
    }
}
/** Key of a mutation inside its tenant. */
export function mutationKey(tenant, cmid) {
    return tenant + '\u0000' + cmid;
}
/** Whether the history reached its final read-back (needed by checkers that look at end states). */
export function hasFinalPhase(entries) {
    for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i];
        if (e.k === 'phase' && e.phase === 'final')
            return true;
    }
    return false;
}
/** Outcome statuses that are decisions (recorded, replayed) rather than transient answers. */
export const DECIDED_STATUSES = new Set(['applied', 'rejected', 'conflict']);
/**
 * Whether an outcome is a recorded decision: applied, conflict, or a rejection that is recorded
 * (TR §4.3: out-of-order is not recorded). Plain comparisons: this runs once per answer.
 */
export function isDecided(o) {
    const s = o.status;
    if (s === 'applied' || s === 'conflict')
        return true;
    return s === 'rejected' && o.problem !== 'out-of-order';
}
