import { describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, problemOf, pushBody, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);
const A = uuid(1, 1);
const B = uuid(1, 2);

describe('clinic conflict policies', () => {
  requirementTest(
    { id: 'core.conf.reject-stale-encounter', verifies: ['OFS-CONF-001', 'OFS-CONF-002', 'OFS-CONF-007'] },
    'a stale encounter update conflicts with serverVersion, serverState and policy, and never overwrites the newer version',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const enc = uuid(2, 1);
      outcomesOf(core.push(ctx, 'clinic', pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: enc, op: 'create', payload: payloads.encounter(PATIENT) })])));
      // Two offline clients edit version 1.
      const [a] = outcomesOf(core.push(ctx, 'clinic', pushBody(A, [mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: enc, op: 'update', base: 1, payload: { status: 'in-progress' } })])));
      const [b] = outcomesOf(core.push(ctx, 'clinic', pushBody(B, [mutation({ cmid: uuid(4, 1), seq: 1, type: 'encounter', id: enc, op: 'update', base: 1, payload: { status: 'finished' } })])));
      expect(a?.status).toBe('applied');
      expect(b).toMatchObject({
        status: 'conflict',
        serverVersion: 2,
        serverState: { patientId: PATIENT, status: 'in-progress' },
        policy: 'reject-stale',
      });
      const row = store.findAggregate('t1', 'encounter', enc);
      expect(row?.version).toBe(2);
      expect(row?.state.status).toBe('in-progress');
    },
  );

  requirementTest(
    { id: 'core.conf.merge-append-notes', verifies: ['OFS-CONF-004', 'OFS-CONF-003'] },
    'concurrent appends to a note are all kept, sorted by (authoredAt, entryId), whatever their order of arrival',
    () => {
      const orders = [
        [0, 1, 2],
        [2, 1, 0],
        [1, 2, 0],
      ];
      const results = orders.map((order) => {
        const { core, store } = makeCore();
        const note = uuid(2, 1);
        outcomesOf(core.push(ctxOf('t1'), 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(5, 1), seq: 1, type: 'note', id: note, op: 'create', payload: payloads.note(PATIENT) })])));
        const appends = [
          { client: A, cmid: uuid(3, 1), at: '2026-01-01T10:00:00Z' },
          { client: B, cmid: uuid(4, 1), at: '2026-01-01T09:00:00Z' },
          { client: uuid(1, 3), cmid: uuid(6, 1), at: '2026-01-01T10:00:00Z' },
        ];
        for (const i of order) {
          const ap = appends[i]!;
          // baseVersion 1 for everyone: appends never conflict.
          const [o] = outcomesOf(core.push(ctxOf('t1'), 'clinic', pushBody(ap.client, [mutation({ cmid: ap.cmid, seq: 1, type: 'note', id: note, op: 'append', base: 1, payload: payloads.entry(`from ${i}`, ap.at) })])));
          expect(o?.status).toBe('applied');
        }
        return store.findAggregate('t1', 'note', note)?.state.entries;
      });
      expect(results[0]).toHaveLength(3);
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      expect((results[0] as { entryId: string }[]).map((e) => e.entryId)).toEqual([uuid(4, 1), uuid(3, 1), uuid(6, 1)]);
    },
  );

  requirementTest(
    { id: 'core.conf.manual-patient-duplicates', verifies: ['OFS-CONF-005', 'OFS-STORE-002'] },
    'a patient whose MRN is taken, or a probable duplicate, opens a manual conflict and is never merged',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const p1 = uuid(2, 1);
      outcomesOf(core.push(ctx, 'clinic', pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'patient', id: p1, op: 'create', payload: payloads.patient('MRN-1') })])));
      const taken = mutation({ cmid: uuid(4, 1), seq: 1, type: 'patient', id: uuid(2, 2), op: 'create', payload: payloads.patient('MRN-1', 'Grace', 'Hopper', '1906-12-09') });
      const dup = mutation({ cmid: uuid(4, 2), seq: 2, type: 'patient', id: uuid(2, 3), op: 'create', payload: payloads.patient('MRN-2', 'ada', 'LOVELACE') });
      const fine = mutation({ cmid: uuid(4, 3), seq: 3, type: 'patient', id: uuid(2, 4), op: 'create', payload: payloads.patient('MRN-3', 'Grace', 'Hopper', '1906-12-09') });
      const outcomes = outcomesOf(core.push(ctx, 'clinic', pushBody(B, [taken, dup, fine])));
      expect(outcomes.map((o) => o.status)).toEqual(['conflict', 'conflict', 'applied']);
      expect(outcomes[0]).toMatchObject({ policy: 'manual', serverVersion: 0, serverState: { candidateId: p1, matchedOn: ['mrn'], candidate: { mrn: 'MRN-1' } } });
      expect(outcomes[1]).toMatchObject({
        policy: 'manual',
        serverVersion: 0,
        serverState: { candidateId: p1, matchedOn: ['givenName', 'familyName', 'birthDate'], candidate: { givenName: 'Ada' } },
      });
      expect(store.findAggregate('t1', 'patient', uuid(2, 2))).toBeUndefined();
      expect(store.findAggregate('t1', 'patient', uuid(2, 3))).toBeUndefined();
      expect(store.findAggregate('t1', 'patient', p1)?.version).toBe(1);
      const open = core.listConflicts(ctx, { module: 'clinic', status: 'open' });
      expect(open.ok && open.value.conflicts.map((c) => c.aggregate.id)).toEqual(expect.arrayContaining([uuid(2, 2), uuid(2, 3)]));
      // A stale patient update is a manual conflict too.
      const [stale] = outcomesOf(core.push(ctx, 'clinic', pushBody(A, [mutation({ cmid: uuid(3, 2), seq: 2, type: 'patient', id: p1, op: 'update', base: 0, payload: { givenName: 'Augusta' } })])));
      expect(stale).toMatchObject({ status: 'conflict', policy: 'manual', serverVersion: 1 });
      // An update of the MRN to a taken one conflicts too (serverVersion = the addressed patient's).
      const [retaken] = outcomesOf(core.push(ctx, 'clinic', pushBody(B, [mutation({ cmid: uuid(4, 4), seq: 4, type: 'patient', id: uuid(2, 4), op: 'update', base: 1, payload: { mrn: 'MRN-1' } })])));
      expect(retaken).toMatchObject({ status: 'conflict', serverVersion: 1, serverState: { candidateId: p1, matchedOn: ['mrn'] } });
      // MRN uniqueness is per tenant.
      const [otherTenant] = outcomesOf(core.push(ctxOf('t2'), 'clinic', pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'patient', id: uuid(2, 9), op: 'create', payload: payloads.patient('MRN-1') })])));
      expect(otherTenant?.status).toBe('applied');
    },
  );

  requirementTest(
    { id: 'core.conf.server-authoritative-stock', verifies: ['OFS-CONF-006', 'OFS-STORE-003'] },
    'stock adjustments apply to the current quantity regardless of baseVersion; below zero is rejected insufficient-stock with available',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const item = uuid(2, 1);
      outcomesOf(core.push(ctx, 'clinic', pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: item, op: 'create', payload: payloads.stock('SKU-1', 10) })])));
      const [a] = outcomesOf(core.push(ctx, 'clinic', pushBody(A, [mutation({ cmid: uuid(3, 2), seq: 2, type: 'stock-item', id: item, op: 'adjust', base: 1, payload: { delta: -6, reason: 'dispense' } })])));
      // B's offline decrement is based on version 1 too: still applied against the current quantity.
      const [b] = outcomesOf(core.push(ctx, 'clinic', pushBody(B, [mutation({ cmid: uuid(4, 1), seq: 1, type: 'stock-item', id: item, op: 'adjust', base: 1, payload: { delta: -3, reason: 'dispense' } })])));
      const [c] = outcomesOf(core.push(ctx, 'clinic', pushBody(B, [mutation({ cmid: uuid(4, 2), seq: 2, type: 'stock-item', id: item, op: 'adjust', base: 1, payload: { delta: -2, reason: 'dispense' } })])));
      expect([a?.status, b?.status]).toEqual(['applied', 'applied']);
      expect(problemOf(c)).toBe('insufficient-stock');
      expect(c?.status === 'rejected' && c.problem).toMatchObject({ status: 409, available: 1 });
      expect(store.findAggregate('t1', 'stock-item', item)?.state.quantity).toBe(1);
      // A taken SKU is rejected with a reason.
      const [dupSku] = outcomesOf(core.push(ctx, 'clinic', pushBody(B, [mutation({ cmid: uuid(4, 3), seq: 3, type: 'stock-item', id: uuid(2, 2), op: 'create', payload: payloads.stock('SKU-1', 1) })])));
      expect(problemOf(dupSku)).toBe('business-rule-violation');
      expect(dupSku?.status === 'rejected' && dupSku.problem.detail).toContain('SKU');
    },
  );
});

describe('clinic business rules', () => {
  requirementTest(
    { id: 'core.sync.business-rules-rejected', verifies: ['OFS-SYNC-016'] },
    'encounter status is forward-only and patientId fixed; a future birth date, a create on an existing note and a taken SKU are rejected',
    () => {
      const { core, store } = makeCore();
      const ctx = ctxOf('t1');
      const enc = uuid(2, 1);
      const outcomes = outcomesOf(
        core.push(ctx, 'clinic', pushBody(A, [
          mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: enc, op: 'create', payload: payloads.encounter(PATIENT, 'in-progress') }),
          mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: enc, op: 'update', base: 1, payload: { status: 'planned' } }),
          mutation({ cmid: uuid(3, 3), seq: 3, type: 'encounter', id: enc, op: 'update', base: 1, payload: { patientId: uuid(9, 8) } }),
          mutation({ cmid: uuid(3, 4), seq: 4, type: 'patient', id: uuid(2, 2), op: 'create', payload: payloads.patient('M-1', 'A', 'B', '2999-01-01') }),
          mutation({ cmid: uuid(3, 5), seq: 5, type: 'note', id: uuid(2, 3), op: 'create', payload: payloads.note(PATIENT) }),
          mutation({ cmid: uuid(3, 6), seq: 6, type: 'note', id: uuid(2, 3), op: 'create', payload: payloads.note(PATIENT) }),
          mutation({ cmid: uuid(3, 7), seq: 7, type: 'note', id: uuid(2, 9), op: 'append', payload: payloads.entry('x') }),
          mutation({ cmid: uuid(3, 8), seq: 8, type: 'stock-item', id: uuid(2, 4), op: 'adjust', payload: { delta: 0, reason: 'receive' } }),
          mutation({ cmid: uuid(3, 9), seq: 9, type: 'stock-item', id: uuid(2, 4), op: 'update', payload: { name: 'x' } }),
        ])),
      );
      expect(outcomes.map((o) => o.status === 'rejected' ? problemOf(o) : o.status)).toEqual([
        'applied',
        'business-rule-violation',
        'business-rule-violation',
        'validation-failed',
        'applied',
        'business-rule-violation',
        'not-found',
        'validation-failed',
        'validation-failed',
      ]);
      expect(outcomes[8]?.status === 'rejected' && outcomes[8].problem.errors?.[0]?.pointer).toBe('/mutations/8/op');
      expect(store.findAggregate('t1', 'encounter', enc)?.state).toEqual({ patientId: PATIENT, status: 'in-progress' });
    },
  );
});
