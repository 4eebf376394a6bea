import { describe, expect, test } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { createDevIssuer } from '../../src/auth/dev-issuer.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { ProblemError } from '../../src/http/problem.js';
import { isValidTenantId } from '../../src/auth/tenant-id.js';
async function setup() {
    const issuer = await createDevIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    return { issuer, verifier };
}
async function problemOf(p) {
    try {
        await p;
    }
    catch (err) {
        expect(err).toBeInstanceOf(ProblemError);
        return err.problem;
    }
    throw new Error('expected a problem');
}
describe('token verifier', () => {
    test('a dev-issued token yields the principal from its claims', async () => {
        const { issuer, verifier } = await setup();
        const token = await issuer.mint({ tenantId: 'tenant-a', sub: 'alice', roles: ['clinician', 'unknown-role'] });
        const p = await verifier.verify(`Bearer ${token}`);
        expect(p).toEqual({ tenantId: 'tenant-a', actorId: 'alice', roles: ['clinician'] });
    });
    requirementTest({ id: 'auth.expired-token-401', verifies: ['OFS-AUTH-001', 'OFS-SYNC-009'] }, 'an expired token is 401 unauthorized', async () => {
        const { issuer, verifier } = await setup();
        const token = await issuer.mint({ tenantId: 't', sub: 'a', roles: ['clinician'], ttlSeconds: -60 });
        const p = await problemOf(verifier.verify(`Bearer ${token}`));
        expect(p.status).toBe(401);
        expect(p.type).toBe('https://syncproof.dev/problems/unauthorized');
        expect(p.detail).toMatch(/expired/);
    });
    requirementTest({ id: 'auth.forged-tokens-401', verifies: ['OFS-AUTH-002'] }, 'alg none, unknown kid and bad signature are 401', async () => {
        const { issuer, verifier } = await setup();
        const claims = { tenant_id: 't', roles: ['admin'] };
        const none = new UnsecuredJWT(claims).setIssuer(issuer.issuer).setAudience(issuer.audience).setSubject('a').setIssuedAt().setExpirationTime('1h').encode();
        expect((await problemOf(verifier.verify(`Bearer ${none}`))).status).toBe(401);
        const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        const unknownKid = await new SignJWT(claims)
            .setProtectedHeader({ alg: 'EdDSA', kid: 'not-a-known-kid' })
            .setIssuer(issuer.issuer).setAudience(issuer.audience).setSubject('a').setIssuedAt().setExpirationTime('1h')
            .sign(other.privateKey);
        expect((await problemOf(verifier.verify(`Bearer ${unknownKid}`))).status).toBe(401);
        // Right kid, wrong key: the signature cannot verify.
        const wrongKey = await new SignJWT(claims)
            .setProtectedHeader({ alg: 'EdDSA', kid: issuer.kid })
            .setIssuer(issuer.issuer).setAudience(issuer.audience).setSubject('a').setIssuedAt().setExpirationTime('1h')
            .sign(other.privateKey);
        expect((await problemOf(verifier.verify(`Bearer ${wrongKey}`))).status).toBe(401);
        // A genuine token with one signature byte flipped.
        const good = await issuer.mint({ tenantId: 't', sub: 'a', roles: ['admin'] });
        const [h, b, s] = good.split('.');
        const flipped = `${h}.${b}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
        expect((await problemOf(verifier.verify(`Bearer ${flipped}`))).status).toBe(401);
        // A tampered payload (tenant swapped) under the original signature.
        const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(b, 'base64url').toString()), tenant_id: 'other' })).toString('base64url');
        expect((await problemOf(verifier.verify(`Bearer ${h}.${forgedBody}.${s}`))).status).toBe(401);
    });
    requirementTest({ id: 'auth.wrong-aud-iss-401', verifies: ['OFS-AUTH-003'] }, 'another audience or issuer is 401', async () => {
        const { issuer, verifier } = await setup();
        const wrongAud = await issuer.mint({ tenantId: 't', sub: 'a', roles: ['admin'], aud: 'some-other-api' });
        const p = await problemOf(verifier.verify(`Bearer ${wrongAud}`));
        expect(p.status).toBe(401);
        expect(p.detail).toMatch(/aud/);
        const otherIssuer = await createDevIssuer({ issuer: 'urn:other' });
        // Same key set trusted, but tokens of a different `iss` are refused.
        const v2 = createTokenVerifier({ ...otherIssuer.verifierOptions(), issuer: issuer.issuer });
        const t2 = await otherIssuer.mint({ tenantId: 't', sub: 'a', roles: ['admin'] });
        expect((await problemOf(v2.verify(`Bearer ${t2}`))).detail).toMatch(/iss/);
    });
    test('ES256 tokens from a local JWKS verify; HS256 is never accepted', async () => {
        const { publicKey, privateKey } = await generateKeyPair('ES256');
        const jwk = { ...(await exportJWK(publicKey)), kid: 'ec1' };
        const verifier = createTokenVerifier({ jwks: { kind: 'local', jwks: { keys: [jwk] } }, issuer: 'iss', audience: 'aud' });
        const token = await new SignJWT({ tenant_id: 't1', roles: ['auditor'] })
            .setProtectedHeader({ alg: 'ES256', kid: 'ec1' }).setIssuer('iss').setAudience('aud').setSubject('u').setIssuedAt().setExpirationTime('5m')
            .sign(privateKey);
        expect((await verifier.verify(`Bearer ${token}`)).roles).toEqual(['auditor']);
        const hs = await new SignJWT({ tenant_id: 't1', roles: [] })
            .setProtectedHeader({ alg: 'HS256', kid: 'ec1' }).setIssuer('iss').setAudience('aud').setSubject('u').setIssuedAt().setExpirationTime('5m')
            .sign(new TextEncoder().encode('x'.repeat(32)));
        expect((await problemOf(verifier.verify(`Bearer ${hs}`))).status).toBe(401);
    });
    test('a remembered token is still refused once it expires', async () => {
        let now = new Date('2026-01-01T00:00:00Z');
        const issuer = await createDevIssuer({ now: () => now });
        const verifier = createTokenVerifier({ ...issuer.verifierOptions(), now: () => now });
        const token = await issuer.mint({ tenantId: 't', sub: 'a', roles: ['clinician'], ttlSeconds: 60 });
        expect((await verifier.verify(`Bearer ${token}`)).actorId).toBe('a');
        now = new Date('2026-01-01T00:00:30Z');
        expect((await verifier.verify(`Bearer ${token}`)).actorId).toBe('a');
        now = new Date('2026-01-01T00:02:00Z');
        expect((await problemOf(verifier.verify(`Bearer ${token}`))).detail).toMatch(/expired/);
    });
    test('missing or non-bearer authorization is 401', async () => {
        const { verifier } = await setup();
        expect((await problemOf(verifier.verify(undefined))).status).toBe(401);
        expect((await problemOf(verifier.verify('Basic dXNlcjpwYXNz'))).status).toBe(401);
        expect((await problemOf(verifier.verify('Bearer not.a.jwt'))).status).toBe(401);
    });
    requirementTest({ id: 'auth.token-tenant-claim-validated', verifies: ['OFS-TEN-004'] }, 'a signed token with an invalid tenant_id claim is 403 invalid-tenant-id', async () => {
        const { issuer, verifier } = await setup();
        for (const bad of ['a.b', 'a*', 'a>', 'a b', '', 'x'.repeat(65)]) {
            const token = await issuer.mint({ tenantId: bad, sub: 'a', roles: ['admin'] });
            const p = await problemOf(verifier.verify(`Bearer ${token}`));
            expect(p.status, bad).toBe(403);
            expect(p.type).toBe('https://syncproof.dev/problems/invalid-tenant-id');
        }
    });
    test('tenant id syntax', () => {
        expect(isValidTenantId('Tenant_1-a')).toBe(true);
        for (const bad of ['.', '*', '>', ' a', 'a\t', 'ä', '', 'x'.repeat(65), 5, null])
            expect(isValidTenantId(bad)).toBe(false);
    });
});
