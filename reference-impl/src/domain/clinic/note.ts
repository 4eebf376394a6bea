/**
 * `note` (TR §6.3): merge-append, PHI. create {patientId, title}; append {text, authoredAt}.
 * Appends never conflict: each becomes an entry (entryId = clientMutationId) merged into the
 * entry set sorted by (authoredAt, entryId), so concurrent appends are all kept whatever order
 * they arrive in.
 */
import type { JsonObject } from '../../ports/records.js';
import { isUuid } from '../ids.js';
import { mergeEntry, type NoteEntry } from '../merge-append.js';
import type { AggregateDefinition, Decision, FieldError, ResolveDecision } from '../module.js';
import { problem } from '../problems.js';
import { requireRole, WRITER_ROLES } from '../roles.js';
import type { MutationOp } from '../types.js';
import { isDateTime, isText, unknownKeys } from '../validate.js';
import { invalid, missing, reject } from './common.js';

const CREATE_KEYS: ReadonlySet<string> = new Set(['patientId', 'title']);
const APPEND_KEYS: ReadonlySet<string> = new Set(['text', 'authoredAt']);
const STATE_KEYS: ReadonlySet<string> = new Set(['patientId', 'title', 'entries']);
const ENTRY_KEYS: ReadonlySet<string> = new Set(['entryId', 'text', 'authoredAt', 'actorId']);
const EMPTY: readonly NoteEntry[] = Object.freeze([]) as readonly NoteEntry[];

function validateCreate(p: JsonObject): FieldError[] {
  const errors = unknownKeys(p, CREATE_KEYS);
  if (!isUuid(p.patientId)) errors.push({ pointer: '/patientId', detail: 'must be a UUID' });
  if (!isText(p.title, 200)) errors.push({ pointer: '/title', detail: 'must be a non-empty string of at most 200 characters' });
  return errors;
}

function validateAppend(p: JsonObject): FieldError[] {
  const errors = unknownKeys(p, APPEND_KEYS);
  if (!isText(p.text, 16384)) errors.push({ pointer: '/text', detail: 'must be a string of 1..16384 characters' });
  if (!isDateTime(p.authoredAt)) errors.push({ pointer: '/authoredAt', detail: 'must be an RFC 3339 date-time' });
  return errors;
}

function validateState(s: JsonObject): FieldError[] {
  const errors = unknownKeys(s, STATE_KEYS);
  if (!isUuid(s.patientId)) errors.push({ pointer: '/patientId', detail: 'must be a UUID' });
  if (!isText(s.title, 200)) errors.push({ pointer: '/title', detail: 'must be a non-empty string of at most 200 characters' });
  if (!Array.isArray(s.entries)) errors.push({ pointer: '/entries', detail: 'must be an array' });
  else {
    s.entries.forEach((e, i) => {
      if (typeof e !== 'object' || e === null || Array.isArray(e)) {
        errors.push({ pointer: `/entries/${i}`, detail: 'must be an object' });
        return;
      }
      errors.push(...unknownKeys(e, ENTRY_KEYS, `/entries/${i}`));
      if (typeof e.entryId !== 'string' || !isText(e.text, 16384) || !isDateTime(e.authoredAt) || typeof e.actorId !== 'string') {
        errors.push({ pointer: `/entries/${i}`, detail: 'needs entryId, text, authoredAt (date-time) and actorId' });
      }
    });
  }
  return errors;
}

/** Normalises a merged state: entries deduplicated by entryId and sorted. */
function normaliseState(s: JsonObject): JsonObject {
  let entries = EMPTY;
  for (const e of s.entries as NoteEntry[]) {
    entries = mergeEntry(entries, { entryId: e.entryId, text: e.text, authoredAt: e.authoredAt, actorId: e.actorId });
  }
  return { patientId: s.patientId as string, title: s.title as string, entries: entries as NoteEntry[] };
}

/** The note aggregate definition. */
export const noteAggregate: AggregateDefinition = {
  type: 'note',
  collection: 'notes',
  policy: 'merge-append',
  phi: true,
  ops: ['create', 'append'],
  validate: (op: MutationOp, payload: JsonObject) => (op === 'create' ? validateCreate(payload) : validateAppend(payload)),
  validateState,
  authorize: (ctx) => requireRole(ctx, WRITER_ROLES, 'writing a note'),
  lookups: () => [],
  decide({ mutation, current }): Decision {
    const p = mutation.payload;
    if (mutation.op === 'create') {
      if (current) {
        return reject(
          problem('business-rule-violation', `note ${mutation.aggregate.id} already exists`, { status: 409, errors: [{ pointer: '/aggregate/id', detail: 'taken' }] }),
        );
      }
      return { kind: 'apply', state: { patientId: p.patientId as string, title: p.title as string, entries: [] } };
    }
    if (!current) return missing('note', mutation.aggregate.id);
    const entries = (current.state.entries as NoteEntry[] | undefined) ?? EMPTY;
    const entry: NoteEntry = {
      entryId: mutation.clientMutationId,
      text: p.text as string,
      authoredAt: p.authoredAt as string,
      actorId: mutation.actorId,
    };
    return { kind: 'apply', state: { ...current.state, entries: mergeEntry(entries, entry) as NoteEntry[] } };
  },
  resolve({ resolution, mergedState }): ResolveDecision {
    // Notes never conflict; kept for completeness (a merged state is normalised).
    if (resolution === 'merged' && mergedState) {
      const errors = validateState(mergedState);
      return errors.length > 0 ? invalid(errors, '/state') : { kind: 'apply', state: normaliseState(mergedState) };
    }
    if (resolution === 'keep-server') return { kind: 'keep' };
    return reject(problem('business-rule-violation', 'notes never conflict; only keep-server or merged apply', { status: 422 }));
  },
  eventType: (op) => (op === 'create' ? 'created' : 'appended'),
  patientRef: (_id, state, proposed) => {
    const pid = state?.patientId ?? proposed?.patientId;
    return typeof pid === 'string' ? `Patient/${pid}` : undefined;
  },
  indexOf: () => undefined,
};
