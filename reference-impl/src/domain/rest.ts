/**
 * REST writes and reads of module resources (TR §5). A REST write is a mutation whose
 * clientMutationId is its Idempotency-Key (same idempotency scope, fingerprint rule and event-id
 * rule as a pushed mutation, no clientSeq), decided by the same aggregate rules. Order of checks:
 *   Idempotency-Key present (400) → body and payload schema (400) → recorded response for the
 *   key? same fingerprint: replay with `Idempotent-Replayed: true` (before any precondition:
 *   replay wins over If-Match); other fingerprint: 422 → If-Match on PATCH (428 / 412 with ETag
 *   and currentVersion) → authorization (403 forbidden) and module rules → decision.
 * Recorded: 2xx and the business refusals 403, 404, 409 insufficient-stock / taken identifier,
 * 422 business-rule-violation. Not recorded: 400, 412, 428 (and the HTTP layer's 401/413/415).
 * REST writes never open conflict resources: a stale write (or a create on an existing id) is
 * 412; a probable duplicate patient or taken MRN is 422 business-rule-violation naming the
 * candidate.
 */
import type { AggregateRow, IdempotencyRecord, JsonObject } from '../ports/records.js';
import type { MaybePromise, StoreTx, TxScope } from '../ports/store.js';
import type { CoreDeps, GetResourceRequest, Resource, RestResponse, RestWriteRequest } from './api.js';
import { canonicalJson } from './canonical-json.js';
import { commitState } from './commit.js';
import { effectiveConfig } from './config.js';
import { etagFor, eventIdFor, ifMatchMatches, isUuid } from './ids.js';
import { andThen } from './maybe.js';
import type { AggregateDefinition, ModuleDefinition } from './module.js';
import { problem, validationFailed } from './problems.js';
import { mutationFingerprint } from './push.js';
import type { Mutation, MutationOp, Problem, RequestContext } from './types.js';
import { checkLimits, isObject } from './validate.js';

export { ifMatchMatches } from './ids.js';

const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';
const KEY = /^[\x21-\x7e]{1,255}$/;

function problemResponse(p: Problem, extraHeaders?: Record<string, string>): RestResponse {
  return {
    status: p.status,
    body: p,
    bodyJson: canonicalJson(p),
    headers: { 'content-type': PROBLEM_TYPE, ...extraHeaders },
    replayed: false,
    audits: [],
  };
}

/** The aggregate definition served under a REST collection of `mod` (`stock-items` → stock-item). */
export function findDefinition(mod: ModuleDefinition, collection: string): AggregateDefinition | undefined {
  for (const def of mod.aggregates.values()) if (def.collection === collection) return def;
  return undefined;
}

/** The resource representation of a row. */
export function toResource(row: AggregateRow): Resource {
  return { id: row.id, type: row.type, version: row.version, state: row.state, updatedAt: row.updatedAt };
}

/**
 * The Idempotency-Key value: an RFC 8941 sf-string (`"…"`) or the bare token (the same key).
 * Undefined when absent or empty; `null` when present but malformed.
 */
export function parseIdempotencyKey(raw: string | undefined): string | undefined | null {
  if (raw === undefined) return undefined;
  let v = raw.trim();
  if (v === '') return undefined;
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(["\\])/g, '$1');
  return KEY.test(v) ? v : null;
}

/** Handles a REST write; always answers (never throws for bad input). */
export function restWrite(ctx: RequestContext, req: RestWriteRequest, deps: CoreDeps): MaybePromise<RestResponse> {
  const mod = deps.modules.get(req.module);
  if (!mod) return problemResponse(problem('not-found', `unknown module '${req.module}'`));
  const def = findDefinition(mod, req.collection);
  if (!def) return problemResponse(problem('not-found', `unknown collection '${req.collection}'`));
  if (req.kind === 'append' && !def.ops.includes('append')) return problemResponse(problem('not-found', 'no entries below this resource'));
  const key = parseIdempotencyKey(req.idempotencyKey);
  if (key === undefined) return problemResponse(problem('idempotency-key-missing', 'this write requires an Idempotency-Key header'));
  if (key === null) {
    return problemResponse(validationFailed([{ pointer: '/headers/idempotency-key', detail: 'must be 1..255 visible ASCII characters' }]));
  }
  const body = req.body;
  if (!isObject(body)) return problemResponse(validationFailed([{ pointer: '', detail: 'body must be a JSON object' }]));
  const cfg = effectiveConfig(deps.config);
  const limit = checkLimits(body, cfg.maxDepth, cfg.maxStringLength);
  if (limit) return problemResponse(validationFailed([limit]));

  let id: string;
  let payload: JsonObject;
  let op: MutationOp;
  if (req.kind === 'create') {
    if (!isUuid(body.id)) return problemResponse(validationFailed([{ pointer: '/id', detail: 'must be a UUID' }]));
    id = body.id;
    payload = { ...body };
    delete payload.id;
    op = 'create';
  } else {
    if (!isUuid(req.id)) return problemResponse(problem('not-found', `no ${def.type} with that id`));
    id = req.id;
    payload = body;
    op = req.kind === 'append' ? 'append' : 'update';
    if (!def.ops.includes(op)) {
      // Notes are append-only; stock quantities move only through adjust mutations.
      return problemResponse(problem('business-rule-violation', `${def.type} resources cannot be patched`));
    }
  }
  const schemaErrors = def.validate(op, payload);
  if (schemaErrors.length > 0) return problemResponse(validationFailed(schemaErrors));

  const tenantId = ctx.tenantId;
  const now = deps.clock.now();
  const aggregate = { type: def.type, id };
  const scope: TxScope = {
    tenantId,
    idempotencyKeys: [key],
    aggregates: [aggregate],
    indexLookups: def.lookups(op, payload),
  };
  return deps.store.transaction(scope, (tx: StoreTx): RestResponse => {
    const current = tx.getAggregate(tenantId, def.type, id);
    // The If-Match version is part of the fingerprint (baseVersion), so compute what the first
    // attempt would have used: the If-Match version for PATCH, 0 for create, the current version
    // for appends (ignored by merge-append).
    const ifMatchVersion = req.kind === 'patch' ? parseEtagVersion(req.ifMatch) : undefined;
    const baseVersion = req.kind === 'create' ? 0 : req.kind === 'patch' ? (ifMatchVersion ?? current?.version ?? 0) : 0;
    const mutation: Mutation = {
      clientMutationId: key,
      clientSeq: 1,
      aggregate,
      op,
      baseVersion,
      payload,
      capturedAt: new Date(now).toISOString(),
      actorId: ctx.actorId,
    };
    const fingerprint = mutationFingerprint(mutation);
    const rec = tx.getIdempotency(tenantId, key);
    if (rec !== undefined && now - rec.recordedAt < cfg.idempotencyRetentionMs) {
      if (rec.fingerprint !== fingerprint) {
        return problemResponse(problem('idempotency-key-reuse', 'this Idempotency-Key was used for a different request'));
      }
      return {
        status: rec.status,
        body: rec.value ?? JSON.parse(rec.body),
        bodyJson: rec.body,
        headers: { ...rec.headers, 'idempotent-replayed': 'true' },
        replayed: true,
        audits: [],
      };
    }
    if (req.kind === 'patch') {
      if (req.ifMatch === undefined || req.ifMatch.trim() === '') {
        return problemResponse(problem('precondition-required', 'PATCH requires an If-Match header with the current ETag'));
      }
      if (current && !ifMatchMatches(req.ifMatch, current.version)) {
        return problemResponse(problem('precondition-failed', `the resource is at version ${current.version}`, { currentVersion: current.version }), {
          etag: etagFor(current.version),
        });
      }
    }
    const nowIso = mutation.capturedAt;
    let status: number;
    let resBody: unknown;
    let headers: Record<string, string>;
    const record = (): void => {
      const r: IdempotencyRecord = { tenantId, key, fingerprint, recordedAt: now, status, body: canonicalJson(resBody), headers, value: resBody };
      tx.putIdempotency(r, rec !== undefined);
    };
    if ((req.kind === 'patch' || req.kind === 'append') && !current) {
      status = 404;
      resBody = problem('not-found', `no ${def.type} with that id`);
      headers = { 'content-type': PROBLEM_TYPE };
      record();
      return { status, body: resBody, bodyJson: canonicalJson(resBody), headers, replayed: false, audits: [] };
    }
    const effective: Mutation = req.kind === 'patch' && current ? { ...mutation, baseVersion: current.version } : mutation;
    const denied = def.authorize(ctx, op, payload, current);
    const decision = denied
      ? ({ kind: 'reject', problem: problem('forbidden', denied.detail) } as const)
      : def.decide({ ctx, mutation: effective, current, tx, defects: deps.defects, nowIso });
    if (decision.kind === 'apply') {
      const version = commitState(tx, {
        tenantId,
        module: mod.name,
        aggregate,
        current,
        state: decision.state,
        index: decision.index,
        op,
        eventType: def.eventType(op),
        eventId: eventIdFor(tenantId, key),
        clientMutationId: key,
        actorId: ctx.actorId,
        nowIso,
      });
      // Contract: create → 201; PATCH and note-entry append → 200 with the resource.
      status = req.kind === 'create' ? 201 : 200;
      resBody = { id, type: def.type, version, state: decision.state, updatedAt: nowIso } satisfies Resource;
      headers = { 'content-type': JSON_TYPE, etag: etagFor(version) };
      if (req.kind === 'create') headers.location = `/v1/${mod.name}/${def.collection}/${id}`;
    } else if (decision.kind === 'reject') {
      // A rule's own validation failure (e.g. birth date in the future) is a client mistake: not recorded.
      if (decision.problem.status === 400) return problemResponse(decision.problem);
      status = decision.problem.status;
      resBody = decision.problem;
      headers = { 'content-type': PROBLEM_TYPE };
    } else if (decision.matched) {
      // Probable duplicate / taken MRN: a business refusal naming the candidate (no conflict resource).
      const st = decision.serverState;
      const p = problem('business-rule-violation', 'the patient matches another patient of this tenant', {
        status: 422,
        candidateId: st.candidateId as string,
        matchedOn: st.matchedOn as string[],
      });
      status = 422;
      resBody = p;
      headers = { 'content-type': PROBLEM_TYPE };
    } else {
      // Stale: a create on an existing id (PATCH staleness was caught by If-Match above).
      const v = decision.serverVersion;
      return problemResponse(problem('precondition-failed', `the resource already exists at version ${v}`, { currentVersion: v }), { etag: etagFor(v) });
    }
    record();
    return { status, body: resBody, bodyJson: canonicalJson(resBody), headers, replayed: false, audits: [] };
  });
}

/** The version of a single strong ETag `"<n>"`, or undefined. */
function parseEtagVersion(header: string | undefined): number | undefined {
  const m = header === undefined ? null : /^\s*"(\d{1,15})"\s*$/.exec(header);
  return m ? Number(m[1]) : undefined;
}

/** Handles GET of one resource. */
export function getResource(ctx: RequestContext, req: GetResourceRequest, deps: CoreDeps): MaybePromise<RestResponse> {
  const mod = deps.modules.get(req.module);
  if (!mod) return problemResponse(problem('not-found', `unknown module '${req.module}'`));
  const def = findDefinition(mod, req.collection);
  if (!def || !isUuid(req.id)) return problemResponse(problem('not-found', 'no such resource'));
  return andThen(deps.store.findAggregate(ctx.tenantId, def.type, req.id), (row): RestResponse => {
    if (!row) return problemResponse(problem('not-found', `no ${def.type} with that id`));
    const body = toResource(row);
    return {
      status: 200,
      body,
      bodyJson: JSON.stringify(body),
      headers: { 'content-type': JSON_TYPE, etag: etagFor(row.version) },
      replayed: false,
      audits: [],
    };
  });
}
