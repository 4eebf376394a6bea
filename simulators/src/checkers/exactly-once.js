import { Violations } from './checker.js';
import { filled } from './scoped-interner.js';
import { historyIndex, STATUS_APPLIED, STATUS_CONFLICT } from './history-index.js';
/** Same number, or both absent (NaN in the column). */
function sameVersion(a, b) {
    return a === b || (a !== a && b !== b);
}
/** The exactly-once checker. */
export const exactlyOnce = {
    name: 'exactly-once',
    requirements: ['OFS-IDEM-013', 'OFS-IDEM-002'],
    check(entries) {
        const index = historyIndex(entries);
        if (!index.final)
            return { verdict: 'unknown', message: 'history has no final read-back phase' };
        const v = new Violations();
        for (const [first, e] of index.extraLogs) {
            v.add(`mutation ${e.cmid} (tenant ${e.tenant}) took effect twice: ${first.agg} v${first.version} and ${e.agg} v${e.version}`, first, e);
        }
        const { outcomeDecided: decided, outcomeStatus: status, outcomeVersion: version, logVersion } = index;
        const firstDecided = filled(index.mutations.size, -1);
        let outcomes = 0;
        for (let i = 0; i < decided.length; i++) {
            if (decided[i] !== 1)
                continue;
            outcomes++;
            const m = index.outcomeMut[i];
            const f = firstDecided[m];
            if (f === -1) {
                firstDecided[m] = i;
                const l = index.logOf[m];
                if (l === -1)
                    continue;
                if (status[i] === STATUS_APPLIED) {
                    if (logVersion[l] !== version[i]) {
                        const e = index.outcome(i);
                        const change = index.log(l);
                        v.add(`mutation ${e.cmid} answered applied at v${e.version} but the log has it at v${change.version}`, e, change);
                    }
                }
                else {
                    const e = index.outcome(i);
                    const change = index.log(l);
                    v.add(`mutation ${e.cmid} answered ${e.status} but the log shows it applied at v${change.version}`, e, change);
                }
                continue;
            }
            if (status[f] !== status[i]) {
                const first = index.outcome(f);
                const e = index.outcome(i);
                v.add(`mutation ${e.cmid} (tenant ${e.tenant}) answered ${first.status} then ${e.status}`, first, e);
            }
            else if (status[i] === STATUS_APPLIED) {
                if (sameVersion(version[f], version[i]) && index.outcome(f).eventId === index.outcome(i).eventId)
                    continue;
                const first = index.outcome(f);
                const e = index.outcome(i);
                v.add(`mutation ${e.cmid} answered applied twice with different results (v${first.version} vs v${e.version})`, first, e);
            }
            else if (status[i] === STATUS_CONFLICT) {
                const first = index.outcome(f);
                const e = index.outcome(i);
                if (first.conflictId !== e.conflictId)
                    v.add(`mutation ${e.cmid} answered conflict twice with different conflicts`, first, e);
            }
        }
        return v.finding(`${index.loggedMutations} logged changes and ${outcomes} decided answers are consistent with one effect each`);
    },
};
