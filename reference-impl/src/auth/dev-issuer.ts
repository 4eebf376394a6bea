/**
 * The development token issuer of the embedded mode: an Ed25519 key generated at start, its public
 * half served as a JWKS, and a `mint` function for the conformance harness. The server only
 * enables it when asked (`--dev-issuer`); a production deployment verifies against its real IdP.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import { DEFAULT_AUDIENCE, type TokenVerifierOptions } from './token-verifier.js';

/** Issuer (`iss`) of dev tokens. */
export const DEV_ISSUER = 'urn:syncproof:dev-issuer';

/** What a dev token says. */
export interface MintRequest {
  readonly tenantId: string;
  readonly sub: string;
  readonly roles: readonly string[];
  /** Lifetime in seconds (default 3600); zero or negative mints an already expired token. */
  readonly ttlSeconds?: number;
  /** Audience (default the issuer's). */
  readonly aud?: string;
  /** Extra claims, for tests that need odd tokens. */
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

/** A running dev issuer. */
export interface DevIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** Key id of the signing key. */
  readonly kid: string;
  /** Public key set to serve at `/.well-known/jwks.json`. */
  readonly jwks: JSONWebKeySet;
  /** Signs a token. */
  mint(request: MintRequest): Promise<string>;
  /** Options to verify this issuer's tokens with {@link createTokenVerifier}. */
  verifierOptions(): TokenVerifierOptions;
}

/** Options of {@link createDevIssuer}. */
export interface DevIssuerOptions {
  readonly issuer?: string;
  readonly audience?: string;
  /** Wall clock for `iat`/`exp` (tests move it). */
  readonly now?: () => Date;
}

/** Generates a fresh Ed25519 key and returns an issuer around it. */
export async function createDevIssuer(options: DevIssuerOptions = {}): Promise<DevIssuer> {
  const issuer = options.issuer ?? DEV_ISSUER;
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  const now = options.now ?? (() => new Date());
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `dev-${randomUUID()}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const jwks: JSONWebKeySet = { keys: [publicJwk] };
  const signingKey: CryptoKey = privateKey;
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
