/**
 * Operational endpoints (TR Annex A): health, the dev issuer's JWKS and dev token minting. The
 * last two answer 404 unless the server was started with the dev issuer.
 */
import type { FastifyInstance } from 'fastify';
import { checkRequest } from '../contract-validation.js';
import { objectBody } from '../json-body-parser.js';
import { isValidTenantId } from '../../auth/tenant-id.js';
import { ProblemError } from '../problem.js';
import type { RouteContext } from './route-context.js';

/** Registers /healthz, /.well-known/jwks.json and /v1/dev/tokens. */
export function registerOpsRoutes(app: FastifyInstance, rc: RouteContext): void {
  app.get('/healthz', async (_request, reply) => rc.responder.send(reply, 200, undefined, { status: 'ok' }));

  app.get('/.well-known/jwks.json', async (_request, reply) => {
    if (!rc.devIssuer) throw ProblemError.of('not-found', 'this server runs without the dev issuer');
    return rc.responder.send(reply, 200, undefined, rc.devIssuer.jwks, { 'cache-control': 'public, max-age=60' });
  });

  app.post('/v1/dev/tokens', async (request, reply) => {
    const issuer = rc.devIssuer;
    if (!issuer) throw ProblemError.of('not-found', 'this server runs without the dev issuer');
    const body = objectBody(request.body);
    if (body['tenantId'] !== undefined && !isValidTenantId(body['tenantId'])) {
      throw ProblemError.of('invalid-tenant-id', 'tenantId is not a valid tenant id', {
        errors: [{ pointer: '/tenantId', detail: 'must match ^[A-Za-z0-9_-]{1,64}$' }],
      });
    }
    checkRequest('dev-token-request', body);
    const token = await issuer.mint({
      tenantId: body['tenantId'] as string,
      sub: body['sub'] as string,
      roles: body['roles'] as string[],
      ...(typeof body['ttlSeconds'] === 'number' ? { ttlSeconds: body['ttlSeconds'] } : {}),
    });
    return rc.responder.send(reply, 201, 'dev-token-response', { token }, { 'cache-control': 'no-store' });
  });
}
