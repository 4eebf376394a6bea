/**
 * Per-aggregate order (OFS-SYNC-002, OFS-SYNC-003): a device's mutations of one aggregate take
 * effect in capture order — if a was captured before b on the same aggregate and both applied,
 * a's version is lower — every push lists its mutations in strictly increasing clientSeq, and a
 * device numbers its captures 1, 2, 3, … without gaps.
 */
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { filled } from './scoped-interner.js';
import { type HistorySource, historyIndex } from './history-index.js';

/** The per-aggregate order checker. */
export const perAggregateOrder: Checker = {
  name: 'per-aggregate-order',
  requirements: ['OFS-SYNC-002', 'OFS-SYNC-003'],
  check(history: HistorySource): CheckFinding {
    const index = historyIndex(history);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    const { captureDev, captureSeq, captureOf, captureMut, logOf, logVersion } = index;
    const lastOfDevice = filled(index.devices.size, -1); // device → last capture
    for (let i = 0; i < captureSeq.length; i++) {
      const d = captureDev[i] as number;
      const p = lastOfDevice[d] as number;
      const expected = p === -1 ? 1 : (captureSeq[p] as number) + 1;
      if (captureSeq[i] !== expected) {
        const e = index.capture(i);
        v.add(`device ${e.dev} numbered a capture ${e.seq}, expected ${expected}`, p === -1 ? undefined : index.capture(p), e);
      }
      lastOfDevice[d] = i;
    }
    const { pushStart, pushMut, pushDev } = index;
    for (let i = 0; i < pushDev.length; i++) {
      let prevSeq = 0;
      let prev = -1;
      const dev = pushDev[i] as number;
      for (let j = pushStart[i] as number; j < (pushStart[i + 1] as number); j++) {
        const c = captureOf[pushMut[j] as number] as number;
        if (c === -1 || captureDev[c] !== dev) continue; // foreign mutation: the tenant-isolation checker reports it
        const seq = captureSeq[c] as number;
        if (seq <= prevSeq) {
          const e = index.push(i);
          v.add(`push ${e.req} of ${e.dev} lists clientSeq ${seq} after ${prevSeq}`, prev === -1 ? undefined : index.capture(prev), index.capture(c), e);
        }
        prevSeq = seq;
        prev = c;
      }
    }
    // (device, aggregate) → last applied capture of that device on that aggregate.
    const last = filled(index.devAggCount, -1);
    const devAgg = index.captureDevAgg;
    let pairs = 0;
    for (let i = 0; i < devAgg.length; i++) {
      const l = logOf[captureMut[i] as number] as number;
      if (l === -1) continue;
      const key = devAgg[i] as number;
      const p = last[key] as number;
      if (p !== -1) {
        pairs++;
        const pl = logOf[captureMut[p] as number] as number;
        if ((logVersion[l] as number) <= (logVersion[pl] as number)) {
          const prev = index.capture(p);
          const e = index.capture(i);
          const prevChange = index.log(pl);
          const change = index.log(l);
          v.add(
            `${e.agg}: ${e.dev} captured ${prev.cmid} before ${e.cmid} but they applied at v${prevChange.version} and v${change.version}`,
            prev,
            e,
            prevChange,
            change,
          );
        }
      }
      last[key] = i;
    }
    return v.finding(`${pairs} same-device same-aggregate pairs applied in capture order`);
  },
};
