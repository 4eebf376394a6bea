/**
 * `patient` (clinic TR §2): manual, PHI. State {mrn, givenName, familyName, birthDate}. The server
 * is the authority for MRN uniqueness in the tenant (OFS-STORE-002). A manual conflict opens when
 *  1. a create, or an update of `mrn`, names an MRN held by another patient of the tenant;
 *  2. a create, or an update of a name or the birth date, makes the patient a probable duplicate
 *     (given and family name equal trimmed and case-insensitively, equal birth date);
 *  3. an update is stale, or a create names an existing id.
 * For 1 and 2 `serverVersion` is the addressed aggregate's version (0 if new) and `serverState` is
 * `{candidateId, matchedOn, candidate}`; for 3 the current state. Never merged automatically.
 */
import type { AggregateRow, JsonObject } from '../../ports/records.js';
import type { StoreTx } from '../../ports/store.js';
import type { AggregateDefinition, Decision, FieldError, ResolveDecision } from '../module.js';
import { problem } from '../problems.js';
import { requireRole, WRITER_ROLES } from '../roles.js';
import type { MutationOp } from '../types.js';
import { isDate, unknownKeys } from '../validate.js';
import { emptyPatch, invalid, mergeState, missing, reject, staleConflict } from './common.js';

const KEYS: ReadonlySet<string> = new Set(['mrn', 'givenName', 'familyName', 'birthDate']);
const MRN = /^[A-Za-z0-9-]{1,32}$/;
/** Index names. */
export const MRN_INDEX = 'patient.mrn';
export const IDENTITY_INDEX = 'patient.identity';
const MATCHED_ON_MRN = ['mrn'];
const MATCHED_ON_IDENTITY = ['givenName', 'familyName', 'birthDate'];

function isName(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= 200;
}

function validateFields(p: JsonObject, full: boolean): FieldError[] {
  const errors = unknownKeys(p, KEYS);
  if ((full || p.mrn !== undefined) && !(typeof p.mrn === 'string' && MRN.test(p.mrn))) {
    errors.push({ pointer: '/mrn', detail: 'must be 1..32 characters of A-Z, a-z, 0-9 and -' });
  }
  if ((full || p.givenName !== undefined) && !isName(p.givenName)) errors.push({ pointer: '/givenName', detail: 'must be a string of 1..200 characters' });
  if ((full || p.familyName !== undefined) && !isName(p.familyName)) errors.push({ pointer: '/familyName', detail: 'must be a string of 1..200 characters' });
  if ((full || p.birthDate !== undefined) && !isDate(p.birthDate)) errors.push({ pointer: '/birthDate', detail: 'must be a date YYYY-MM-DD' });
  return errors;
}

function stateOf(p: JsonObject): JsonObject {
  return { mrn: p.mrn as string, givenName: p.givenName as string, familyName: p.familyName as string, birthDate: p.birthDate as string };
}

/** Probable-duplicate key: given + family name (trimmed, case-folded) + birth date. */
export function identityKey(given: string, family: string, birthDate: string): string {
  return `${given.trim().toLowerCase()}\u001f${family.trim().toLowerCase()}\u001f${birthDate}`;
}

function indexOf(s: JsonObject): Record<string, string> | undefined {
  if (typeof s.mrn !== 'string' || typeof s.givenName !== 'string' || typeof s.familyName !== 'string' || typeof s.birthDate !== 'string') {
    return undefined;
  }
  return { [MRN_INDEX]: s.mrn, [IDENTITY_INDEX]: identityKey(s.givenName, s.familyName, s.birthDate) };
}

/** The first other patient holding the state's MRN (and, unless skipped, its identity). */
function findMatch(
  tx: StoreTx,
  tenantId: string,
  selfId: string,
  state: JsonObject,
  checkMrn: boolean,
  checkIdentity: boolean,
): { row: AggregateRow; matchedOn: string[] } | undefined {
  const idx = indexOf(state);
  if (!idx) return undefined;
  if (checkMrn) {
    const id = tx.lookupIndex(tenantId, MRN_INDEX, idx[MRN_INDEX] as string).find((x) => x !== selfId);
    const row = id === undefined ? undefined : tx.getAggregate(tenantId, 'patient', id);
    if (row) return { row, matchedOn: MATCHED_ON_MRN };
  }
  if (checkIdentity) {
    const id = tx.lookupIndex(tenantId, IDENTITY_INDEX, idx[IDENTITY_INDEX] as string).find((x) => x !== selfId);
    const row = id === undefined ? undefined : tx.getAggregate(tenantId, 'patient', id);
    if (row) return { row, matchedOn: MATCHED_ON_IDENTITY };
  }
  return undefined;
}

function matchConflict(current: AggregateRow | undefined, match: { row: AggregateRow; matchedOn: string[] }): Decision {
  return {
    kind: 'conflict',
    serverVersion: current ? current.version : 0,
    serverState: { candidateId: match.row.id, matchedOn: [...match.matchedOn], candidate: match.row.state },
    matched: { type: 'patient', id: match.row.id },
  };
}

function futureBirth(state: JsonObject, nowIso: string): FieldError[] {
  return typeof state.birthDate === 'string' && state.birthDate > nowIso.slice(0, 10)
    ? [{ pointer: '/birthDate', detail: 'must not be in the future' }]
    : [];
}

function lookupsOf(p: JsonObject): { index: string; value: string }[] {
  const out: { index: string; value: string }[] = [];
  if (typeof p.mrn === 'string') out.push({ index: MRN_INDEX, value: p.mrn });
  if (typeof p.givenName === 'string' && typeof p.familyName === 'string' && typeof p.birthDate === 'string') {
    out.push({ index: IDENTITY_INDEX, value: identityKey(p.givenName, p.familyName, p.birthDate) });
  }
  return out;
}

/** The patient aggregate definition. */
export const patientAggregate: AggregateDefinition = {
  type: 'patient',
  collection: 'patients',
  policy: 'manual',
  phi: true,
  ops: ['create', 'update'],
  validate(op: MutationOp, payload: JsonObject) {
    if (op === 'create') return validateFields(payload, true);
    const empty = emptyPatch(payload);
    return empty.length > 0 ? [...empty, ...validateFields(payload, false)] : validateFields(payload, false);
  },
  validateState: (s) => validateFields(s, true),
  authorize: (ctx) => requireRole(ctx, WRITER_ROLES, 'writing a patient'),
  // A partial update's full next state is known only inside the transaction; an async store
  // fetches further index lookups on demand (see stores/postgres/overlay-tx.ts).
  lookups: (_op, payload) => lookupsOf(payload),
  decide({ ctx, mutation, current, tx, nowIso }): Decision {
    if (mutation.op === 'create') {
      if (current) return staleConflict(current);
      const state = stateOf(mutation.payload);
      const future = futureBirth(state, nowIso);
      if (future.length > 0) return invalid(future);
      const match = findMatch(tx, ctx.tenantId, mutation.aggregate.id, state, true, true);
      if (match) return matchConflict(current, match);
      return { kind: 'apply', state, index: indexOf(state) as Record<string, string> };
    }
    if (!current) return missing('patient', mutation.aggregate.id);
    if (mutation.baseVersion !== current.version) return staleConflict(current);
    const next = mergeState(current.state, mutation.payload);
    const errors = [...validateFields(next, true), ...futureBirth(next, nowIso)];
    if (errors.length > 0) return invalid(errors);
    const state = stateOf(next);
    const p = mutation.payload;
    const match = findMatch(
      tx,
      ctx.tenantId,
      mutation.aggregate.id,
      state,
      p.mrn !== undefined && p.mrn !== current.state.mrn,
      (p.givenName !== undefined || p.familyName !== undefined || p.birthDate !== undefined) &&
        indexOf(state)?.[IDENTITY_INDEX] !== indexOf(current.state)?.[IDENTITY_INDEX],
    );
    if (match) return matchConflict(current, match);
    return { kind: 'apply', state, index: indexOf(state) as Record<string, string> };
  },
  resolve({ resolution, mergedState, op, proposed, current, tx, ctx, aggregateId, nowIso }): ResolveDecision {
    if (resolution === 'keep-server') return { kind: 'keep' };
    const next = resolution === 'merged' ? (mergedState as JsonObject) : op === 'update' && current ? mergeState(current.state, proposed) : proposed;
    const errors = [...validateFields(next, true), ...futureBirth(next, nowIso)];
    if (errors.length > 0) return invalid(errors, resolution === 'merged' ? '/state' : '/proposed');
    const state = stateOf(next);
    // A human decided it is not a duplicate, but the MRN stays unique (server authority).
    if (findMatch(tx, ctx.tenantId, aggregateId, state, true, false)) {
      return reject(problem('business-rule-violation', 'the MRN is held by another patient of this tenant', { status: 422 }));
    }
    return { kind: 'apply', state, index: indexOf(state) as Record<string, string> };
  },
  eventType: (op) => (op === 'create' ? 'created' : 'updated'),
  patientRef: (id) => `Patient/${id}`,
  indexOf,
};
