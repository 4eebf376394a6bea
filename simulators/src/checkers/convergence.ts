/**
 * Convergence (OFS-SYNC-013): after the liveness phase every device's outbound queue is empty and
 * its replica equals its tenant's server state — same aggregates at the same versions (compared by
 * an order-independent digest computed from the server's final versions in the history).
 */
import type { FinalReplicaEntry } from '../history/history-entry.js';
import { ReplicaDigest } from '../history/replica-digest.js';
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { type HistorySource, historyIndex } from './history-index.js';

/** The convergence checker. */
export const convergence: Checker = {
  name: 'convergence',
  requirements: ['OFS-SYNC-013'],
  check(history: HistorySource): CheckFinding {
    const index = historyIndex(history);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    const server = new Map<string, ReplicaDigest>();
    const { finalAggTenant, finalAggAgg, finalAggVersion } = index;
    for (let i = 0; i < finalAggAgg.length; i++) {
      const tenant = finalAggTenant[i] as string;
      let d = server.get(tenant);
      if (d === undefined) server.set(tenant, (d = new ReplicaDigest()));
      d.add(finalAggAgg[i] as string, finalAggVersion[i] as number);
    }
    for (const e of index.kinds['final-queue']) {
      if (e.pending.length > 0) {
        v.add(`device ${e.dev} still has ${e.pending.length} queued mutations after the liveness phase`, { ...e, pending: e.pending.slice(0, 3) });
      }
    }
    const replicas: readonly FinalReplicaEntry[] = index.kinds['final-replica'];
    if (replicas.length === 0) return { verdict: 'unknown', message: 'history records no final replica' };
    for (const r of replicas) {
      const d = server.get(r.tenant) ?? new ReplicaDigest();
      const digest = d.toString();
      if (r.n !== d.n || r.digest !== digest) {
        v.add(
          `device ${r.dev} replica (${r.n} aggregates, digest ${r.digest}) differs from tenant ${r.tenant} server state (${d.n} aggregates, digest ${digest})`,
          r,
        );
      }
    }
    return v.finding(`${replicas.length} replicas equal their tenant's server state`);
  },
};
