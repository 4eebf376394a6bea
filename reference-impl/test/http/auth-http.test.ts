import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect } from 'vitest';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { harness, json, mutation, patientPayload, problemOf, ptype, type Harness } from './harness.js';

const PUSH = '/v1/sync/clinic/push';
let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('authentication over HTTP', () => {
  requirementTest(
    { id: 'http.bad-tokens-401-nothing-applied', verifies: ['OFS-AUTH-001', 'OFS-AUTH-002', 'OFS-AUTH-003', 'OFS-SYNC-009'] },
    'missing, expired, forged and foreign-audience tokens are 401 problems and apply nothing',
    async () => {
      h = await harness();
      const body = { clientId: randomUUID(), mutations: [mutation({ clientSeq: 1, actorId: 'alice' })] };
      const expired = await h.token('tenant-a', 'alice', ['clinician'], -120);
      const wrongAud = await h.issuer.mint({ tenantId: 'tenant-a', sub: 'alice', roles: ['clinician'], aud: 'another-api' });
      const none = new UnsecuredJWT({ tenant_id: 'tenant-a', roles: ['admin'] })
        .setIssuer(h.issuer.issuer).setAudience(h.issuer.audience).setSubject('alice').setIssuedAt().setExpirationTime('1h').encode();
      const stranger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const forged = await new SignJWT({ tenant_id: 'tenant-a', roles: ['admin'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: h.issuer.kid })
        .setIssuer(h.issuer.issuer).setAudience(h.issuer.audience).setSubject('alice').setIssuedAt().setExpirationTime('1h')
        .sign(stranger.privateKey);
      for (const [what, headers] of [
        ['no token', {}],
        ['expired', { authorization: `Bearer ${expired}` }],
        ['wrong audience', { authorization: `Bearer ${wrongAud}` }],
        ['alg none', { authorization: `Bearer ${none}` }],
        ['forged signature', { authorization: `Bearer ${forged}` }],
        ['basic auth', { authorization: 'Basic YTpi' }],
      ] as const) {
        // The body is even malformed for some: authentication is decided first.
        const res = await h.call('POST', PUSH, { body, headers });
        expect(res.statusCode, what).toBe(401);
        expect(problemOf(res).type).toBe(ptype('unauthorized'));
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        const malformed = await h.call('POST', PUSH, { raw: '{', headers });
        expect(malformed.statusCode, `${what} + malformed body`).toBe(401);
      }
      expect(await h.store.outboxSize()).toBe(0);
      // The client refreshes its token and retries: the same mutation applies once.
      const fresh = await h.token('tenant-a', 'alice', ['clinician']);
      const res = await h.call('POST', PUSH, { token: fresh, body });
      expect((json(res)['outcomes'] as { status: string }[])[0]!.status).toBe('applied');
    },
  );

  requirementTest({ id: 'http.token-bad-tenant-claim-403', verifies: ['OFS-TEN-004'] }, 'a signed token whose tenant claim has a subject wildcard is 403 invalid-tenant-id', async () => {
    h = await harness();
    for (const tenant of ['a.b', '*', '>', 'a b']) {
      const token = await h.issuer.mint({ tenantId: tenant, sub: 'x', roles: ['admin'] });
      const res = await h.call('GET', '/v1/sync/clinic/pull', { token });
      expect(problemOf(res)).toMatchObject({ status: 403, type: ptype('invalid-tenant-id') });
    }
  });

  requirementTest(
    { id: 'http.cross-tenant-objects-404', verifies: ['OFS-TEN-002', 'OFS-TEN-001'] },
    'objects of tenant A cannot be read, written or resolved with tenant B credentials',
    async () => {
      h = await harness();
      const a = await h.token('tenant-a', 'alice', ['admin']);
      const b = await h.token('tenant-b', 'bob', ['admin']);
      const id = randomUUID();
      const created = await h.call('POST', '/v1/clinic/patients', { token: a, body: { id, ...patientPayload('A-1') }, headers: { 'idempotency-key': randomUUID() } });
      expect(created.statusCode).toBe(201);
      const read = await h.call('GET', `/v1/clinic/patients/${id}`, { token: b });
      expect(problemOf(read).status).toBe(404);
      expect(read.body).not.toContain('A-1');
      const patch = await h.call('PATCH', `/v1/clinic/patients/${id}`, { token: b, body: { givenName: 'X' }, headers: { 'idempotency-key': randomUUID(), 'if-match': '"1"' } });
      expect(problemOf(patch).status).toBe(404);
      // A duplicate MRN in tenant A opens a conflict; tenant B cannot see or resolve it.
      const dup = await h.call('POST', PUSH, {
        token: a,
        body: { clientId: randomUUID(), mutations: [mutation({ clientSeq: 1, actorId: 'alice', aggregate: { type: 'patient', id: randomUUID() }, payload: patientPayload('A-1', 'Other', 'Person', '2000-01-01') })] },
      });
      const conflictId = (json(dup)['outcomes'] as { conflictId: string }[])[0]!.conflictId;
      expect(conflictId).toBeTruthy();
      expect(json(await h.call('GET', '/v1/sync/clinic/conflicts', { token: b }))['conflicts']).toEqual([]);
      const resolve = await h.call('POST', `/v1/sync/clinic/conflicts/${conflictId}/resolve`, { token: b, body: { resolution: 'keep-server' } });
      expect(problemOf(resolve).status).toBe(404);
      // The tenant header cannot smuggle tenant A in under B's token.
      expect(problemOf(await h.call('GET', `/v1/clinic/patients/${id}`, { token: b, headers: { 'x-tenant-id': 'tenant-a' } })).type).toBe(ptype('tenant-mismatch'));
    },
  );
});
