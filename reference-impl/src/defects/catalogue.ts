/**
 * The catalogue of planted defects: one explicit list (no registration by import side effect).
 * Each entry is a realistic bug of an offline-first sync server, declares the requirement IDs it
 * violates, and is planted through a seam listed in its file. `syncproof serve --defect <name>`,
 * `buildApp({ defects })`, `createInProcessCore({ defects })`, `syncproof simulate --defect` and
 * the conformance self-test (`npm run selftest`) all take these names.
 */
import type { Defect } from './defect.js';
import { ackBeforeCommit } from './ack-before-commit.js';
import { auditEventCarriesPhi } from './audit-event-carries-phi.js';
import { authzAtCaptureTime } from './authz-at-capture-time.js';
import { dedupIgnoresTenant } from './dedup-ignores-tenant.js';
import { eventForRejectedMutation } from './event-for-rejected-mutation.js';
import { eventPublishedTwice } from './event-published-twice.js';
import { eventWithoutMsgId } from './event-without-msg-id.js';
import { idempotencyRecordOutsideTx } from './idempotency-record-outside-tx.js';
import { ifMatchIgnored } from './if-match-ignored.js';
import { lostUpdate } from './lost-update.js';
import { manualPolicyAutoMerge } from './manual-policy-auto-merge.js';
import { mergeAppendDropsLateEntry } from './merge-append-drops-late-entry.js';
import { phiResolutionUnaudited } from './phi-resolution-unaudited.js';
import { preconditionFailedButApplied } from './precondition-failed-but-applied.js';
import { pullCrossTenant } from './pull-cross-tenant.js';
import { reapplyDuplicates } from './reapply-duplicates.js';
import { reorderWithinAggregate } from './reorder-within-aggregate.js';
import { replayDifferentBody } from './replay-different-body.js';
import { sequenceGapsAccepted } from './sequence-gaps-accepted.js';
import { skipFingerprintCheck } from './skip-fingerprint-check.js';
import { tamperedEnvelopeAccepted } from './tampered-envelope-accepted.js';

export type { Defect } from './defect.js';

/** Every planted defect, grouped by requirement family. */
export const DEFECTS: readonly Defect[] = [
  // idempotency
  dedupIgnoresTenant,
  reapplyDuplicates,
  skipFingerprintCheck,
  replayDifferentBody,
  idempotencyRecordOutsideTx,
  ackBeforeCommit,
  // ordering
  reorderWithinAggregate,
  sequenceGapsAccepted,
  // conflicts
  lostUpdate,
  ifMatchIgnored,
  preconditionFailedButApplied,
  mergeAppendDropsLateEntry,
  manualPolicyAutoMerge,
  // tenancy and authorization
  pullCrossTenant,
  authzAtCaptureTime,
  // events
  eventWithoutMsgId,
  eventPublishedTwice,
  eventForRejectedMutation,
  // audit
  phiResolutionUnaudited,
  auditEventCarriesPhi,
  tamperedEnvelopeAccepted,
];

/** The names, in catalogue order. */
export const DEFECT_NAMES: readonly string[] = DEFECTS.map((d) => d.name);

/** An unknown defect name (a typo must not silently test nothing). */
export class UnknownDefectError extends TypeError {
  override name = 'UnknownDefectError';
  constructor(readonly defect: string) {
    super(`unknown planted defect '${defect}' (known: ${DEFECT_NAMES.join(', ')})`);
  }
}

/** The entry named `name`; throws {@link UnknownDefectError}. */
export function findDefect(name: string): Defect {
  const d = DEFECTS.find((x) => x.name === name);
  if (!d) throw new UnknownDefectError(name);
  return d;
}

/**
 * Validates defect names (a name, a list, or nothing) and returns them as a set in catalogue
 * order. Throws {@link UnknownDefectError} naming the valid ones.
 */
export function defectNames(names: Iterable<string> | string | undefined): ReadonlySet<string> {
  if (names === undefined) return new Set();
  const list = typeof names === 'string' ? [names] : [...names];
  for (const n of list) findDefect(n);
  return new Set(DEFECT_NAMES.filter((n) => list.includes(n)));
}
