/**
 * `encounter` (clinic TR §3): reject-stale, PHI. State {patientId, status, reason?}. A stale
 * update, or a create on an existing id, conflicts and never overwrites (no lost update). Status
 * moves forward only (planned → in-progress → finished); patientId is fixed at create.
 */
import type { JsonObject } from '../../ports/records.js';
import { isUuid } from '../ids.js';
import type { AggregateDefinition, Decision, FieldError, ResolveDecision } from '../module.js';
import { problem } from '../problems.js';
import { requireRole, WRITER_ROLES } from '../roles.js';
import type { MutationOp } from '../types.js';
import { unknownKeys } from '../validate.js';
import { emptyPatch, invalid, mergeState, missing, reject, staleConflict } from './common.js';

const CREATE_KEYS: ReadonlySet<string> = new Set(['patientId', 'status', 'reason']);
const UPDATE_KEYS: ReadonlySet<string> = new Set(['patientId', 'status', 'reason']);
const RANK: Readonly<Record<string, number>> = { planned: 0, 'in-progress': 1, finished: 2 };

function validateFields(p: JsonObject, full: boolean, keys: ReadonlySet<string>): FieldError[] {
  const errors = unknownKeys(p, keys);
  if ((full || p.patientId !== undefined) && !isUuid(p.patientId)) errors.push({ pointer: '/patientId', detail: 'must be a UUID' });
  if ((full || p.status !== undefined) && !(typeof p.status === 'string' && Object.hasOwn(RANK, p.status))) {
    errors.push({ pointer: '/status', detail: 'must be planned, in-progress or finished' });
  }
  if (p.reason !== undefined && !(typeof p.reason === 'string' && p.reason.length <= 1000)) {
    errors.push({ pointer: '/reason', detail: 'must be a string of at most 1000 characters' });
  }
  return errors;
}

function stateOf(p: JsonObject): JsonObject {
  const s: JsonObject = { patientId: p.patientId as string, status: p.status as string };
  if (typeof p.reason === 'string') s.reason = p.reason;
  return s;
}

/** Business rules of a change from `before` to `after` (forward-only status, fixed patient). */
function transitionProblem(before: JsonObject, after: JsonObject): Decision | undefined {
  if (after.patientId !== before.patientId) {
    return reject(problem('business-rule-violation', 'an encounter keeps the patientId it was created with', { errors: [{ pointer: '/payload/patientId', detail: 'fixed at create' }] }));
  }
  if ((RANK[after.status as string] ?? 0) < (RANK[before.status as string] ?? 0)) {
    return reject(
      problem('business-rule-violation', `status cannot go back from ${before.status as string} to ${after.status as string}`, {
        errors: [{ pointer: '/payload/status', detail: 'forward only: planned → in-progress → finished' }],
      }),
    );
  }
  return undefined;
}

/** The encounter aggregate definition. */
export const encounterAggregate: AggregateDefinition = {
  type: 'encounter',
  collection: 'encounters',
  policy: 'reject-stale',
  phi: true,
  ops: ['create', 'update'],
  validate(op: MutationOp, payload: JsonObject): readonly FieldError[] {
    if (op === 'create') return validateFields(payload, true, CREATE_KEYS);
    const empty = emptyPatch(payload);
    return empty.length > 0 ? [...empty, ...validateFields(payload, false, UPDATE_KEYS)] : validateFields(payload, false, UPDATE_KEYS);
  },
  validateState: (state) => validateFields(state, true, CREATE_KEYS),
  authorize: (ctx) => requireRole(ctx, WRITER_ROLES, 'writing an encounter'),
  lookups: () => [],
  decide({ mutation, current, defects }): Decision {
    const lostUpdate = defects?.has('lost-update') === true;
    if (mutation.op === 'create') {
      if (current && !lostUpdate) return staleConflict(current);
      return { kind: 'apply', state: stateOf(mutation.payload) };
    }
    if (!current) return missing('encounter', mutation.aggregate.id);
    if (mutation.baseVersion !== current.version && !lostUpdate) return staleConflict(current);
    if (mutation.payload.patientId !== undefined) {
      return reject(problem('business-rule-violation', 'an encounter keeps the patientId it was created with', { errors: [{ pointer: '/payload/patientId', detail: 'fixed at create' }] }));
    }
    const next = stateOf(mergeState(current.state, mutation.payload));
    return transitionProblem(current.state, next) ?? { kind: 'apply', state: next };
  },
  resolve({ resolution, mergedState, op, proposed, current }): ResolveDecision {
    if (resolution === 'keep-server') return { kind: 'keep' };
    const next = resolution === 'merged' ? (mergedState as JsonObject) : op === 'update' && current ? mergeState(current.state, proposed) : proposed;
    const errors = validateFields(next, true, CREATE_KEYS);
    if (errors.length > 0) return invalid(errors, resolution === 'merged' ? '/state' : '/proposed');
    const state = stateOf(next);
    if (current) {
      const broken = transitionProblem(current.state, state);
      if (broken) return broken;
    }
    return { kind: 'apply', state };
  },
  eventType: (op) => (op === 'create' ? 'created' : 'updated'),
  patientRef: (_id, state, proposed) => {
    const pid = state?.patientId ?? proposed?.patientId;
    return typeof pid === 'string' ? `Patient/${pid}` : undefined;
  },
  indexOf: () => undefined,
};
