import { describe, expect, test } from 'vitest';
import { pushResponseBody } from '../../src/domain/push.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { coreWith, ctxOf, mutation, outcomesOf, payloads, pushBody, uuid } from './fixtures.js';

const PATIENT = uuid(9, 9);
const create = (cmid = uuid(3, 1), seq = 1, status = 'planned') =>
  mutation({ cmid, seq, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(PATIENT, status) });

describe('idempotency defects change behaviour', () => {
  test('dedup-ignores-tenant: tenant B gets tenant A’s outcome as a replay', () => {
    for (const [defect, replayed] of [[undefined, false], ['dedup-ignores-tenant', true]] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('a'), pushBody(uuid(1, 1), [create()]));
      const [o] = outcomesOf(c.push(ctxOf('b'), pushBody(uuid(1, 1), [create()])));
      expect((o as { replayed?: boolean }).replayed === true, String(defect)).toBe(replayed);
    }
  });

  test('reapply-duplicates: a duplicate adjust is applied twice', () => {
    const item = uuid(2, 7);
    const body = pushBody(uuid(1, 1), [
      mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: item, op: 'create', payload: payloads.stock('S', 10) }),
      mutation({ cmid: uuid(3, 2), seq: 2, type: 'stock-item', id: item, op: 'adjust', payload: { delta: -1, reason: 'dispense' } }),
    ]);
    for (const [defect, quantity] of [[undefined, 9], ['reapply-duplicates', 8]] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('t'), body);
      c.push(ctxOf('t'), body);
      expect(c.store.findAggregate('t', 'stock-item', item)?.state['quantity'], String(defect)).toBe(quantity);
    }
  });

  test('skip-fingerprint-check: a reused key with another payload gets the cached outcome', () => {
    for (const [defect, status] of [[undefined, 'rejected'], ['skip-fingerprint-check', 'applied']] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('t'), pushBody(uuid(1, 1), [create()]));
      const [o] = outcomesOf(c.push(ctxOf('t'), pushBody(uuid(1, 1), [create(uuid(3, 1), 1, 'finished')])));
      expect(o?.status, String(defect)).toBe(status);
    }
  });

  test('replay-different-body: a duplicate is answered without the recorded fields', () => {
    for (const [defect, hasVersion] of [[undefined, true], ['replay-different-body', false]] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('t'), pushBody(uuid(1, 1), [create()]));
      const r = c.push(ctxOf('t'), pushBody(uuid(1, 1), [create()]));
      expect(outcomesOf(r)[0]).toMatchObject({ status: 'applied', replayed: true });
      if (!r.ok) throw new Error('push refused');
      expect('newVersion' in (outcomesOf(r)[0] as object), String(defect)).toBe(hasVersion);
      expect(pushResponseBody(r.value).includes('"newVersion":1'), String(defect)).toBe(hasVersion);
    }
  });

  test('idempotency-record-outside-tx: after the push commits, the record is not stored yet; a restart re-decides the retry', () => {
    for (const [defect, recorded] of [[undefined, true], ['idempotency-record-outside-tx', false]] as const) {
      const disk = createMemoryStore();
      const c = coreWith(defect, disk);
      c.push(ctxOf('t'), pushBody(uuid(1, 1), [create()]));
      expect(disk.findAggregate('t', 'encounter', uuid(2, 1))?.version).toBe(1);
      const rec = disk.transaction({ tenantId: 't', idempotencyKeys: [uuid(3, 1)] }, (tx) => tx.getIdempotency('t', uuid(3, 1)));
      expect(rec !== undefined, String(defect)).toBe(recorded);
      // The process dies here (its write-behind buffer with it); a restarted server gets the retry.
      const [o] = outcomesOf(coreWith(undefined, disk).push(ctxOf('t'), pushBody(uuid(1, 1), [create()])));
      expect((o as { replayed?: boolean }).replayed === true, String(defect)).toBe(recorded);
    }
  });

  test('idempotency-record-outside-tx: without a crash the write-behind catches up before the next transaction', () => {
    const c = coreWith('idempotency-record-outside-tx');
    c.push(ctxOf('t'), pushBody(uuid(1, 1), [create()]));
    expect(outcomesOf(c.push(ctxOf('t'), pushBody(uuid(1, 1), [create()])))[0]).toMatchObject({ replayed: true });
  });

  test('ack-before-commit: the applied create is not in the store', () => {
    for (const [defect, stored] of [[undefined, true], ['ack-before-commit', false]] as const) {
      const c = coreWith(defect);
      expect(outcomesOf(c.push(ctxOf('t'), pushBody(uuid(1, 1), [create()])))[0]?.status).toBe('applied');
      expect(c.store.findAggregate('t', 'encounter', uuid(2, 1)) !== undefined, String(defect)).toBe(stored);
    }
  });
});
