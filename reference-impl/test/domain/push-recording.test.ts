/**
 * What a push records and how (TR §3, §4): the idempotency keys a synchronous store is told to
 * prefetch, re-recording a key whose record expired, aborting when a record for the key appears
 * concurrently, and the recorded outcome bytes.
 */
import { describe, expect, test } from 'vitest';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { createCore } from '../../src/domain/core.js';
import { defectSet } from '../../src/domain/defects.js';
import { moduleRegistry } from '../../src/domain/module.js';
import { outcomeJson, pushResponseBody, replayJson } from '../../src/domain/push.js';
import type { Outcome } from '../../src/domain/types.js';
import { ManualClock } from '../../src/ports/clock.js';
import { StoreError, type StoreTx, type SyncStore } from '../../src/ports/store.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { recordingSyncStore } from './async-store.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, problemOf, pushBody, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);
const ctx = ctxOf('t1');
const enc = (seq: number, cmid = uuid(3, seq), id = uuid(2, seq)) => mutation({ cmid, seq, type: 'encounter', id, op: 'create', payload: payloads.encounter(PATIENT) });

function coreOver(store: SyncStore, defects: string[] = []) {
  return createCore({ store, clock: new ManualClock(Date.UTC(2026, 0, 1)), modules: moduleRegistry(clinicModule), defects: defectSet(defects) });
}

describe('the scope of a push on a synchronous store', () => {
  test('names the tenant and the push’s idempotency keys in order', () => {
    const { store, scopes, misses } = recordingSyncStore();
    outcomesOf(coreOver(store).push(ctx, 'clinic', pushBody(uuid(1, 1), [enc(1), enc(2), enc(3)])));
    expect(scopes).toEqual([{ tenantId: 't1', idempotencyKeys: [uuid(3, 1), uuid(3, 2), uuid(3, 3)] }]);
    expect(misses.filter((m) => m.startsWith('idempotency'))).toEqual([]);
  });

  test('with dedup-ignores-tenant planted the keys are read across tenants', () => {
    const { store, scopes } = recordingSyncStore();
    outcomesOf(coreOver(store, ['dedup-ignores-tenant']).push(ctx, 'clinic', pushBody(uuid(1, 1), [enc(1)])));
    expect(scopes[0]?.tenantId).toBe('*');
  });
});

describe('re-recording and concurrent records', () => {
  test('after retention a key may name a new mutation: it is decided and recorded anew, then replayed', () => {
    const { core, clock, store } = makeCore({ config: { idempotencyRetentionMs: 1000 } });
    outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [enc(1)])));
    clock.advance(1000);
    // The same clientMutationId for another mutation (next seq) after the record expired.
    const reused = enc(2, uuid(3, 1), uuid(2, 7));
    const [o] = outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [reused])));
    expect(o).toMatchObject({ status: 'applied', newVersion: 1 });
    expect(o).not.toHaveProperty('replayed');
    expect(store.findAggregate('t1', 'encounter', uuid(2, 7))?.version).toBe(1);
    const [again] = outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [reused])));
    expect(again).toMatchObject({ status: 'applied', replayed: true });
  });

  test('a record of the key that appears during the push aborts it with an integrity error, changing nothing', () => {
    const mem = createMemoryStore();
    const core = coreOver(mem);
    outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [enc(1)])));
    // Another writer's record is invisible to this transaction's read but there at insert time.
    const racing: SyncStore = new Proxy(mem, {
      get(target, prop, receiver) {
        if (prop === 'transaction') {
          return <T>(scope: Parameters<SyncStore['transaction']>[0], fn: (tx: StoreTx) => T): T =>
            mem.transaction(scope, (tx) => fn(new Proxy(tx, { get: (t, p) => (p === 'getIdempotency' ? () => undefined : Reflect.get(t, p) as unknown) })));
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const outbox = mem.outboxSize();
    let error: unknown;
    try {
      coreOver(racing).push(ctx, 'clinic', pushBody(uuid(1, 2), [enc(1, uuid(3, 1), uuid(2, 1)), enc(2, uuid(3, 9), uuid(2, 9))]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('integrity');
    expect(mem.outboxSize()).toBe(outbox);
    expect(mem.findAggregate('t1', 'encounter', uuid(2, 1))?.version).toBe(1);
    expect(mem.listConflicts('t1', 'clinic', 'open')).toEqual([]);
    expect(mem.findAggregate('t1', 'encounter', uuid(2, 9))).toBeUndefined();
  });
});

describe('recorded bytes', () => {
  test('outcomeJson is canonical JSON for every kind of outcome', () => {
    const applied: Outcome = { clientMutationId: uuid(3, 1), clientSeq: 1, status: 'applied', newVersion: 2, etag: '"2"', eventId: uuid(5, 1) };
    const outcomes: Outcome[] = [
      applied,
      { ...applied, replayed: true },
      { clientMutationId: uuid(3, 1), clientSeq: 2, status: 'rejected', problem: { type: 'https://syncproof.dev/problems/out-of-order', title: 'Out of order', status: 409, expectedSeq: 1 } },
      { clientMutationId: uuid(3, 1), clientSeq: 3, status: 'blocked', blockedBy: uuid(6, 1) },
      { clientMutationId: uuid(3, 1), clientSeq: 4, status: 'duplicate-expired', replayed: true },
      { clientMutationId: uuid(3, 1), clientSeq: 5, status: 'not-processed' },
    ];
    for (const o of outcomes) expect(outcomeJson(o), o.status).toBe(canonicalJson(o));
  });

  test('a replay inserts "replayed":true before the closing brace of the recorded bytes', () => {
    expect(replayJson('{"a":1}')).toBe('{"a":1,"replayed":true}');
  });

  test('the response body lists the outcome bytes in order', () => {
    const { core } = makeCore();
    const r = core.push(ctx, 'clinic', pushBody(uuid(1, 1), [enc(1), enc(3)]));
    if (!r.ok) throw new Error('refused');
    expect(JSON.parse(pushResponseBody(r.value))).toEqual({ outcomes: JSON.parse(JSON.stringify(r.value.outcomes)) });
    expect(pushResponseBody(r.value)).toBe(`{"outcomes":[${r.value.outcomeJson.join(',')}]}`);
  });

  test('a push of several replays and new outcomes carries each one’s bytes', () => {
    const { core } = makeCore();
    const first = core.push(ctx, 'clinic', pushBody(uuid(1, 1), [enc(1)]));
    const second = core.push(ctx, 'clinic', pushBody(uuid(1, 1), [enc(1), enc(2)]));
    if (!first.ok || !second.ok) throw new Error('refused');
    expect(second.value.outcomeJson[0]).toBe(replayJson(first.value.outcomeJson[0] as string));
    expect(second.value.outcomeJson[1]).toBe(canonicalJson(second.value.outcomes[1]));
  });
});

describe('permission-lost without an audit recorder', () => {
  test('is still rejected, recorded and reported as due', () => {
    const { core } = makeCore({ audit: false });
    const r = core.push(ctxOf('t1', 'alice', ['auditor']), 'clinic', pushBody(uuid(1, 1), [enc(1)]));
    const [o] = outcomesOf(r);
    expect(problemOf(o)).toBe('permission-lost');
    expect(r.ok && r.value.audits).toEqual([
      expect.objectContaining({ kind: 'permission-lost', outcome: '4', sourceId: `permission-lost:${uuid(3, 1)}`, versionDetail: { base: 0, server: 0 }, versions: [], patientRef: `Patient/${PATIENT}` }),
    ]);
    const again = core.push(ctxOf('t1', 'alice', ['auditor']), 'clinic', pushBody(uuid(1, 1), [enc(1)]));
    expect(outcomesOf(again)[0]).toMatchObject({ status: 'rejected', replayed: true });
  });
});
