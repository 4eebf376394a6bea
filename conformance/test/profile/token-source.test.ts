/** Token acquisition: a signing key mints verifiable tokens (also expired and foreign ones); static tokens cannot. */
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, errors } from 'jose';
import { expect, test } from 'vitest';
import { createTokenSource } from '../../src/profile/token-source.js';
import { NotApplicableError } from '../../src/failures.js';
import type { TargetProfile } from '../../src/profile/target-profile.js';

const base: Omit<TargetProfile, 'auth'> = {
  baseUrl: 'http://127.0.0.1:1',
  module: 'clinic',
  tenants: {
    tenantA: { id: 'ta', principals: { clinician: { sub: 'c1', roles: ['clinician'], token: 'static-a' } } },
    tenantB: { id: 'tb', principals: { clinician: { sub: 'c2', roles: ['clinician'], token: 'static-b' } } },
  },
  aggregates: [],
  idempotency: { retentionDays: 30, maxOfflineWindowDays: 30 },
  audit: { source: 'http' },
};

test('jwt-signing-key tokens verify with the public key and carry tenant, subject and roles', async () => {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: 'EdDSA' }] });
  const profile: TargetProfile = { ...base, auth: { kind: 'jwt-signing-key', alg: 'EdDSA', issuer: 'urn:i', audience: 'aud', privateKeyJwk: await exportJWK(privateKey) } };
  const tokens = createTokenSource({ profile, dir: '.', runId: 'r' });
  const { payload } = await jwtVerify(await tokens.token('tenantB', 'clinician'), jwks, { issuer: 'urn:i', audience: 'aud' });
  expect(payload).toMatchObject({ sub: 'c2', tenant_id: 'tb', roles: ['clinician'] });
  const expired = await tokens.mint({ tenantId: 'ta', sub: 'c1', roles: ['clinician'], ttlSeconds: 0 });
  await expect(jwtVerify(expired, jwks, { issuer: 'urn:i', audience: 'aud', clockTolerance: 60 })).rejects.toBeInstanceOf(errors.JWTExpired);
  const foreign = await tokens.mint({ tenantId: 'ta', sub: 'c1', roles: ['clinician'], aud: 'other' });
  await expect(jwtVerify(foreign, jwks, { issuer: 'urn:i', audience: 'aud' })).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
  expect(tokens.capabilities).toEqual({ anyPrincipal: true, anyClaims: true });
});

test('static tokens are handed out as given and cannot be minted; a missing principal is not applicable', async () => {
  const tokens = createTokenSource({ profile: { ...base, auth: { kind: 'static-tokens' } }, dir: '.', runId: 'r' });
  expect(await tokens.token('tenantA', 'clinician')).toBe('static-a');
  await expect(tokens.mint({ tenantId: 'ta', sub: 'x', roles: [] })).rejects.toBeInstanceOf(NotApplicableError);
  expect(() => tokens.principal('tenantA', 'pharmacist')).toThrow(NotApplicableError);
});
