/**
 * Verifies bearer tokens (TR §1.1): a JWT signed with EdDSA or ES256 by a key of the configured
 * JWKS, with the expected issuer and audience, not expired. Any failure is a 401 `unauthorized`
 * problem whose detail says why without echoing the token. A valid token whose `tenant_id` claim has
 * a bad syntax is a 403 `invalid-tenant-id` (TR §1.3).
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { makeProblem, ProblemError } from '../http/problem.js';
import { isValidTenantId } from './tenant-id.js';
import { isRole } from './principal.js';
/** Signature algorithms accepted (TR §1). `none` and HMAC are never accepted. */
export const ACCEPTED_ALGORITHMS = ['EdDSA', 'ES256'];
/** Default audience of reference tokens. */
export const DEFAULT_AUDIENCE = 'syncproof-clinic';
const BEARER = /^Bearer[ \t]+([A-Za-z0-9_.~+/-]+=*)[ \t]*$/i;
function unauthorized(detail) {
    // RFC 6750 §3: tell the client the token itself is the problem, so it refreshes and retries.
    return ProblemError.of('unauthorized', detail, {}, { 'www-authenticate': 'Bearer realm="syncproof", error="invalid_token"' });
}
function reason(err) {
    if (err instanceof errors.JWTExpired)
        return 'token expired';
    if (err instanceof errors.JWTClaimValidationFailed)
        return `token claim '${err.claim}' is not acceptable`;
    if (err instanceof errors.JWKSNoMatchingKey)
        return 'token signed by an unknown key';
    if (err instanceof errors.JWSSignatureVerificationFailed)
        return 'token signature does not verify';
    if (err instanceof errors.JOSEAlgNotAllowed)
        return 'token algorithm not allowed';
    if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid)
        return 'issuer key set unavailable';
    if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid)
        return 'token is not a valid JWT';
    if (err instanceof errors.JOSEError)
        return 'token rejected';
    return 'token rejected';
}
function principalFrom(payload) {
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) {
        throw unauthorized("token claim 'sub' missing or invalid");
    }
    const tenant = payload['tenant_id'];
    if (tenant === undefined)
        throw unauthorized("token claim 'tenant_id' missing");
    if (!isValidTenantId(tenant)) {
        // A signed token with a bad tenant is a policy refusal, not an authentication failure (TR §1.3).
        throw new ProblemError(makeProblem('invalid-tenant-id', "token claim 'tenant_id' is not a valid tenant id", {}, 403));
    }
    const rawRoles = payload['roles'];
    if (!Array.isArray(rawRoles))
        throw unauthorized("token claim 'roles' missing or not an array");
    // Unknown roles are ignored rather than refused: an issuer may carry roles of other modules.
    const roles = rawRoles.filter(isRole);
    return { tenantId: tenant, actorId: sub, roles };
}
/** Creates a verifier over a local key set or a remote JWKS URL. */
export function createTokenVerifier(options) {
    const keySet = options.jwks.kind === 'local'
        ? createLocalJWKSet(options.jwks.jwks)
        : createRemoteJWKSet(new URL(options.jwks.url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    const audience = options.audience ?? DEFAULT_AUDIENCE;
    const tolerance = options.clockToleranceSeconds ?? 5;
    const cacheSize = options.cacheSize ?? 1024;
    const cacheTtlMs = options.cacheTtlMs ?? 60_000;
    const clock = options.now ?? (() => new Date());
    // token → principal, expiry (ms) and when it was verified; Map order gives LRU eviction.
    const cache = new Map();
    return {
        async verify(authorization) {
            if (authorization === undefined || authorization === '')
                throw unauthorized('missing bearer token');
            const match = BEARER.exec(authorization);
            if (!match?.[1])
                throw unauthorized('authorization header is not a bearer token');
            const token = match[1];
            const nowMs = clock().getTime();
            const hit = cache.get(token);
            if (hit) {
                cache.delete(token);
                if (nowMs < hit.expMs + tolerance * 1000 && nowMs - hit.verifiedMs < cacheTtlMs) {
                    cache.set(token, hit);
                    return hit.principal;
                }
            }
            let payload;
            try {
                ({ payload } = await jwtVerify(token, keySet, {
                    algorithms: [...ACCEPTED_ALGORITHMS],
                    issuer: options.issuer,
                    audience,
                    clockTolerance: tolerance,
                    requiredClaims: ['exp', 'iat', 'sub'],
                    ...(options.now ? { currentDate: options.now() } : {}),
                }));
            }
            catch (err) {
                throw unauthorized(reason(err));
            }
            const principal = principalFrom(payload);
            if (cacheSize > 0 && typeof payload.exp === 'number') {
                if (cache.size >= cacheSize)
                    cache.delete(cache.keys().next().value);
                cache.set(token, { principal, expMs: payload.exp * 1000, verifiedMs: nowMs });
            }
            return principal;
        },
    };
}
