/**
 * Whole-request validation of a push body (TR §2.1, §2.2, §2.4, §12): any JSON value in, a typed
 * {@link PushRequest} or one problem out. Nothing is stored for a whole-request problem. Payload
 * business rules are NOT checked here (they are per-mutation rejections, see the module).
 */
import type { Result } from './api.js';
import { isUuid } from './ids.js';
import type { FieldError, ModuleDefinition } from './module.js';
import { problem, validationFailed } from './problems.js';
import type { CoreConfig, Mutation, MutationOp, PushRequest, RequestContext } from './types.js';
import { checkLimits, isDateTime, isInt, isObject } from './validate.js';

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const AGGREGATE_TYPE = /^[a-z][a-z0-9-]{0,63}$/;
const OPS: ReadonlySet<string> = new Set(['create', 'update', 'append', 'adjust']);
const PUSH_KEYS: ReadonlySet<string> = new Set(['clientId', 'tenantId', 'mutations']);
const MUTATION_KEYS: ReadonlySet<string> = new Set([
  'clientMutationId',
  'clientSeq',
  'aggregate',
  'op',
  'baseVersion',
  'payload',
  'capturedAt',
  'actorId',
]);
/** Stop collecting after this many field errors (a hostile body must not make a huge problem). */
const MAX_ERRORS = 20;

/** Whether `id` is a syntactically valid tenant id (TR §1.3). */
export function isTenantId(id: unknown): id is string {
  return typeof id === 'string' && TENANT_ID.test(id);
}

/** Validates a push body for `module` under `ctx`. */
export function validatePush(ctx: RequestContext, mod: ModuleDefinition, body: unknown, cfg: CoreConfig): Result<PushRequest> {
  if (!isObject(body)) return fail([{ pointer: '', detail: 'push body must be a JSON object' }]);
  const errors: FieldError[] = [];
  for (const key in body) {
    if (!PUSH_KEYS.has(key)) errors.push({ pointer: `/${key}`, detail: 'unknown field' });
  }
  const { clientId, tenantId, mutations } = body as Record<string, unknown>;
  if (tenantId !== undefined) {
    if (!isTenantId(tenantId)) return { ok: false, problem: problem('invalid-tenant-id', 'tenantId in the body is not a valid tenant id') };
    if (tenantId !== ctx.tenantId) {
      return { ok: false, problem: problem('tenant-mismatch', 'tenantId in the body differs from the token tenant') };
    }
  }
  if (!isUuid(clientId)) errors.push({ pointer: '/clientId', detail: 'must be a UUID' });
  if (!Array.isArray(mutations)) {
    errors.push({ pointer: '/mutations', detail: 'must be an array of 1..500 mutations' });
    return fail(errors);
  }
  if (mutations.length > cfg.maxBatch) {
    return {
      ok: false,
      problem: problem('batch-too-large', `a push carries at most ${cfg.maxBatch} mutations`, { limit: cfg.maxBatch }),
    };
  }
  if (mutations.length === 0) errors.push({ pointer: '/mutations', detail: 'must contain at least one mutation' });

  const out: Mutation[] = new Array<Mutation>(mutations.length);
  const seen = new Set<string>();
  let unknownType: string | undefined;
  let prevSeq = 0;
  for (let i = 0; i < mutations.length && errors.length < MAX_ERRORS; i++) {
    const m = validateMutation(mutations[i], i, errors, cfg);
    if (!m) continue;
    if (seen.has(m.clientMutationId)) {
      errors.push({ pointer: `/mutations/${i}/clientMutationId`, detail: 'duplicate clientMutationId in this push' });
      continue;
    }
    seen.add(m.clientMutationId);
    if (m.clientSeq <= prevSeq) {
      errors.push({ pointer: `/mutations/${i}/clientSeq`, detail: 'clientSeq must increase strictly within a push' });
      continue;
    }
    prevSeq = m.clientSeq;
    if (!mod.aggregates.has(m.aggregate.type)) unknownType ??= m.aggregate.type;
    out[i] = m;
  }
  if (errors.length > 0) return fail(errors);
  if (unknownType !== undefined) {
    return {
      ok: false,
      problem: problem('unknown-aggregate-type', `module '${mod.name}' has no aggregate type '${unknownType}'`),
    };
  }
  return { ok: true, value: { clientId: clientId as string, mutations: out, ...(tenantId !== undefined ? { tenantId: tenantId as string } : {}) } };
}

/** Type names that passed {@link AGGREGATE_TYPE} (a handful per module; bounded against junk). */
const validTypes = new Set<string>();

function isAggregateTypeName(type: string): boolean {
  if (validTypes.has(type)) return true;
  if (!AGGREGATE_TYPE.test(type)) return false;
  if (validTypes.size < 1024) validTypes.add(type);
  return true;
}

/** Counts the enumerable keys of `o` (own, for the plain objects JSON gives) without allocating. */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** JSON pointer of mutation `i` (built only for an error report). */
function at(i: number, suffix = ''): string {
  return `/mutations/${i}${suffix}`;
}

function validateMutation(raw: unknown, i: number, errors: FieldError[], cfg: CoreConfig): Mutation | undefined {
  if (!isObject(raw)) {
    errors.push({ pointer: at(i), detail: 'must be an object' });
    return undefined;
  }
  const before = errors.length;
  const { clientMutationId, clientSeq, aggregate, op, baseVersion, payload, capturedAt, actorId } = raw as Record<string, unknown>;
  // Unknown members: count the known ones present instead of enumerating (the hot path).
  const known =
    +(clientMutationId !== undefined) +
    +(clientSeq !== undefined) +
    +(aggregate !== undefined) +
    +(op !== undefined) +
    +(baseVersion !== undefined) +
    +(payload !== undefined) +
    +(capturedAt !== undefined) +
    +(actorId !== undefined);
  if (keyCount(raw) !== known) {
    for (const key of Object.keys(raw)) {
      if (!MUTATION_KEYS.has(key) || raw[key] === undefined) errors.push({ pointer: at(i, `/${key}`), detail: 'unknown field' });
    }
  }
  if (!isUuid(clientMutationId)) errors.push({ pointer: at(i, '/clientMutationId'), detail: 'must be a UUID' });
  if (!isInt(clientSeq) || clientSeq < 1) errors.push({ pointer: at(i, '/clientSeq'), detail: 'must be an integer >= 1' });
  let aggType = '';
  let aggId = '';
  if (!isObject(aggregate)) {
    errors.push({ pointer: at(i, '/aggregate'), detail: 'must be an object {type, id}' });
  } else {
    const { type, id } = aggregate;
    if (keyCount(aggregate) !== +(type !== undefined) + +(id !== undefined)) {
      for (const key of Object.keys(aggregate)) {
        if ((key !== 'type' && key !== 'id') || aggregate[key] === undefined) {
          errors.push({ pointer: at(i, `/aggregate/${key}`), detail: 'unknown field' });
        }
      }
    }
    if (typeof type !== 'string' || !isAggregateTypeName(type)) {
      errors.push({ pointer: at(i, '/aggregate/type'), detail: 'must match ^[a-z][a-z0-9-]{0,63}$' });
    } else aggType = type;
    if (!isUuid(id)) errors.push({ pointer: at(i, '/aggregate/id'), detail: 'must be a UUID' });
    else aggId = id;
  }
  if (typeof op !== 'string' || !OPS.has(op)) errors.push({ pointer: at(i, '/op'), detail: 'must be one of create, update, append, adjust' });
  if (!isInt(baseVersion) || baseVersion < 0) errors.push({ pointer: at(i, '/baseVersion'), detail: 'must be an integer >= 0' });
  if (!isObject(payload)) errors.push({ pointer: at(i, '/payload'), detail: 'must be a JSON object' });
  else {
    const limit = checkLimits(payload, cfg.maxDepth, cfg.maxStringLength, at(i, '/payload'));
    if (limit) errors.push(limit);
  }
  if (!isDateTime(capturedAt)) errors.push({ pointer: at(i, '/capturedAt'), detail: 'must be an RFC 3339 date-time' });
  if (typeof actorId !== 'string' || actorId.length < 1 || actorId.length > 256) {
    errors.push({ pointer: at(i, '/actorId'), detail: 'must be a string of 1..256 characters' });
  }
  if (errors.length > before) return undefined;
  return {
    clientMutationId: clientMutationId as string,
    clientSeq: clientSeq as number,
    // A fresh ref object: stored rows must not alias the caller's objects.
    aggregate: { type: aggType, id: aggId },
    op: op as MutationOp,
    baseVersion: baseVersion as number,
    payload: payload as Mutation['payload'],
    capturedAt: capturedAt as string,
    actorId: actorId as string,
  };
}

function fail(errors: FieldError[]): Result<never> {
  return { ok: false, problem: validationFailed(errors.slice(0, MAX_ERRORS)) };
}
