/**
 * Blocked behind an open conflict (OFS-SYNC-008): once a device's mutation of an aggregate ended in
 * a conflict, the device's later mutations of that aggregate wait until the conflict is resolved.
 *
 * What the history proves: the server decides a device's mutations in clientSeq order, so the
 * conflict of an earlier mutation was open before a later one was decided; it stays open at least
 * until the first resolution request for it is sent (`resolve-call`). A later mutation whose
 * `applied` answer reached the device before that moment was therefore applied behind an open
 * conflict. A resolution in flight when the answer came is given the benefit of the doubt (no
 * false alarms; a reordering that close to a resolution may go unreported).
 *
 * Per-aggregate version order cannot see this when the conflict is resolved `keep-server`: the
 * earlier mutation never takes effect, so no pair of versions is out of order.
 */
import { type Checker, type CheckFinding, Violations } from './checker.js';
import { filled } from './scoped-interner.js';
import { type HistorySource, historyIndex, STATUS_APPLIED, STATUS_CONFLICT } from './history-index.js';

/** The blocked-behind-conflict checker. */
export const blockedBehindConflict: Checker = {
  name: 'blocked-behind-conflict',
  requirements: ['OFS-SYNC-008'],
  check(history: HistorySource): CheckFinding {
    const index = historyIndex(history);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    // conflict id → its first resolution request (history order is time order).
    const calls = index.kinds['resolve-call'];
    const firstCall = new Map<string, number>();
    for (let i = 0; i < calls.length; i++) {
      const id = (calls[i] as (typeof calls)[number]).conflictId;
      if (!firstCall.has(id)) firstCall.set(id, i);
    }
    // mutation → its first conflict answer and its first applied answer.
    const { outcomeMut, outcomeStatus, outcomeConflictId, outcomeT, captureMut, captureDevAgg } = index;
    const conflictAnswer = filled(index.mutations.size, -1);
    const appliedAnswer = filled(index.mutations.size, -1);
    for (let o = 0; o < outcomeMut.length; o++) {
      const m = outcomeMut[o] as number;
      if (m < 0) continue;
      const s = outcomeStatus[o];
      if (s === STATUS_CONFLICT && conflictAnswer[m] === -1 && outcomeConflictId[o] !== undefined) conflictAnswer[m] = o;
      else if (s === STATUS_APPLIED && appliedAnswer[m] === -1) appliedAnswer[m] = o;
    }
    // (device, aggregate) → until when an earlier conflict of the pair was certainly open, and the
    // capture whose conflict that was.
    const openUntil = new Float64Array(index.devAggCount).fill(Number.NEGATIVE_INFINITY);
    const blocker = filled(index.devAggCount, -1);
    let behind = 0;
    for (let i = 0; i < captureMut.length; i++) {
      const key = captureDevAgg[i] as number;
      const m = captureMut[i] as number;
      const b = blocker[key] as number;
      const applied = appliedAnswer[m] as number;
      if (b !== -1 && applied !== -1) {
        behind++;
        if ((outcomeT[applied] as number) < (openUntil[key] as number)) {
          const first = index.capture(b);
          const conflict = index.outcome(conflictAnswer[captureMut[b] as number] as number);
          const later = index.capture(i);
          const answer = index.outcome(applied);
          const call = firstCall.get(conflict.conflictId as string);
          v.add(
            `${later.agg}: ${later.dev}'s ${later.cmid} was applied (answered at t=${answer.t}) while its earlier ${first.cmid} waited in conflict ` +
              `${conflict.conflictId}, ${call === undefined ? 'never resolved' : `not resolved before t=${(calls[call] as (typeof calls)[number]).t}`}`,
            first,
            conflict,
            later,
            answer,
          );
        }
      }
      const c = conflictAnswer[m] as number;
      if (c !== -1) {
        const call = firstCall.get(outcomeConflictId[c] as string);
        const until = call === undefined ? Number.POSITIVE_INFINITY : (calls[call] as (typeof calls)[number]).t;
        if (until > (openUntil[key] as number)) {
          openUntil[key] = until;
          blocker[key] = i;
        }
      }
    }
    return v.finding(`${behind} applied mutations captured after a conflict on their aggregate; none applied while it was open`);
  },
};
