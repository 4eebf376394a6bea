/**
 * Conflict listing and resolution (TR §6.6). A resolution is a human decision: it commits a new
 * version of the aggregate (op `resolve`, event `resolved`), closes the conflict, and — for a PHI
 * aggregate — records exactly one audit event in the same transaction (TR §9.1).
 */
import type { AggregateRow, ConflictRow, JsonObject } from '../ports/records.js';
import type { MaybePromise, StoreTx, TxScope } from '../ports/store.js';
import type { CoreDeps, ListConflictsRequest, ResolveConflictRequest, ResolveConflictResponse, Result } from './api.js';
import { commitState } from './commit.js';
import { effectiveConfig } from './config.js';
import { etagFor, eventIdFor, ifMatchMatches, isUuid } from './ids.js';
import { andThen } from './maybe.js';
import { problem, validationFailed } from './problems.js';
import type { AuditDue, Conflict, ConflictResolution, MutationOp, RequestContext } from './types.js';
import { checkLimits, isObject } from './validate.js';

/** The wire form of a conflict row (contracts/schemas/conflict.schema.json). */
export function toConflict(row: ConflictRow): Conflict {
  const c: { -readonly [K in keyof Conflict]: Conflict[K] } = {
    conflictId: row.conflictId,
    aggregate: row.aggregate,
    policy: row.policy,
    status: row.status,
    clientId: row.clientId,
    clientMutationId: row.clientMutationId,
    serverVersion: row.serverVersion,
    serverState: row.serverState,
    proposed: row.proposed,
    phi: row.phi,
    createdAt: row.createdAt,
  };
  if (row.status === 'resolved') {
    if (row.resolvedAt !== undefined) c.resolvedAt = row.resolvedAt;
    if (row.resolution !== undefined) c.resolution = row.resolution;
  }
  return c;
}

/** Lists conflicts of the token's tenant. */
export function listConflicts(
  ctx: RequestContext,
  req: ListConflictsRequest,
  deps: CoreDeps,
): MaybePromise<Result<{ conflicts: readonly Conflict[] }>> {
  if (!deps.modules.has(req.module)) return { ok: false, problem: problem('not-found', `unknown module '${req.module}'`) };
  // TR §6.6: the default is `open`.
  const status = req.status ?? 'open';
  if (status !== 'open' && status !== 'resolved') {
    return { ok: false, problem: validationFailed([{ pointer: '/status', detail: 'must be open or resolved' }]) };
  }
  return andThen(deps.store.listConflicts(ctx.tenantId, req.module, status), (rows) => ({
    ok: true as const,
    value: { conflicts: rows.map(toConflict) },
  }));
}

const RESOLUTIONS: ReadonlySet<unknown> = new Set(['keep-server', 'take-client', 'merged']);

/** Validates `{resolution, state?}` (state required iff merged). */
function parseResolveBody(body: unknown, deps: CoreDeps): Result<{ resolution: ConflictResolution; state?: JsonObject }> {
  if (!isObject(body)) return { ok: false, problem: validationFailed([{ pointer: '', detail: 'must be a JSON object' }]) };
  const errors: { pointer: string; detail: string }[] = [];
  for (const key in body) if (key !== 'resolution' && key !== 'state') errors.push({ pointer: `/${key}`, detail: 'unknown field' });
  if (!RESOLUTIONS.has(body.resolution)) errors.push({ pointer: '/resolution', detail: 'must be keep-server, take-client or merged' });
  if (body.resolution === 'merged') {
    if (!isObject(body.state)) errors.push({ pointer: '/state', detail: 'a merged resolution needs the merged state object' });
    else {
      const cfg = effectiveConfig(deps.config);
      const e = checkLimits(body.state, cfg.maxDepth, cfg.maxStringLength, '/state');
      if (e) errors.push(e);
    }
  } else if (body.state !== undefined) errors.push({ pointer: '/state', detail: 'only a merged resolution carries a state' });
  if (errors.length > 0) return { ok: false, problem: validationFailed(errors) };
  const resolution = body.resolution as ConflictResolution;
  return { ok: true, value: resolution === 'merged' ? { resolution, state: body.state as JsonObject } : { resolution } };
}

/** Resolves an open conflict of the token's tenant (TR §6.6). */
export function resolveConflict(
  ctx: RequestContext,
  req: ResolveConflictRequest,
  deps: CoreDeps,
): MaybePromise<Result<ResolveConflictResponse>> {
  const mod = deps.modules.get(req.module);
  if (!mod) return { ok: false, problem: problem('not-found', `unknown module '${req.module}'`) };
  if (!isUuid(req.conflictId)) return { ok: false, problem: problem('not-found', 'no such conflict') };
  const parsed = parseResolveBody(req.body, deps);
  if (!parsed.ok) return parsed;
  const { resolution, state: mergedState } = parsed.value;
  const tenantId = ctx.tenantId;
  const isAdmin = ctx.roles.includes('admin');
  // Read the conflict outside the transaction to learn what the transaction must lock and read;
  // the transaction re-reads it and re-checks that it is still open.
  return andThen(deps.store.findConflict(tenantId, req.conflictId), (found): MaybePromise<Result<ResolveConflictResponse>> => {
    if (!found || found.module !== mod.name) return { ok: false, problem: problem('not-found', 'no such conflict') };
    // TR §1.5: the actor whose mutation opened it, or an admin.
    if (found.actorId !== ctx.actorId && !isAdmin) {
      return { ok: false, problem: problem('forbidden', 'only the actor whose mutation opened the conflict, or an admin, may resolve it') };
    }
    const def = mod.aggregates.get(found.aggregate.type);
    if (!def) return { ok: false, problem: problem('not-found', 'no such conflict') };
    if (mergedState) {
      const errors = def.validateState(mergedState);
      if (errors.length > 0) {
        return { ok: false, problem: validationFailed(errors.map((e) => ({ pointer: '/state' + e.pointer, detail: e.detail }))) };
      }
    }
    const now = deps.clock.now();
    const scope: TxScope = {
      tenantId,
      conflictIds: [found.conflictId],
      aggregates: found.matched ? [found.aggregate, found.matched] : [found.aggregate],
      indexLookups: def.lookups(found.op === 'create' ? 'create' : 'update', mergedState ?? found.proposed),
      auditHead: deps.audit !== undefined,
    };
    return deps.store.transaction(scope, (tx: StoreTx): Result<ResolveConflictResponse> => {
      const conflict = tx.getConflict(tenantId, found.conflictId);
      if (!conflict) return { ok: false, problem: problem('not-found', 'no such conflict') };
      if (conflict.status !== 'open') {
        return { ok: false, problem: problem('conflict-not-open', `conflict ${conflict.conflictId} is already ${conflict.status}`) };
      }
      const current = tx.getAggregate(tenantId, conflict.aggregate.type, conflict.aggregate.id);
      const currentVersion = current ? current.version : 0;
      if (req.ifMatch !== undefined && req.ifMatch.trim() !== '' && !ifMatchMatches(req.ifMatch, currentVersion)) {
        return { ok: false, problem: problem('precondition-failed', `the aggregate is at version ${currentVersion}`, { currentVersion }) };
      }
      const matched: AggregateRow | undefined = conflict.matched
        ? tx.getAggregate(tenantId, conflict.matched.type, conflict.matched.id)
        : undefined;
      const nowIso = new Date(now).toISOString();
      const decision = def.resolve({
        ctx,
        resolution,
        mergedState,
        op: conflict.op,
        proposed: conflict.proposed,
        current,
        matched,
        tx,
        aggregateId: conflict.aggregate.id,
        nowIso,
      });
      if (decision.kind === 'reject') {
        // A writing resolution that breaks a module rule: 422 business-rule-violation, still open.
        const p = decision.problem;
        return { ok: false, problem: p.status === 400 ? p : { ...p, status: 422 } };
      }
      if (decision.kind === 'conflict') {
        return { ok: false, problem: problem('business-rule-violation', 'the resolution would conflict again') };
      }
      let version = currentVersion;
      if (decision.kind === 'apply') {
        version = commitState(tx, {
          tenantId,
          module: mod.name,
          aggregate: conflict.aggregate,
          current,
          state: decision.state,
          index: decision.index ?? def.indexOf(decision.state),
          op: 'resolve',
          eventType: 'resolved',
          // TR §8.3: the conflicted mutation produced no event of its own.
          eventId: eventIdFor(tenantId, conflict.clientMutationId),
          clientMutationId: conflict.clientMutationId,
          actorId: ctx.actorId,
          nowIso,
        });
      }
      const resolved: ConflictRow = { ...conflict, status: 'resolved', resolvedAt: nowIso, resolution, resolvedBy: ctx.actorId };
      tx.putConflict(resolved);
      const audits: AuditDue[] = [];
      if (conflict.phi) {
        const due: AuditDue = {
          kind: 'conflict-resolved',
          tenantId,
          module: mod.name,
          actorId: ctx.actorId,
          roles: ctx.roles,
          aggregate: conflict.aggregate,
          patientRef: def.patientRef(conflict.aggregate.id, current?.state ?? (decision.kind === 'apply' ? decision.state : undefined), conflict.proposed),
          versions: [conflict.serverVersion, version],
          versionDetail:
            conflict.baseVersion !== undefined
              ? { base: conflict.baseVersion, server: conflict.serverVersion, result: version }
              : { server: conflict.serverVersion, result: version },
          policy: conflict.policy,
          op: conflict.op as MutationOp,
          recorded: nowIso,
          sourceId: `conflict:${conflict.conflictId}`,
          conflictId: conflict.conflictId,
          resolution,
          clientMutationId: conflict.clientMutationId,
          outcome: '0',
        };
        deps.audit?.record(tx, due);
        audits.push(due);
      }
      return { ok: true, value: { conflict: toConflict(resolved), newVersion: version, etag: etagFor(version), audits } };
    });
  });
}
