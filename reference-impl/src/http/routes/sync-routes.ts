/**
 * Sync endpoints (TR §2, §6.6, §7): push, pull, conflict list and resolution. The HTTP layer does
 * what only it can — tenant claims in the body, the batch limit before schema work, contract schema
 * checks — and hands the rest to the core, sending its pre-serialised push body untouched so replays
 * stay byte-identical.
 */
import type { FastifyInstance } from 'fastify';
import { PUSH_BATCH_LIMIT } from '../../../../contracts/src/push-batch-limit.js';
import { pushResponseBody } from '../../domain/push.js';
import { checkClaimedTenant, principalOf } from '../authenticate.js';
import { checkRequest } from '../contract-validation.js';
import { objectBody } from '../json-body-parser.js';
import { ProblemError } from '../problem.js';
import type { RouteContext } from './route-context.js';
import { single } from './route-context.js';

/** Most mutations per push: the contract's PushRequest `mutations.maxItems` (TR §12). */
const MAX_BATCH = PUSH_BATCH_LIMIT;

function queryString(query: unknown, name: string): string | undefined {
  const v = single((query as Record<string, unknown>)[name]);
  if (Array.isArray(v)) {
    throw ProblemError.of('validation-failed', `query parameter '${name}' given more than once`, {
      errors: [{ pointer: `?${name}`, detail: 'must be given at most once' }],
    });
  }
  return v;
}

// The core refuses unknown types too; answering here lets the problem name the offending field.
function checkAggregateTypes(rc: RouteContext, module: string, mutations: readonly { aggregate: { type: string } }[]): void {
  const mod = rc.modules.get(module);
  if (!mod) return;
  const errors = mutations
    .map((m, i) => ({ type: m.aggregate.type, pointer: `/mutations/${i}/aggregate/type` }))
    .filter((e) => !mod.aggregates.has(e.type));
  const first = errors[0];
  if (!first) return;
  throw ProblemError.of('unknown-aggregate-type', `${first.pointer}: module '${module}' has no aggregate type '${first.type}'`, {
    errors: errors.slice(0, 20).map((e) => ({ pointer: e.pointer, detail: `unknown aggregate type '${e.type}'` })),
  });
}

/** Registers the sync routes. */
export function registerSyncRoutes(app: FastifyInstance, rc: RouteContext): void {
  const auth = { config: { auth: true } };

  app.post<{ Params: { module: string } }>('/v1/sync/:module/push', auth, async (request, reply) => {
    const principal = principalOf(request);
    const body = objectBody(request.body);
    checkClaimedTenant(principal, body['tenantId'], '/tenantId');
    const mutations = body['mutations'];
    if (Array.isArray(mutations) && mutations.length > MAX_BATCH) {
      throw ProblemError.of('batch-too-large', `a push carries at most ${MAX_BATCH} mutations, got ${mutations.length}`, { limit: MAX_BATCH });
    }
    checkRequest('push-request', body);
    checkAggregateTypes(rc, request.params.module, body['mutations'] as { aggregate: { type: string } }[]);
    const result = await rc.core.push(principal, request.params.module, body);
    if (!result.ok) return rc.responder.send(reply, result.problem.status, undefined, result.problem);
    rc.onCommit();
    return rc.responder.send(reply, 200, 'push-response', pushResponseBody(result.value));
  });

  app.get<{ Params: { module: string } }>('/v1/sync/:module/pull', auth, async (request, reply) => {
    const principal = principalOf(request);
    const cursor = queryString(request.query, 'cursor');
    const limit = queryString(request.query, 'limit');
    const result = await rc.core.pull(principal, {
      module: request.params.module,
      ...(cursor === undefined ? {} : { cursor }),
      ...(limit === undefined ? {} : { limit: limit as unknown as number }),
    });
    if (!result.ok) return rc.responder.send(reply, result.problem.status, undefined, result.problem);
    return rc.responder.send(reply, 200, 'pull-response', result.value);
  });

  app.get<{ Params: { module: string } }>('/v1/sync/:module/conflicts', auth, async (request, reply) => {
    const principal = principalOf(request);
    const status = queryString(request.query, 'status');
    const result = await rc.core.listConflicts(principal, { module: request.params.module, ...(status === undefined ? {} : { status }) });
    if (!result.ok) return rc.responder.send(reply, result.problem.status, undefined, result.problem);
    return rc.responder.send(reply, 200, 'conflict-list', result.value);
  });

  app.post<{ Params: { module: string; conflictId: string } }>(
    '/v1/sync/:module/conflicts/:conflictId/resolve',
    auth,
    async (request, reply) => {
      const principal = principalOf(request);
      const body = objectBody(request.body);
      checkRequest('conflict-resolve-request', body);
      const result = await rc.core.resolveConflict(principal, {
        module: request.params.module,
        conflictId: request.params.conflictId,
        body,
      });
      if (!result.ok) return rc.responder.send(reply, result.problem.status, undefined, result.problem);
      rc.onCommit();
      const { conflict, newVersion, etag } = result.value;
      // The contract requires the ETag header on the 200 (the body's etag alone is not enough for
      // clients that do conditional requests from headers).
      return rc.responder.send(reply, 200, 'conflict-resolve-response', { conflict, newVersion, etag }, { etag });
    },
  );
}
