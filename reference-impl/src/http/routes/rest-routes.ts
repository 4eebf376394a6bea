/**
 * REST resources of a module (TR §5): create, read, merge-patch, append. The core implements the
 * Idempotency-Key and If-Match rules and returns the complete answer; this layer only makes sure
 * the key's presence is checked before the body is read (TR §5 processing order) and passes headers
 * through.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RestResponse, RestWriteRequest } from '../../domain/api.js';
import { principalOf } from '../authenticate.js';
import { objectBody } from '../json-body-parser.js';
import { afterHold, requestedHoldMs, TEST_HOLD_HEADER } from '../test-hooks.js';
import type { RouteContext } from './route-context.js';

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Registers the REST routes. */
export function registerRestRoutes(app: FastifyInstance, rc: RouteContext): void {
  const read = { config: { auth: true } };
  const write = { config: { auth: true, idempotencyKey: true } };

  const answer = (reply: Parameters<RouteContext['responder']['send']>[0], res: RestResponse) => {
    if (res.status < 300) rc.onCommit();
    return rc.responder.send(reply, res.status, 'resource', res.bodyJson, res.headers);
  };

  // A write, after the test hold when the server runs with test hooks and the request asks for one.
  const decide = (request: FastifyRequest, req: RestWriteRequest) => {
    const principal = principalOf(request);
    const holdMs = requestedHoldMs(rc.testHooks, request.headers[TEST_HOLD_HEADER]);
    return afterHold(rc.core, principal, req.idempotencyKey, holdMs, async () => rc.core.restWrite(principal, req));
  };

  const writeRequest = (request: FastifyRequest, kind: RestWriteRequest['kind'], module: string, collection: string, id?: string): RestWriteRequest => {
    const key = header(request, 'idempotency-key');
    const ifMatch = header(request, 'if-match');
    return {
      module,
      kind,
      collection,
      ...(id === undefined ? {} : { id }),
      body: objectBody(request.body),
      ...(key === undefined ? {} : { idempotencyKey: key }),
      ...(ifMatch === undefined ? {} : { ifMatch }),
    };
  };

  app.post<{ Params: { module: string; collection: string } }>('/v1/:module/:collection', write, async (request, reply) => {
    const { module, collection } = request.params;
    return answer(reply, await decide(request, writeRequest(request, 'create', module, collection)));
  });

  app.get<{ Params: { module: string; collection: string; id: string } }>('/v1/:module/:collection/:id', read, async (request, reply) => {
    const { module, collection, id } = request.params;
    const res = await rc.core.getResource(principalOf(request), { module, collection, id });
    return rc.responder.send(reply, res.status, 'resource', res.bodyJson, res.headers);
  });

  app.patch<{ Params: { module: string; collection: string; id: string } }>('/v1/:module/:collection/:id', write, async (request, reply) => {
    const { module, collection, id } = request.params;
    return answer(reply, await decide(request, writeRequest(request, 'patch', module, collection, id)));
  });

  app.post<{ Params: { module: string; collection: string; id: string; sub: string } }>(
    '/v1/:module/:collection/:id/:sub',
    write,
    async (request, reply) => {
      const { module, collection, id, sub } = request.params;
      if (sub !== 'entries') return reply.callNotFound();
      return answer(reply, await decide(request, writeRequest(request, 'append', module, collection, id)));
    },
  );
}
