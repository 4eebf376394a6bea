/**
 * No silent loss (OFS-SYNC-011, OFS-SYNC-014): every mutation a device committed locally ends either
 * applied — acknowledged *and* present in its tenant's server log — or with an outcome surfaced to
 * the user (rejection, conflict, expired record). A mutation still queued after the liveness phase,
 * one that vanished without an outcome, and an acknowledged write missing from the server log are
 * all violations.
 *
 * Client-side rules hold for the simulator's reference client: a mutation counts as captured only
 * once it is in the device's durable store (OFS-SYNC-001; crash faults test that), and every outcome
 * kind is reconciled or surfaced (OFS-SYNC-010). Real clients prove these in their own tests.
 */
import type { FinalQueueEntry } from '../history/history-entry.js';
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { filled } from './scoped-interner.js';
import { type HistorySource, historyIndex, STATUS_APPLIED } from './history-index.js';

/** The no-silent-loss checker. */
export const noSilentLoss: Checker = {
  name: 'no-silent-loss',
  requirements: ['OFS-SYNC-011', 'OFS-SYNC-014', 'OFS-SYNC-001', 'OFS-SYNC-010'],
  check(history: HistorySource): CheckFinding {
    const index = historyIndex(history);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const n = index.mutations.size;
    const queues = index.kinds['final-queue'];
    // Per mutation: first applied answer, surfaced to the user, final queue still holding it.
    const applied = filled(n, -1);
    const surfaced = filled(n, 0);
    const pendingAt = filled(n, -1);
    const status = index.outcomeStatus;
    for (let i = 0; i < status.length; i++) {
      if (status[i] !== STATUS_APPLIED) continue;
      const m = index.outcomeMut[i] as number;
      if (applied[m] === -1) applied[m] = i;
    }
    for (let i = 0; i < index.surfaceMut.length; i++) surfaced[index.surfaceMut[i] as number] = 1;
    for (let q = 0; q < queues.length; q++) {
      for (let j = index.queueStart[q] as number; j < (index.queueStart[q + 1] as number); j++) pendingAt[index.queueMut[j] as number] = q;
    }
    const v = new Violations();
    const captures = index.captureMut.length;
    for (let i = 0; i < captures; i++) {
      const m = index.captureMut[i] as number;
      const ack = applied[m] as number;
      if (ack !== -1) {
        if (index.logOf[m] === -1) {
          const c = index.capture(i);
          const a = index.outcome(ack);
          v.add(
            `mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) was acknowledged applied at v${a.version ?? '?'} but is not in the tenant's server log`,
            c,
            a,
          );
        }
        continue;
      }
      if (surfaced[m] === 1) continue;
      const c = index.capture(i);
      const q = pendingAt[m] as number;
      if (q !== -1) {
        // The witness names only this mutation of the device's final queue (minimal witness).
        v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) is still queued after the liveness phase`, c, {
          ...(queues[q] as FinalQueueEntry),
          pending: [c.cmid],
        });
      } else {
        v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) left the queue without being applied or surfaced`, c);
      }
    }
    return v.finding(`${captures} captured mutations all applied or surfaced`);
  },
};
