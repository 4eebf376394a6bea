import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { harness, json, problemOf, ptype, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const HOLD = 'syncproof-test-hold-ms';

function encounter(): Record<string, unknown> {
  return { id: randomUUID(), patientId: randomUUID(), status: 'planned' };
}

describe('test hooks (host contract §5)', () => {
  requirementTest(
    { id: 'http.test-hold-shows-in-flight', verifies: ['OFS-IDEM-011'] },
    'with test hooks on, a duplicate sent while a held REST write is in flight gets 409 idempotency-key-in-flight (SQLite)',
    async () => {
      const store = openSqliteStore({ filename: ':memory:' });
      h = await harness({ store, testHooks: true });
      try {
        const token = await h.token('tenant-a', 'alice', ['clinician']);
        const key = randomUUID();
        const body = encounter();
        const headers = { 'idempotency-key': key };
        const held = h.call('POST', '/v1/clinic/encounters', { token, body, headers: { ...headers, [HOLD]: '300' } });
        await new Promise((r) => setTimeout(r, 50));
        const duplicate = await h.call('POST', '/v1/clinic/encounters', { token, body, headers });
        expect(duplicate.statusCode).toBe(409);
        expect(problemOf(duplicate).type).toBe(ptype('idempotency-key-in-flight'));
        // The in-flight answer is not recorded: the held write still decides, and then replays.
        const first = await held;
        expect(first.statusCode).toBe(201);
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        const after = await h.call('POST', '/v1/clinic/encounters', { token, body, headers });
        expect(after.statusCode).toBe(201);
        expect(after.headers['idempotent-replayed']).toBe('true');
        expect(after.body).toBe(first.body);
        // A PATCH is held the same way.
        const patchKey = randomUUID();
        const patch = { status: 'in-progress' };
        const patchHeaders = { 'idempotency-key': patchKey, 'if-match': '"1"' };
        const heldPatch = h.call('PATCH', `/v1/clinic/encounters/${String(body['id'])}`, { token, body: patch, headers: { ...patchHeaders, [HOLD]: '200' } });
        await new Promise((r) => setTimeout(r, 50));
        const dupPatch = await h.call('PATCH', `/v1/clinic/encounters/${String(body['id'])}`, { token, body: patch, headers: patchHeaders });
        expect(problemOf(dupPatch).type).toBe(ptype('idempotency-key-in-flight'));
        expect((await heldPatch).statusCode).toBe(200);
      } finally {
        store.close();
      }
    },
  );

  test('with test hooks on, a malformed or too long hold is 400 validation-failed and writes nothing', async () => {
    h = await harness({ testHooks: true });
    const token = await h.token('tenant-a', 'alice', ['clinician']);
    for (const value of ['soon', '-1', '10001', '1.5']) {
      const body = encounter();
      const res = await h.call('POST', '/v1/clinic/encounters', { token, body, headers: { 'idempotency-key': randomUUID(), [HOLD]: value } });
      expect(res.statusCode, value).toBe(400);
      expect(problemOf(res).type).toBe(ptype('validation-failed'));
      expect((await h.call('GET', `/v1/clinic/encounters/${String(body['id'])}`, { token })).statusCode).toBe(404);
    }
  });

  test('without test hooks the header is ignored: no hold, no 400', async () => {
    h = await harness();
    const token = await h.token('tenant-a', 'alice', ['clinician']);
    const key = randomUUID();
    const body = encounter();
    const held = h.call('POST', '/v1/clinic/encounters', { token, body, headers: { 'idempotency-key': key, [HOLD]: '5000' } });
    const duplicate = await h.call('POST', '/v1/clinic/encounters', { token, body, headers: { 'idempotency-key': key } });
    // Held, the duplicate would be 409 in flight; unheld, one of the two applies and the other replays.
    expect(duplicate.statusCode).toBe(201);
    const first = await held;
    expect(first.statusCode).toBe(201);
    expect([first.headers['idempotent-replayed'], duplicate.headers['idempotent-replayed']].filter((v) => v === 'true')).toHaveLength(1);
    const bad = await h.call('POST', '/v1/clinic/encounters', { token, body: encounter(), headers: { 'idempotency-key': randomUUID(), [HOLD]: 'soon' } });
    expect(bad.statusCode).toBe(201);
    expect(json(bad)['version']).toBe(1);
  });
});
