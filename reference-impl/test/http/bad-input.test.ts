import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { harness, json, mutation, problemOf, ptype, type Harness } from './harness.js';

const PUSH = '/v1/sync/clinic/push';
let h: Harness;
let token: string;
const clientId = randomUUID();

function nest(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) v = { n: v };
  return v;
}

function good(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { clientId, mutations: [mutation({ clientSeq: 1, actorId: 'alice', ...over })] };
}

interface Case {
  readonly name: string;
  readonly raw?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly type: string;
  /** A JSON pointer the problem must name (in errors[] or detail). */
  readonly names?: string;
}

const cases: Case[] = [
  { name: 'malformed JSON', raw: '{"clientId": ', status: 400, type: 'malformed-json' },
  { name: 'trailing garbage', raw: '{"clientId":"x"} x', status: 400, type: 'malformed-json' },
  { name: 'empty body', raw: '', status: 400, type: 'malformed-json' },
  { name: 'array body', body: [], status: 400, type: 'validation-failed' },
  { name: 'string body', body: 'push', status: 400, type: 'validation-failed' },
  { name: 'null body', raw: 'null', status: 400, type: 'validation-failed' },
  { name: 'duplicate member names', raw: `{"clientId":"${clientId}","clientId":"${randomUUID()}","mutations":[]}`, status: 400, type: 'validation-failed', names: '/clientId' },
  { name: 'clientId of the wrong type', body: { ...good(), clientId: 5 }, status: 400, type: 'validation-failed', names: '/clientId' },
  { name: 'clientSeq as a string', body: good({ clientSeq: '1' }), status: 400, type: 'validation-failed', names: '/mutations/0/clientSeq' },
  { name: 'baseVersion negative', body: good({ baseVersion: -1 }), status: 400, type: 'validation-failed', names: '/mutations/0/baseVersion' },
  { name: 'op outside the enum', body: good({ op: 'delete' }), status: 400, type: 'validation-failed', names: '/mutations/0/op' },
  { name: 'payload not an object', body: good({ payload: [1, 2] }), status: 400, type: 'validation-failed', names: '/mutations/0/payload' },
  { name: 'unknown member', body: { ...good(), extra: true }, status: 400, type: 'validation-failed', names: '/extra' },
  { name: 'missing mutations', body: { clientId }, status: 400, type: 'validation-failed', names: '/mutations' },
  { name: 'empty mutations', body: { clientId, mutations: [] }, status: 400, type: 'validation-failed', names: '/mutations' },
  { name: 'invalid clientId UUID', body: { ...good(), clientId: 'not-a-uuid' }, status: 400, type: 'validation-failed', names: '/clientId' },
  { name: 'invalid clientMutationId UUID', body: good({ clientMutationId: '1234' }), status: 400, type: 'validation-failed', names: '/mutations/0/clientMutationId' },
  { name: 'invalid aggregate id UUID', body: good({ aggregate: { type: 'encounter', id: 'x' } }), status: 400, type: 'validation-failed', names: '/mutations/0/aggregate/id' },
  { name: 'capturedAt not a date-time', body: good({ capturedAt: 'yesterday' }), status: 400, type: 'validation-failed', names: '/mutations/0/capturedAt' },
  { name: 'unknown aggregate type', body: good({ aggregate: { type: 'spaceship', id: randomUUID() } }), status: 422, type: 'unknown-aggregate-type', names: '/mutations/0/aggregate/type' },
  { name: 'aggregate type with a subject wildcard', body: good({ aggregate: { type: 'a.>', id: randomUUID() } }), status: 400, type: 'validation-failed', names: '/mutations/0/aggregate/type' },
  ...['.', '*', '>', ' t', 't t', 'a\tb', '', 'x'.repeat(65)].map(
    (t): Case => ({ name: `body tenantId ${JSON.stringify(t)}`, body: { ...good(), tenantId: t }, status: 400, type: 'invalid-tenant-id' }),
  ),
  ...['.', '*', '>', 'a b'].map((t): Case => ({ name: `X-Tenant-Id ${JSON.stringify(t)}`, body: good(), headers: { 'x-tenant-id': t }, status: 400, type: 'invalid-tenant-id' })),
  { name: 'body tenantId of another tenant', body: { ...good(), tenantId: 'tenant-b' }, status: 403, type: 'tenant-mismatch' },
  { name: 'X-Tenant-Id of another tenant', body: good(), headers: { 'x-tenant-id': 'tenant-b' }, status: 403, type: 'tenant-mismatch' },
  { name: 'payload nested deeper than 32', body: good({ payload: { patientId: randomUUID(), status: 'planned', deep: nest(40) } }), status: 400, type: 'validation-failed', names: '/mutations/0/payload' },
  { name: 'body nested absurdly deep', raw: `${'['.repeat(5000)}${']'.repeat(5000)}`, status: 400, type: 'validation-failed' },
  { name: 'string over 64 KiB', body: good({ payload: { patientId: randomUUID(), status: 'planned', reason: 'x'.repeat(70_000) } }), status: 400, type: 'validation-failed', names: '/mutations/0/payload' },
  {
    name: 'duplicate clientMutationId in one batch',
    body: (() => {
      const m = mutation({ clientSeq: 1, actorId: 'alice' });
      return { clientId, mutations: [m, { ...m, clientSeq: 2 }] };
    })(),
    status: 400,
    type: 'validation-failed',
    names: '/mutations/1/clientMutationId',
  },
  { name: 'batch of 501', body: { clientId, mutations: Array.from({ length: 501 }, (_, i) => mutation({ clientSeq: i + 1, actorId: 'alice' })) }, status: 413, type: 'batch-too-large' },
  { name: 'body over 1 MiB', raw: JSON.stringify({ clientId, mutations: [mutation({ clientSeq: 1, actorId: 'alice', payload: { pad: 'x'.repeat(1_100_000) } })] }), status: 413, type: 'payload-too-large' },
  { name: 'text/plain body', raw: JSON.stringify(good()), headers: { 'content-type': 'text/plain' }, status: 415, type: 'unsupported-media-type' },
  { name: 'form body', raw: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, type: 'unsupported-media-type' },
  { name: 'JSON in latin1', raw: JSON.stringify(good()), headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, type: 'unsupported-media-type' },
];

beforeAll(async () => {
  h = await harness();
  token = await h.token('tenant-a', 'alice', ['clinician']);
});
afterAll(async () => {
  await h?.close();
});

async function nothingStored(): Promise<void> {
  expect(await h.store.outboxSize()).toBe(0);
  const pull = json(await h.call('GET', '/v1/sync/clinic/pull', { token }));
  expect(pull['changes']).toEqual([]);
  const conflicts = json(await h.call('GET', '/v1/sync/clinic/conflicts', { token }));
  expect(conflicts['conflicts']).toEqual([]);
}

describe('bad input to the push endpoint', () => {
  requirementTest(
    { id: 'http.bad-input-4xx-problem-nothing-stored', verifies: ['OFS-SEC-005', 'OFS-SEC-006', 'OFS-SEC-007', 'OFS-SYNC-016', 'OFS-TEN-004', 'OFS-TEN-001'] },
    'each malformed push is a 4xx problem+json naming the field, and nothing is stored',
    async () => {
      for (const c of cases) {
        const res = await h.call('POST', PUSH, { token, ...(c.raw !== undefined ? { raw: c.raw } : { body: c.body }), ...(c.headers ? { headers: c.headers } : {}) });
        expect(res.statusCode, `${c.name}: ${res.body.slice(0, 300)}`).toBe(c.status);
        const p = problemOf(res);
        expect(p.type, c.name).toBe(ptype(c.type));
        if (c.names) {
          const named = (p.errors ?? []).some((e) => e.pointer.startsWith(c.names!)) || (p.detail ?? '').includes(c.names);
          expect(named, `${c.name} should name ${c.names}: ${res.body.slice(0, 300)}`).toBe(true);
        }
      }
      await nothingStored();
      // The client's sequence was not consumed by any refused request.
      const ok = await h.call('POST', PUSH, { token, body: good() });
      expect((json(ok)['outcomes'] as { status: string }[])[0]!.status).toBe('applied');
    },
  );

  requirementTest({ id: 'http.oversize-413', verifies: ['OFS-SEC-008'] }, 'oversized body and batch are 413 naming the limit', async () => {
    const big = await h.call('POST', PUSH, { token, raw: `{"pad":"${'x'.repeat(1_048_577)}"}` });
    expect(problemOf(big)).toMatchObject({ status: 413, type: ptype('payload-too-large'), limit: 1_048_576 });
    const many = await h.call('POST', PUSH, { token, body: { clientId: randomUUID(), mutations: Array.from({ length: 600 }, (_, i) => mutation({ clientSeq: i + 1, actorId: 'alice' })) } });
    expect(problemOf(many)).toMatchObject({ status: 413, type: ptype('batch-too-large'), limit: 500 });
  });

  test('unknown routes, methods and bad URLs are problems too', async () => {
    expect(problemOf(await h.call('GET', '/v2/whatever')).status).toBe(404);
    expect(problemOf(await h.call('DELETE', PUSH, { token })).status).toBe(404);
    expect(problemOf(await h.call('GET', '/v1/sync/clinic/pull?cursor=%E0%A4%A', { token })).status).toBe(400);
    expect(problemOf(await h.call('GET', '/v1/sync/clinic/pull?cursor=garbage', { token })).status).toBe(400);
    expect(problemOf(await h.call('GET', '/v1/sync/clinic/conflicts?status=maybe', { token })).status).toBe(400);
    expect(problemOf(await h.call('POST', '/v1/sync/nosuchmodule/push', { token, body: good() })).status).toBe(404);
    expect(problemOf(await h.call('POST', `/v1/sync/clinic/conflicts/${randomUUID()}/resolve`, { token, body: { resolution: 'take-client' } })).status).toBe(404);
    expect(problemOf(await h.call('POST', `/v1/sync/clinic/conflicts/${randomUUID()}/resolve`, { token, body: { resolution: 'whatever' } })).status).toBe(400);
  });
});
