/**
 * The development token issuer of the embedded mode: an Ed25519 key generated at start, its public
 * half served as a JWKS, and a `mint` function for the conformance harness. The server only
 * enables it when asked (`--dev-issuer`); a production deployment verifies against its real IdP.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DEFAULT_AUDIENCE } from './token-verifier.js';
/** Issuer (`iss`) of dev tokens. */
export const DEV_ISSUER = 'urn:syncproof:dev-issuer';
/** Generates a fresh Ed25519 key and returns an issuer around it. */
export async function createDevIssuer(options = {}) {
    const issuer = options.issuer ?? DEV_ISSUER;
    const audience = options.audience ?? DEFAULT_AUDIENCE;
    const now = options.now ?? (() => new Date());
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = `dev-${randomUUID()}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
    const jwks = { keys: [publicJwk] };
    const signingKey = privateKey;
    return {
        issuer,
        audience,
        kid,
        jwks,
        async mint(req) {
            const iat = Math.floor(now().getTime() / 1000);
            const ttl = req.ttlSeconds ?? 3600;
            return new SignJWT({ ...req.extraClaims, tenant_id: req.tenantId, roles: [...req.roles] })
                .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
                .setIssuer(issuer)
                .setAudience(req.aud ?? audience)
                .setSubject(req.sub)
                .setIssuedAt(iat)
                .setExpirationTime(iat + ttl)
                .setJti(randomUUID())
                .sign(signingKey);
        },
        verifierOptions() {
            return { jwks: { kind: 'local', jwks }, issuer, audience, ...(options.now ? { now: options.now } : {}) };
        },
    };
}
