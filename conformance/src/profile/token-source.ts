/**
 * Obtains bearer tokens for the profile's principals: signed by the suite (jwt-signing-key), asked
 * from an endpoint (token-endpoint: the dev-token contract or OAuth 2.0 client credentials) or taken
 * as given (static-tokens). Tokens with other claims (expired, other audience, reduced roles) can
 * only be minted with a signing key or a dev-token endpoint; checks that need them are skipped otherwise.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { importJWK, importPKCS8, SignJWT, type CryptoKey, type JWK } from 'jose';
import { request } from 'undici';
import { NotApplicableError, InconclusiveError } from '../failures.js';
import type { LoadedProfile, PrincipalSpec, Role, TargetProfile } from './target-profile.js';
import { UsageError } from '../../cli/usage-error.js';

/** Which of the profile's two tenants. */
export type TenantKey = 'tenantA' | 'tenantB';

/** Claims of a token the suite mints itself. */
export interface MintClaims {
  readonly tenantId: string;
  readonly sub: string;
  readonly roles: readonly Role[];
  /** Lifetime in seconds; zero or negative mints an already expired token. @defaultValue 3600 */
  readonly ttlSeconds?: number;
  /** Audience override (default the profile's). */
  readonly aud?: string;
  /** Issuer override (default the profile's). */
  readonly iss?: string;
}

/** What kinds of tokens the source can produce. */
export interface MintCapabilities {
  /** Any tenant, subject and roles. */
  readonly anyPrincipal: boolean;
  /** Expired tokens, other audiences and issuers. */
  readonly anyClaims: boolean;
}

/** Hands out tokens. */
export interface TokenSource {
  readonly capabilities: MintCapabilities;
  /** A token for a named principal of a tenant; throws {@link NotApplicableError} if the profile lacks it. */
  token(tenant: TenantKey, principal: string): Promise<string>;
  /** The principal's declared identity; throws {@link NotApplicableError} if the profile lacks it. */
  principal(tenant: TenantKey, principal: string): PrincipalSpec;
  /** Mints a token with custom claims; throws {@link NotApplicableError} when the auth kind cannot. */
  mint(claims: MintClaims): Promise<string>;
}

/** Reads a private key given as a JWK or PKCS#8 PEM text. */
export async function importPrivateKey(text: string, alg: string): Promise<CryptoKey> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return (await importJWK(JSON.parse(trimmed) as JWK, alg)) as CryptoKey;
  return importPKCS8(trimmed, alg);
}

function principalOf(profile: TargetProfile, tenant: TenantKey, name: string): PrincipalSpec {
  const p = profile.tenants[tenant].principals[name];
  if (!p) throw new NotApplicableError(`profile defines no principal '${name}' in ${tenant}`);
  return p;
}

function envValue(name: string, field: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new UsageError(`environment variable ${name} (from profile field '${field}') is not set`);
  return v;
}

/** Creates the token source for a loaded profile. */
export function createTokenSource(loaded: LoadedProfile): TokenSource {
  const { profile } = loaded;
  const auth = profile.auth;
  const cache = new Map<string, Promise<string>>();
  const cached = (key: string, make: () => Promise<string>): Promise<string> => {
    let hit = cache.get(key);
    if (!hit) {
      hit = make();
      // A failed acquisition must not poison later attempts.
      hit.catch(() => cache.delete(key));
      cache.set(key, hit);
    }
    return hit;
  };

  if (auth.kind === 'jwt-signing-key') {
    let keyPromise: Promise<CryptoKey> | undefined;
    const key = (): Promise<CryptoKey> => {
      keyPromise ??= (async () => {
        if (auth.privateKeyJwk) return (await importJWK(auth.privateKeyJwk as JWK, auth.alg)) as CryptoKey;
        if (auth.privateKeyEnv) return importPrivateKey(envValue(auth.privateKeyEnv, 'auth.privateKeyEnv'), auth.alg);
        const file = auth.privateKeyFile as string;
        const path = isAbsolute(file) ? file : join(loaded.dir, file);
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          throw new UsageError(`cannot read 'auth.privateKeyFile' ${path}`);
        }
        return importPrivateKey(text, auth.alg);
      })();
      return keyPromise;
    };
    const mint = async (c: MintClaims): Promise<string> => {
      const iat = Math.floor(Date.now() / 1000);
      const ttl = c.ttlSeconds ?? 3600;
      const header = { alg: auth.alg, typ: 'JWT', ...(auth.kid ? { kid: auth.kid } : {}) };
      const jwt = new SignJWT({ tenant_id: c.tenantId, roles: [...c.roles] })
        .setProtectedHeader(header)
        .setIssuer(c.iss ?? auth.issuer)
        .setAudience(c.aud ?? auth.audience)
        .setSubject(c.sub)
        .setJti(randomUUID());
      // An expired token is issued in the past so that it is also outside any clock tolerance.
      if (ttl <= 0) jwt.setIssuedAt(iat - 3600).setExpirationTime(iat - 600 + ttl);
      else jwt.setIssuedAt(iat).setExpirationTime(iat + ttl);
      return jwt.sign(await key());
    };
    return {
      capabilities: { anyPrincipal: true, anyClaims: true },
      principal: (t, n) => principalOf(profile, t, n),
      token: (t, n) => {
        const p = principalOf(profile, t, n);
        return cached(`${t}/${n}`, () => mint({ tenantId: profile.tenants[t].id, sub: p.sub, roles: p.roles }));
      },
      mint,
    };
  }

  if (auth.kind === 'token-endpoint') {
    const grant = auth.grant ?? 'dev-token';
    const devMint = async (c: MintClaims): Promise<string> => {
      if ((c.ttlSeconds !== undefined && c.ttlSeconds <= 0) || c.aud !== undefined || c.iss !== undefined) {
        throw new NotApplicableError('the dev-token endpoint cannot mint expired or foreign-audience tokens (use auth kind jwt-signing-key)');
      }
      let res;
      try {
        res = await request(auth.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(auth.headers ?? {}) },
          body: JSON.stringify({ tenantId: c.tenantId, sub: c.sub, roles: c.roles, ...(c.ttlSeconds ? { ttlSeconds: c.ttlSeconds } : {}) }),
        });
      } catch (err) {
        throw new InconclusiveError(`token endpoint ${auth.url} unreachable: ${(err as Error).message}`, { environmental: true, cause: err });
      }
      const body = (await res.body.json().catch(() => undefined)) as { token?: unknown } | undefined;
      if ((res.statusCode !== 200 && res.statusCode !== 201) || typeof body?.token !== 'string') {
        throw new InconclusiveError(`token endpoint ${auth.url} answered ${res.statusCode} without a token`);
      }
      return body.token;
    };
    const clientCredentials = async (p: PrincipalSpec, at: string): Promise<string> => {
      const secret = p.clientSecret ?? envValue(p.clientSecretEnv as string, `${at}.clientSecretEnv`);
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: p.clientId as string, client_secret: secret });
      if (auth.scope) form.set('scope', auth.scope);
      if (auth.audience) form.set('audience', auth.audience);
      let res;
      try {
        res = await request(auth.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth.headers ?? {}) },
          body: form.toString(),
        });
      } catch (err) {
        throw new InconclusiveError(`token endpoint ${auth.url} unreachable: ${(err as Error).message}`, { environmental: true, cause: err });
      }
      const body = (await res.body.json().catch(() => undefined)) as { access_token?: unknown } | undefined;
      if (res.statusCode !== 200 || typeof body?.access_token !== 'string') {
        throw new InconclusiveError(`token endpoint ${auth.url} answered ${res.statusCode} without access_token for ${at}`);
      }
      return body.access_token;
    };
    return {
      capabilities: { anyPrincipal: grant === 'dev-token', anyClaims: false },
      principal: (t, n) => principalOf(profile, t, n),
      token: (t, n) => {
        const p = principalOf(profile, t, n);
        return cached(`${t}/${n}`, () =>
          grant === 'dev-token'
            ? devMint({ tenantId: profile.tenants[t].id, sub: p.sub, roles: p.roles })
            : clientCredentials(p, `tenants.${t}.principals.${n}`),
        );
      },
      mint: async (c) => {
        if (grant !== 'dev-token') throw new NotApplicableError('client-credentials tokens cannot carry custom claims');
        return devMint(c);
      },
    };
  }

  return {
    capabilities: { anyPrincipal: false, anyClaims: false },
    principal: (t, n) => principalOf(profile, t, n),
    token: async (t, n) => {
      const p = principalOf(profile, t, n);
      return p.token ?? envValue(p.tokenEnv as string, `tenants.${t}.principals.${n}.tokenEnv`);
    },
    mint: async () => {
      throw new NotApplicableError('static tokens cannot carry custom claims (use auth kind jwt-signing-key)');
    },
  };
}
