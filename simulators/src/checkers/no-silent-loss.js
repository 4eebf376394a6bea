import { Violations } from './checker.js';
import { filled } from './scoped-interner.js';
import { historyIndex, STATUS_APPLIED } from './history-index.js';
/** The no-silent-loss checker. */
export const noSilentLoss = {
    name: 'no-silent-loss',
    requirements: ['OFS-SYNC-011', 'OFS-SYNC-014'],
    check(entries) {
        const index = historyIndex(entries);
        if (!index.final)
            return { verdict: 'unknown', message: 'history has no final read-back phase' };
        const n = index.mutations.size;
        const queues = index.kinds['final-queue'];
        // Per mutation: first applied answer, surfaced to the user, final queue still holding it.
        const applied = filled(n, -1);
        const surfaced = filled(n, 0);
        const pendingAt = filled(n, -1);
        const status = index.outcomeStatus;
        for (let i = 0; i < status.length; i++) {
            if (status[i] !== STATUS_APPLIED)
                continue;
            const m = index.outcomeMut[i];
            if (applied[m] === -1)
                applied[m] = i;
        }
        for (const m of index.surfaceMut)
            surfaced[m] = 1;
        for (let q = 0; q < queues.length; q++) {
            for (let j = index.queueStart[q]; j < index.queueStart[q + 1]; j++)
                pendingAt[index.queueMut[j]] = q;
        }
        const v = new Violations();
        const captures = index.captureMut.length;
        for (let i = 0; i < captures; i++) {
            const m = index.captureMut[i];
            const ack = applied[m];
            if (ack !== -1) {
                if (index.logOf[m] === -1) {
                    const c = index.capture(i);
                    const a = index.outcome(ack);
                    v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) was acknowledged applied at v${a.version ?? '?'} but is not in the tenant's server log`, c, a);
                }
                continue;
            }
            if (surfaced[m] === 1)
                continue;
            const c = index.capture(i);
            const q = pendingAt[m];
            if (q !== -1) {
                // The witness names only this mutation of the device's final queue (minimal witness).
                v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) is still queued after the liveness phase`, c, {
                    ...queues[q],
                    pending: [c.cmid],
                });
            }
            else {
                v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) left the queue without being applied or surfaced`, c);
            }
        }
        return v.finding(`${captures} captured mutations all applied or surfaced`);
    },
};
