import { describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { pushResponseBody } from '../../src/domain/push.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, problemOf, pushBody, uuid } from './helpers.js';

const CLIENT = uuid(1, 1);
const PATIENT = uuid(9, 9);

function encounterCreate(seq: number, id = uuid(2, seq), cmid = uuid(3, seq)) {
  return mutation({ cmid, seq, type: 'encounter', id, op: 'create', payload: payloads.encounter(PATIENT) });
}

describe('push idempotency', () => {
  requirementTest(
    { id: 'core.idem.duplicate-replays-applied', verifies: ['OFS-IDEM-002', 'OFS-IDEM-005'] },
    'a duplicate of an applied mutation returns the recorded outcome byte-identical plus replayed: true',
    () => {
      const { core } = makeCore();
      const ctx = ctxOf('t1');
      const body = pushBody(CLIENT, [encounterCreate(1)]);
      const first = core.push(ctx, 'clinic', body);
      const second = core.push(ctx, 'clinic', body);
      expect(first.ok && second.ok).toBe(true);
      if (!first.ok || !second.ok) return;
      expect(first.value.outcomes[0]?.status).toBe('applied');
      expect(second.value.outcomes[0]).toEqual({ ...first.value.outcomes[0], replayed: true });
      const a = first.value.outcomeJson[0] as string;
      const b = second.value.outcomeJson[0] as string;
      expect(b).not.toBe(a);
      expect(b.replace(',"replayed":true', '')).toBe(a);
      expect(pushResponseBody(second.value)).toContain('"replayed":true');
    },
  );

  requirementTest(
    { id: 'core.idem.duplicate-replays-rejected-and-conflict', verifies: ['OFS-IDEM-005'] },
    'rejected and conflict outcomes are recorded and replayed byte-identically too',
    () => {
      const { core } = makeCore();
      const ctx = ctxOf('t1');
      const stock = uuid(4, 1);
      core.push(ctx, 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(5, 1), seq: 1, type: 'stock-item', id: stock, op: 'create', payload: payloads.stock('S1', 1) })]));
      const enc = uuid(2, 1);
      const body = pushBody(CLIENT, [
        encounterCreate(1, enc),
        mutation({ cmid: uuid(3, 2), seq: 2, type: 'stock-item', id: stock, op: 'adjust', payload: { delta: -5, reason: 'dispense' } }),
        mutation({ cmid: uuid(3, 3), seq: 3, type: 'encounter', id: enc, op: 'update', base: 0, payload: { status: 'finished' } }),
      ]);
      const first = core.push(ctx, 'clinic', body);
      const second = core.push(ctx, 'clinic', body);
      if (!first.ok || !second.ok) throw new Error('push refused');
      expect(first.value.outcomes.map((o) => o.status)).toEqual(['applied', 'rejected', 'conflict']);
      for (let i = 0; i < 3; i++) {
        expect(second.value.outcomes[i]).toMatchObject({ replayed: true });
        expect((second.value.outcomeJson[i] as string).replace(',"replayed":true', '')).toBe(first.value.outcomeJson[i]);
      }
    },
  );

  requirementTest(
    { id: 'core.idem.scope-includes-tenant', verifies: ['OFS-IDEM-004', 'OFS-TEN-006'] },
    'the same clientMutationId in two tenants is two independent mutations',
    () => {
      const { core, store } = makeCore();
      const body = pushBody(CLIENT, [encounterCreate(1)]);
      const a = outcomesOf(core.push(ctxOf('tenant-a'), 'clinic', body));
      const b = outcomesOf(core.push(ctxOf('tenant-b'), 'clinic', body));
      expect(a[0]?.status).toBe('applied');
      expect(b[0]?.status).toBe('applied');
      expect(b[0]).not.toHaveProperty('replayed');
      // Event ids derive from (tenant, clientMutationId): different per tenant.
      expect(a[0]?.status === 'applied' && b[0]?.status === 'applied' && a[0].eventId !== b[0].eventId).toBe(true);
      expect(store.findAggregate('tenant-a', 'encounter', uuid(2, 1))?.version).toBe(1);
      expect(store.findAggregate('tenant-b', 'encounter', uuid(2, 1))?.version).toBe(1);
    },
  );

  requirementTest(
    { id: 'core.idem.fingerprint-mismatch', verifies: ['OFS-IDEM-007'] },
    'reusing a clientMutationId with another payload is rejected idempotency-key-reuse, never the cached outcome',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [encounterCreate(1)])));
      const altered = mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(PATIENT, 'finished') });
      const [o] = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [altered])));
      expect(problemOf(o)).toBe('idempotency-key-reuse');
      expect(o?.status === 'rejected' && o.problem.status).toBe(422);
      expect(o).not.toHaveProperty('replayed');
      expect(store.findAggregate('t1', 'encounter', uuid(2, 1))?.state.status).toBe('planned');
    },
  );

  requirementTest(
    { id: 'core.idem.duplicate-expired', verifies: ['OFS-IDEM-009', 'OFS-IDEM-008'] },
    'after retention a duplicate with clientSeq <= last is duplicate-expired and never applied again',
    () => {
      const day = 24 * 3600 * 1000;
      const { core, store, clock } = makeCore({ config: { idempotencyRetentionMs: 30 * day } });
      const ctx = ctxOf('t1');
      const stock = uuid(4, 1);
      const body = pushBody(CLIENT, [
        mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: stock, op: 'create', payload: payloads.stock('S1', 10) }),
        mutation({ cmid: uuid(3, 2), seq: 2, type: 'stock-item', id: stock, op: 'adjust', payload: { delta: -1, reason: 'dispense' } }),
      ]);
      outcomesOf(core.push(ctx, 'clinic', body));
      // Just inside retention: replayed.
      clock.advance(30 * day - 1);
      expect(outcomesOf(core.push(ctx, 'clinic', body)).map((o) => o.status)).toEqual(['applied', 'applied']);
      // At expiry (logically pruned, even before a purge runs): duplicate-expired.
      clock.advance(1);
      const expired = outcomesOf(core.push(ctx, 'clinic', body));
      expect(expired).toEqual([
        { clientMutationId: uuid(3, 1), clientSeq: 1, status: 'duplicate-expired', replayed: true },
        { clientMutationId: uuid(3, 2), clientSeq: 2, status: 'duplicate-expired', replayed: true },
      ]);
      // After a physical purge too.
      expect(store.purgeIdempotency(clock.now() - 30 * day + 1)).toBe(2);
      expect(outcomesOf(core.push(ctx, 'clinic', body)).map((o) => o.status)).toEqual(['duplicate-expired', 'duplicate-expired']);
      expect(store.findAggregate('t1', 'stock-item', stock)?.state.quantity).toBe(9);
    },
  );

  requirementTest(
    { id: 'core.idem.exactly-once-and-one-event', verifies: ['OFS-IDEM-013', 'OFS-EVT-005', 'OFS-EVT-006'] },
    'many deliveries of one push apply once and write exactly one change/outbox row per applied mutation',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const stock = uuid(4, 1);
      const body = pushBody(CLIENT, [
        mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: stock, op: 'create', payload: payloads.stock('S1', 10) }),
        mutation({ cmid: uuid(3, 2), seq: 2, type: 'stock-item', id: stock, op: 'adjust', payload: { delta: -3, reason: 'dispense' } }),
        mutation({ cmid: uuid(3, 3), seq: 3, type: 'stock-item', id: stock, op: 'adjust', payload: { delta: -30, reason: 'dispense' } }),
      ]);
      for (let i = 0; i < 5; i++) core.push(ctx, 'clinic', body);
      expect(store.findAggregate('t1', 'stock-item', stock)?.state.quantity).toBe(7);
      const rows = store.claimOutbox(100);
      expect(rows.map((r) => r.clientMutationId)).toEqual([uuid(3, 1), uuid(3, 2)]);
      expect(new Set(rows.map((r) => r.eventId)).size).toBe(2);
    },
  );
});
