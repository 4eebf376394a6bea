/**
 * Helpers shared by the clinic aggregate definitions.
 */
import type { AggregateRow, JsonObject } from '../../ports/records.js';
import type { Decision, FieldError } from '../module.js';
import { problem } from '../problems.js';
import type { Problem } from '../types.js';
import { validationFailed } from '../problems.js';

/** Shallow merge of `patch` over `state` (the update semantics of sync `update` and REST PATCH). */
export function mergeState(state: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...state };
  for (const key in patch) {
    const v = patch[key];
    // JSON merge patch (RFC 7396): null removes the member.
    if (v === null) delete out[key];
    else if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A reject decision. */
export function reject(p: Problem): Decision {
  return { kind: 'reject', problem: p };
}

/** A validation-failed reject decision with pointers relative to the payload. */
export function invalid(errors: readonly FieldError[], base = '/payload'): Decision {
  return reject(validationFailed(errors.map((e) => ({ pointer: base + e.pointer, detail: e.detail }))));
}

/** Rejection for an update of an aggregate that does not exist. */
export function missing(type: string, id: string): Decision {
  return reject(problem('not-found', `${type} ${id} does not exist`));
}

/** A conflict against the row itself (stale write). */
export function staleConflict(current: AggregateRow): Decision {
  return { kind: 'conflict', serverVersion: current.version, serverState: current.state };
}

const NO_ERRORS: readonly FieldError[] = Object.freeze([]);

/** An update payload must change at least one field. */
export function emptyPatch(payload: JsonObject): readonly FieldError[] {
  for (const _ in payload) return NO_ERRORS;
  return [{ pointer: '', detail: 'an update must carry at least one field' }];
}
