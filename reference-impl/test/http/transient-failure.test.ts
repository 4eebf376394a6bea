/**
 * TR §3.3: a failure before a decision (a 5xx) is not recorded, so the client's retry of the same
 * mutation is processed anew instead of replaying the failure.
 */
import { afterEach, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import type { StoreTx, SyncStore } from '../../src/ports/store.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { harness, json, mutation, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A memory store whose next `failures` transactions throw after the core has made its writes. */
function storeFailingTransactions(failures: number): SyncStore {
  const inner = createMemoryStore() as SyncStore;
  let left = failures;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'transaction') return Reflect.get(target, prop, receiver);
      return <T>(scope: Parameters<SyncStore['transaction']>[0], fn: (tx: StoreTx) => T): T =>
        target.transaction(scope, (tx) => {
          const result = fn(tx);
          if (left > 0) {
            left -= 1;
            // Thrown inside the transaction: the store rolls back everything the core wrote.
            throw new Error('disk unavailable (injected)');
          }
          return result;
        });
    },
  });
}

requirementTest(
  { id: 'http.transient-failure-not-recorded', verifies: ['OFS-IDEM-006', 'OFS-SEC-007'] },
  'a push that fails before its decision commits answers 5xx, records nothing, and its retry is applied anew',
  async () => {
    h = await harness({ store: storeFailingTransactions(1) });
    const token = await h.token('tenant-a', 'alice', ['clinician']);
    const body = { clientId: '6f1c9d1e-7a2b-4c3d-8e9f-0a1b2c3d4e5f', mutations: [mutation({ clientSeq: 1, actorId: 'alice' })] };

    const first = await h.call('POST', '/v1/sync/clinic/push', { token, body });
    expect(first.statusCode).toBeGreaterThanOrEqual(500);
    expect(first.headers['content-type']).toContain('application/problem+json');

    const retry = await h.call('POST', '/v1/sync/clinic/push', { token, body });
    expect(retry.statusCode).toBe(200);
    const [outcome] = json(retry)['outcomes'] as Record<string, unknown>[];
    expect(outcome?.['status']).toBe('applied');
    expect(outcome?.['replayed']).toBeUndefined();

    const again = await h.call('POST', '/v1/sync/clinic/push', { token, body });
    const [replay] = json(again)['outcomes'] as Record<string, unknown>[];
    expect(replay).toEqual({ ...outcome, replayed: true });
  },
);
