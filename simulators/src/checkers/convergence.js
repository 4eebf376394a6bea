import { ReplicaDigest } from '../history/replica-digest.js';
import { Violations } from './checker.js';
import { historyIndex } from './history-index.js';
/** The convergence checker. */
export const convergence = {
    name: 'convergence',
    requirements: ['OFS-SYNC-013'],
    check(entries) {
        const index = historyIndex(entries);
        if (!index.final)
            return { verdict: 'unknown', message: 'history has no final read-back phase' };
        const v = new Violations();
        const server = new Map();
        for (const e of index.kinds['final-agg']) {
            let d = server.get(e.tenant);
            if (d === undefined)
                server.set(e.tenant, (d = new ReplicaDigest()));
            d.add(e.agg, e.version);
        }
        for (const e of index.kinds['final-queue']) {
            if (e.pending.length > 0) {
                v.add(`device ${e.dev} still has ${e.pending.length} queued mutations after the liveness phase`, { ...e, pending: e.pending.slice(0, 3) });
            }
        }
        const replicas = index.kinds['final-replica'];
        if (replicas.length === 0)
            return { verdict: 'unknown', message: 'history records no final replica' };
        for (const r of replicas) {
            const d = server.get(r.tenant) ?? new ReplicaDigest();
            const digest = d.toString();
            if (r.n !== d.n || r.digest !== digest) {
                v.add(`device ${r.dev} replica (${r.n} aggregates, digest ${r.digest}) differs from tenant ${r.tenant} server state (${d.n} aggregates, digest ${digest})`, r);
            }
        }
        return v.finding(`${replicas.length} replicas equal their tenant's server state`);
    },
};
