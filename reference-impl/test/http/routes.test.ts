import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { signEnvelope } from '../../../contracts/lib/dsse.js';
import { AUDIT_RECORD_PAYLOAD_TYPE, payloadHash } from '../../src/audit/envelope-chain.js';
import { GENESIS_HASH, verifyChain, type AuditChainEntry } from '../../src/audit/hash-chain.js';
import { harness, json, mutation, patientPayload, problemOf, ptype, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const PUSH = '/v1/sync/clinic/push';

describe('sync routes', () => {
  requirementTest({ id: 'http.push-accepts-contract-body', verifies: ['OFS-SYNC-004'] }, 'a push in the contract shape is applied and a duplicate replays byte-identically', async () => {
    h = await harness();
    const token = await h.token('tenant-a', 'alice', ['clinician']);
    const body = { clientId: randomUUID(), mutations: [mutation({ clientSeq: 1, actorId: 'alice' }), mutation({ clientSeq: 2, actorId: 'alice' })] };
    const first = await h.call('POST', PUSH, { token, body });
    expect(first.statusCode).toBe(200);
    const outcomes = json(first)['outcomes'] as { status: string; eventId: string }[];
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    const again = await h.call('POST', PUSH, { token, body });
    expect(again.statusCode).toBe(200);
    // Byte-identical apart from the replay marker.
    expect(again.body.replaceAll(',"replayed":true', '')).toBe(first.body);
    expect((json(again)['outcomes'] as { replayed?: boolean }[]).every((o) => o.replayed === true)).toBe(true);
    expect(await h.store.outboxSize()).toBe(2);
  });

  test('pull returns the tenant\'s changes in commit order', async () => {
    h = await harness();
    const a = await h.token('tenant-a', 'alice', ['clinician']);
    const b = await h.token('tenant-b', 'bob', ['clinician']);
    await h.call('POST', PUSH, { token: a, body: { clientId: randomUUID(), mutations: [mutation({ clientSeq: 1, actorId: 'alice' })] } });
    await h.call('POST', PUSH, { token: b, body: { clientId: randomUUID(), mutations: [mutation({ clientSeq: 1, actorId: 'bob' })] } });
    const res = await h.call('GET', '/v1/sync/clinic/pull?limit=10', { token: a });
    expect(res.statusCode).toBe(200);
    expect((json(res)['changes'] as unknown[]).length).toBe(1);
    const bad = await h.call('GET', '/v1/sync/clinic/pull?limit=0', { token: a });
    expect(problemOf(bad).type).toBe(ptype('validation-failed'));
    const twice = await h.call('GET', '/v1/sync/clinic/pull?limit=1&limit=2', { token: a });
    expect(problemOf(twice).status).toBe(400);
  });

  requirementTest(
    { id: 'http.conflict-resolution-audited-once', verifies: ['OFS-AUD-001', 'OFS-AUD-005', 'OFS-AUD-004'] },
    'resolving a PHI conflict writes one chained audit event that only auditors and admins can read',
    async () => {
      h = await harness();
      const alice = await h.token('tenant-a', 'alice', ['clinician']);
      const bob = await h.token('tenant-a', 'bob', ['clinician']);
      const auditor = await h.token('tenant-a', 'audrey', ['auditor']);
      const encounter = { type: 'encounter', id: randomUUID() };
      const patientId = randomUUID();
      const ca = randomUUID();
      const cb = randomUUID();
      await h.call('POST', PUSH, { token: alice, body: { clientId: ca, mutations: [mutation({ clientSeq: 1, actorId: 'alice', aggregate: encounter, payload: { patientId, status: 'planned' } })] } });
      await h.call('POST', PUSH, { token: alice, body: { clientId: ca, mutations: [mutation({ clientSeq: 2, actorId: 'alice', aggregate: encounter, op: 'update', baseVersion: 1, payload: { status: 'in-progress' } })] } });
      const stale = await h.call('POST', PUSH, { token: bob, body: { clientId: cb, mutations: [mutation({ clientSeq: 1, actorId: 'bob', aggregate: encounter, op: 'update', baseVersion: 1, payload: { status: 'finished' } })] } });
      const outcome = (json(stale)['outcomes'] as { status: string; conflictId: string }[])[0]!;
      expect(outcome.status).toBe('conflict');

      const list = await h.call('GET', '/v1/sync/clinic/conflicts?status=open', { token: bob });
      expect((json(list)['conflicts'] as { conflictId: string }[]).map((c) => c.conflictId)).toEqual([outcome.conflictId]);

      expect(problemOf(await h.call('GET', '/v1/audit/events', { token: bob })).type).toBe(ptype('forbidden'));
      const empty = json(await h.call('GET', '/v1/audit/events', { token: auditor }));
      expect(empty).toEqual({ entries: [], head: { seq: 0, hash: GENESIS_HASH } });

      const url = `/v1/sync/clinic/conflicts/${outcome.conflictId}/resolve`;
      const resolved = await h.call('POST', url, { token: bob, body: { resolution: 'take-client' } });
      expect(resolved.statusCode).toBe(200);
      expect(json(resolved)).toMatchObject({ newVersion: 3, etag: '"3"' });
      // The contract's resolve 200 carries the ETag header too (same value as the body's etag).
      expect(resolved.headers['etag']).toBe('"3"');
      const again = await h.call('POST', url, { token: bob, body: { resolution: 'take-client' } });
      expect(problemOf(again).type).toBe(ptype('conflict-not-open'));

      const page = json(await h.call('GET', '/v1/audit/events', { token: auditor })) as { entries: AuditChainEntry[]; head: { seq: number } };
      expect(page.entries).toHaveLength(1);
      expect(page.head.seq).toBe(1);
      expect(verifyChain(page.entries)).toBeUndefined();
      const event = page.entries[0]!.event as { entity: { what: { reference: string } }[]; agent: { who: { identifier: { value: string } } }[] };
      expect(event.entity.map((e) => e.what.reference)).toEqual([`Patient/${patientId}`, `Encounter/${encounter.id}`]);
      expect(event.agent.some((a) => a.who.identifier.value === 'bob')).toBe(true);
      expect(JSON.stringify(event)).not.toContain('finished');
      // Another tenant's auditor sees nothing of it.
      const other = await h.token('tenant-b', 'olga', ['auditor']);
      expect(json(await h.call('GET', '/v1/audit/events', { token: other }))['entries']).toEqual([]);
      const paged = json(await h.call('GET', '/v1/audit/events?afterSeq=1&limit=5', { token: auditor }));
      expect(paged['entries']).toEqual([]);
      expect(problemOf(await h.call('GET', '/v1/audit/events?limit=501', { token: auditor })).status).toBe(400);
    },
  );

  requirementTest({ id: 'http.permission-lost-audited', verifies: ['OFS-AUD-013', 'OFS-AUTH-005', 'OFS-AUTH-006', 'OFS-AUTH-007'] }, 'a controlled stock change without the pharmacist role is a recorded permission-lost with one audit event', async () => {
    h = await harness();
    const pharm = await h.token('tenant-a', 'phil', ['pharmacist']);
    const nurse = await h.token('tenant-a', 'nina', ['clinician']);
    const admin = await h.token('tenant-a', 'root', ['admin']);
    const item = { type: 'stock-item', id: randomUUID() };
    await h.call('POST', PUSH, { token: pharm, body: { clientId: randomUUID(), mutations: [mutation({ clientSeq: 1, actorId: 'phil', aggregate: item, payload: { sku: 'MOR-10', name: 'Morphine 10mg', quantity: 10, controlled: true } })] } });
    const body = { clientId: randomUUID(), mutations: [mutation({ clientSeq: 1, actorId: 'nina', aggregate: item, op: 'adjust', baseVersion: 1, payload: { delta: -1, reason: 'dispense' } })] };
    const res = await h.call('POST', PUSH, { token: nurse, body });
    const o = (json(res)['outcomes'] as { status: string; problem: { type: string; status: number } }[])[0]!;
    expect(o.status).toBe('rejected');
    expect(o.problem).toMatchObject({ type: ptype('permission-lost'), status: 403 });
    const replay = await h.call('POST', PUSH, { token: nurse, body });
    expect((json(replay)['outcomes'] as { replayed: boolean }[])[0]!.replayed).toBe(true);
    const page = json(await h.call('GET', '/v1/audit/events', { token: admin })) as { entries: { event: { subtype: { code: string }[] } }[] };
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]!.event.subtype.map((s) => s.code)).toContain('permission-lost');
  });
});

describe('actor from the token', () => {
  requirementTest({ id: 'http.actor-mismatch-refused', verifies: ['OFS-AUTH-004'] }, 'a mutation captured by another actor is refused, not recorded, and the rightful actor can still upload it', async () => {
    h = await harness();
    const mallory = await h.token('tenant-a', 'mallory', ['clinician']);
    const alice = await h.token('tenant-a', 'alice', ['clinician']);
    const body = { clientId: randomUUID(), mutations: [mutation({ clientSeq: 1, actorId: 'alice' })] };
    const res = await h.call('POST', PUSH, { token: mallory, body });
    const o = (json(res)['outcomes'] as { status: string; problem?: { type: string; status: number } }[])[0]!;
    expect(o.status).toBe('rejected');
    expect(o.problem).toMatchObject({ type: ptype('actor-mismatch'), status: 403 });
    expect(await h.store.outboxSize()).toBe(0);
    const ok = await h.call('POST', PUSH, { token: alice, body });
    expect((json(ok)['outcomes'] as { status: string; replayed?: boolean }[])[0]).toMatchObject({ status: 'applied' });
  });
});

describe('REST routes', () => {
  requirementTest(
    { id: 'http.rest-idempotency-and-preconditions', verifies: ['OFS-IDEM-003', 'OFS-IDEM-010', 'OFS-IDEM-012', 'OFS-CONF-009', 'OFS-CONF-010', 'OFS-CONF-011', 'OFS-CONF-012'] },
    'REST writes: key required, replay with Idempotent-Replayed, ETag, 428, 412 with current ETag, replay before If-Match',
    async () => {
      h = await harness();
      const token = await h.token('tenant-a', 'alice', ['clinician']);
      const id = randomUUID();
      const create = { id, ...patientPayload('MRN-1') };
      const missing = await h.call('POST', '/v1/clinic/patients', { token, body: create });
      expect(problemOf(missing)).toMatchObject({ type: ptype('idempotency-key-missing'), status: 400 });
      // The key is checked before the body: even a malformed body gets the missing-key answer.
      expect(problemOf(await h.call('POST', '/v1/clinic/patients', { token, raw: '{oops' })).type).toBe(ptype('idempotency-key-missing'));

      const key = { 'idempotency-key': `"${randomUUID()}"` };
      const created = await h.call('POST', '/v1/clinic/patients', { token, body: create, headers: key });
      expect(created.statusCode).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      const replay = await h.call('POST', '/v1/clinic/patients', { token, body: create, headers: key });
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toBe(created.body);
      const reuse = await h.call('POST', '/v1/clinic/patients', { token, body: { ...create, mrn: 'MRN-2' }, headers: key });
      expect(problemOf(reuse)).toMatchObject({ type: ptype('idempotency-key-reuse'), status: 422 });

      const got = await h.call('GET', `/v1/clinic/patients/${id}`, { token });
      expect(got.statusCode).toBe(200);
      expect(got.headers.etag).toBe('"1"');

      const patchKey = { 'idempotency-key': randomUUID() };
      const noIfMatch = await h.call('PATCH', `/v1/clinic/patients/${id}`, { token, body: { givenName: 'Augusta' }, headers: patchKey });
      expect(problemOf(noIfMatch)).toMatchObject({ type: ptype('precondition-required'), status: 428 });
      const patched = await h.call('PATCH', `/v1/clinic/patients/${id}`, { token, body: { givenName: 'Augusta' }, headers: { ...patchKey, 'if-match': '"1"' } });
      expect(patched.statusCode).toBe(200);
      expect(patched.headers.etag).toBe('"2"');
      // The retry of the successful PATCH still says If-Match "1": replay wins, not 412.
      const retried = await h.call('PATCH', `/v1/clinic/patients/${id}`, { token, body: { givenName: 'Augusta' }, headers: { ...patchKey, 'if-match': '"1"' } });
      expect(retried.statusCode).toBe(200);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      const stale = await h.call('PATCH', `/v1/clinic/patients/${id}`, { token, body: { givenName: 'Ada' }, headers: { 'idempotency-key': randomUUID(), 'if-match': '"1"' } });
      expect(problemOf(stale)).toMatchObject({ type: ptype('precondition-failed'), status: 412, currentVersion: 2 });
      expect(stale.headers.etag).toBe('"2"');
      expect(json(await h.call('GET', `/v1/clinic/patients/${id}`, { token }))['version']).toBe(2);
    },
  );

  test('note entries append and unknown sub-collections are 404', async () => {
    h = await harness();
    const token = await h.token('tenant-a', 'alice', ['clinician']);
    const id = randomUUID();
    const created = await h.call('POST', '/v1/clinic/notes', { token, body: { id, patientId: randomUUID(), title: 'Visit' }, headers: { 'idempotency-key': randomUUID() } });
    expect(created.statusCode).toBe(201);
    const appended = await h.call('POST', `/v1/clinic/notes/${id}/entries`, { token, body: { text: 'hello', authoredAt: '2026-01-01T00:00:00Z' }, headers: { 'idempotency-key': randomUUID() } });
    expect(appended.statusCode).toBeLessThan(300);
    const nope = await h.call('POST', `/v1/clinic/notes/${id}/other`, { token, body: {}, headers: { 'idempotency-key': randomUUID() } });
    expect(problemOf(nope).type).toBe(ptype('not-found'));
  });
});

describe('offline audit envelopes over HTTP', () => {
  requirementTest({ id: 'http.envelope-upload', verifies: ['OFS-AUD-008', 'OFS-AUD-012'] }, 'register a device key, upload a chain, replay is 409', async () => {
    h = await harness();
    const token = await h.token('tenant-a', 'alice', ['clinician']);
    const keys = generateKeyPairSync('ed25519');
    const x = (keys.publicKey.export({ format: 'jwk' }) as { x: string }).x;
    const reg = await h.call('PUT', '/v1/audit/devices/tablet-7', { token, body: { publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x } } });
    expect(reg.statusCode).toBe(201);
    expect(json(reg)).toEqual({ deviceId: 'tablet-7', publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x }, head: { seq: 0, hash: GENESIS_HASH } });
    expect((await h.call('PUT', '/v1/audit/devices/tablet-7', { token, body: { publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x } } })).statusCode).toBe(200);
    let prev = GENESIS_HASH;
    const envelopes = [1, 2].map((seq) => {
      const bytes = Buffer.from(JSON.stringify({ deviceId: 'tablet-7', seq, prevHash: prev, record: { action: 'read', what: 'Patient/x' } }));
      prev = payloadHash(bytes);
      return signEnvelope(AUDIT_RECORD_PAYLOAD_TYPE, bytes, keys.privateKey);
    });
    const up = await h.call('POST', '/v1/audit/envelopes', { token, body: { deviceId: 'tablet-7', envelopes } });
    expect(up.statusCode).toBe(200);
    expect(json(up)).toEqual({ accepted: 2, head: { seq: 2, hash: prev } });
    const replay = await h.call('POST', '/v1/audit/envelopes', { token, body: { deviceId: 'tablet-7', envelopes: [envelopes[1]] } });
    expect(problemOf(replay)).toMatchObject({ type: ptype('envelope-replayed'), status: 409 });
    const auditor = await h.token('tenant-a', 'audrey', ['auditor']);
    expect(problemOf(await h.call('POST', '/v1/audit/envelopes', { token: auditor, body: { deviceId: 'tablet-7', envelopes } })).type).toBe(ptype('forbidden'));
    expect(problemOf(await h.call('PUT', '/v1/audit/devices/bad.id', { token, body: { publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x } } })).status).toBe(400);
    const withPrivate = await h.call('PUT', '/v1/audit/devices/tablet-8', { token, body: { publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x, d: x } } });
    expect(problemOf(withPrivate).errors?.[0]?.pointer).toBe('/publicKeyJwk/d');
  });
});

describe('ops routes', () => {
  test('healthz, jwks and dev tokens with the dev issuer', async () => {
    h = await harness();
    expect(json(await h.call('GET', '/healthz'))).toEqual({ status: 'ok' });
    const jwks = json(await h.call('GET', '/.well-known/jwks.json')) as { keys: { kid: string }[] };
    expect(jwks.keys[0]!.kid).toBe(h.issuer.kid);
    const minted = await h.call('POST', '/v1/dev/tokens', { body: { tenantId: 'tenant-a', sub: 'alice', roles: ['clinician'] } });
    expect(minted.statusCode).toBe(201);
    const token = json(minted)['token'] as string;
    expect((await h.call('GET', '/v1/sync/clinic/pull', { token })).statusCode).toBe(200);
    expect(problemOf(await h.call('POST', '/v1/dev/tokens', { body: { tenantId: 'a.b', sub: 'x', roles: [] } })).type).toBe(ptype('invalid-tenant-id'));
    expect(problemOf(await h.call('POST', '/v1/dev/tokens', { body: { tenantId: 'a', sub: 'x', roles: ['root'] } })).type).toBe(ptype('validation-failed'));
  });

  test('without the dev issuer, jwks and dev tokens are 404', async () => {
    const { createTokenVerifier } = await import('../../src/auth/token-verifier.js');
    const { createDevIssuer } = await import('../../src/auth/dev-issuer.js');
    const other = await createDevIssuer();
    h = await harness({ devIssuer: undefined, verifier: createTokenVerifier(other.verifierOptions()) });
    expect(problemOf(await h.call('GET', '/.well-known/jwks.json')).status).toBe(404);
    expect(problemOf(await h.call('POST', '/v1/dev/tokens', { body: { tenantId: 'a', sub: 'x', roles: [] } })).status).toBe(404);
    const token = await other.mint({ tenantId: 'a', sub: 'x', roles: ['clinician'] });
    expect((await h.call('GET', '/v1/sync/clinic/pull', { token })).statusCode).toBe(200);
  });
});
