/**
 * Request authentication (TR §1): routes marked `config.auth` get the verified {@link Principal} on
 * `request.principal` before their body is even read, so a bad token is a 401 whatever the body.
 * An `X-Tenant-Id` header is optional and redundant: a malformed one is 400 `invalid-tenant-id`,
 * one that disagrees with the token is 403 `tenant-mismatch` (TR §1.2, §1.3).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { isValidTenantId } from '../auth/tenant-id.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { ProblemError } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on authenticated routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Route needs a bearer token. */
    auth?: boolean;
    /** Route is a REST write that needs `Idempotency-Key` (checked before the body, TR §5). */
    idempotencyKey?: boolean;
  }
}

/** Checks a tenant named by the request (header or body) against the token's (TR §1.2, §1.3). */
export function checkClaimedTenant(principal: Principal, claimed: unknown, where: string): void {
  if (claimed === undefined) return;
  if (!isValidTenantId(claimed)) {
    throw ProblemError.of('invalid-tenant-id', `${where} is not a valid tenant id`, {
      errors: [{ pointer: where.startsWith('/') ? where : '', detail: 'must match ^[A-Za-z0-9_-]{1,64}$' }],
    });
  }
  if (claimed !== principal.tenantId) throw ProblemError.of('tenant-mismatch', `${where} does not match the token's tenant`);
}

/** The principal of an authenticated route (the hook guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is not authenticated');
  return request.principal;
}

/** Installs the authentication hook. */
export function installAuthentication(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (!config.auth) return;
    const principal = await verifier.verify(request.headers.authorization);
    const header = request.headers['x-tenant-id'];
    checkClaimedTenant(principal, Array.isArray(header) ? header.join(',') : header, 'X-Tenant-Id header');
    request.principal = principal;
    if (config.idempotencyKey && request.headers['idempotency-key'] === undefined) {
      throw ProblemError.of('idempotency-key-missing', `${request.method} needs an Idempotency-Key header`);
    }
  });
}
