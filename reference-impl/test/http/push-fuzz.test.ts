import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { harness, type Harness } from './harness.js';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await harness();
  token = await h.token('tenant-a', 'alice', ['clinician']);
});
afterAll(async () => {
  await h?.close();
});

// Values that look like pushes (so the fuzzer gets past the first checks) mixed with any JSON.
const uuidish = fc.oneof(fc.uuid(), fc.string(), fc.constant(randomUUID()));
const mutationish = fc.record(
  {
    clientMutationId: uuidish,
    clientSeq: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.string(), fc.double()),
    aggregate: fc.oneof(fc.record({ type: fc.constantFrom('patient', 'encounter', 'note', 'stock-item', 'x', ''), id: uuidish }), fc.jsonValue()),
    op: fc.constantFrom('create', 'update', 'append', 'adjust', 'nope'),
    baseVersion: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.jsonValue()),
    payload: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())),
    capturedAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
    actorId: fc.constantFrom('alice', 'bob', ''),
  },
  { requiredKeys: [] },
);
const pushish = fc.oneof(
  fc.jsonValue(),
  fc.record({ clientId: uuidish, tenantId: fc.oneof(fc.constant('tenant-a'), fc.string()), mutations: fc.array(mutationish, { maxLength: 4 }) }, { requiredKeys: ['mutations'] }),
);

describe('push fuzzing', () => {
  requirementTest({ id: 'http.push-fuzz-no-5xx', verifies: ['OFS-SEC-006', 'OFS-SEC-005'], timeout: 120_000 }, 'arbitrary JSON at the push endpoint never yields a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(pushish, fc.boolean(), async (value, asText) => {
        const raw = asText ? JSON.stringify(value).slice(0, -1) : JSON.stringify(value);
        const res = await h.call('POST', '/v1/sync/clinic/push', { token, raw: raw ?? 'null' });
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode >= 400) expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 400, seed: 20261126 },
    );
    expect(h.logs.filter((l) => /internal error|breaks contract/.test(l))).toEqual([]);
  });
});
