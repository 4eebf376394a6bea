import { describe, expect, test } from 'vitest';
import type { InProcessCore } from '../../src/in-process/in-process-core.js';
import type { RestResponse } from '../../src/domain/api.js';
import { coreWith, ctxOf, mutation, outcomesOf, payloads, pushBody, uuid } from './fixtures.js';

const PATIENT = uuid(9, 9);
const ENC = uuid(2, 1);
const A = uuid(1, 1);
const B = uuid(1, 2);

/** REST create + PATCH to version 2, then a PATCH from the stale version 1. */
function stalePatch(c: InProcessCore): RestResponse {
  const ctx = ctxOf('t');
  expect(c.restWrite(ctx, { kind: 'create', collection: 'encounters', body: { id: ENC, ...payloads.encounter(PATIENT) }, idempotencyKey: uuid(5, 1) }).status).toBe(201);
  expect(c.restWrite(ctx, { kind: 'patch', collection: 'encounters', id: ENC, body: { status: 'in-progress' }, idempotencyKey: uuid(5, 2), ifMatch: '"1"' }).status).toBe(200);
  return c.restWrite(ctx, { kind: 'patch', collection: 'encounters', id: ENC, body: { status: 'finished' }, idempotencyKey: uuid(5, 3), ifMatch: '"1"' });
}

describe('ordering and conflict defects change behaviour', () => {
  test('reorder-within-aggregate: a mutation behind an open conflict is applied', () => {
    for (const [defect, status] of [[undefined, 'blocked'], ['reorder-within-aggregate', 'applied']] as const) {
      const c = coreWith(defect);
      const ctx = ctxOf('t');
      c.push(ctx, pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: ENC, op: 'create', payload: payloads.encounter(PATIENT) })]));
      c.push(ctx, pushBody(B, [mutation({ cmid: uuid(3, 2), seq: 1, type: 'encounter', id: ENC, op: 'update', base: 1, payload: { status: 'in-progress' } })]));
      const [conflict] = outcomesOf(c.push(ctx, pushBody(A, [mutation({ cmid: uuid(3, 3), seq: 2, type: 'encounter', id: ENC, op: 'update', base: 1, payload: { status: 'in-progress', reason: 'x' } })])));
      expect(conflict?.status).toBe('conflict');
      const [later] = outcomesOf(c.push(ctx, pushBody(A, [mutation({ cmid: uuid(3, 4), seq: 3, type: 'encounter', id: ENC, op: 'update', base: 2, payload: { status: 'finished' } })])));
      expect(later?.status, String(defect)).toBe(status);
    }
  });

  test('sequence-gaps-accepted: a gap is applied instead of out-of-order', () => {
    for (const [defect, status] of [[undefined, 'rejected'], ['sequence-gaps-accepted', 'applied']] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: ENC, op: 'create', payload: payloads.encounter(PATIENT) })]));
      const [o] = outcomesOf(c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 3), seq: 3, type: 'encounter', id: uuid(2, 2), op: 'create', payload: payloads.encounter(PATIENT) })])));
      expect(o?.status, String(defect)).toBe(status);
      // A gap inside one batch too.
      const [, gap] = outcomesOf(c.push(ctxOf('t'), pushBody(B, [1, 3].map((seq) => mutation({ cmid: uuid(4, seq), seq, type: 'encounter', id: uuid(6, seq), op: 'create', payload: payloads.encounter(PATIENT) })))));
      expect(gap?.status, String(defect)).toBe(status);
    }
  });

  test('lost-update: a stale encounter update overwrites', () => {
    for (const [defect, status] of [[undefined, 'conflict'], ['lost-update', 'applied']] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: ENC, op: 'create', payload: payloads.encounter(PATIENT) })]));
      c.push(ctxOf('t'), pushBody(B, [mutation({ cmid: uuid(3, 2), seq: 1, type: 'encounter', id: ENC, op: 'update', base: 1, payload: { status: 'in-progress' } })]));
      const [o] = outcomesOf(c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 3), seq: 2, type: 'encounter', id: ENC, op: 'update', base: 1, payload: { status: 'finished' } })])));
      expect(o?.status, String(defect)).toBe(status);
    }
  });

  test('if-match-ignored: a stale If-Match is applied', () => {
    for (const [defect, status, version] of [[undefined, 412, 2], ['if-match-ignored', 200, 3]] as const) {
      const c = coreWith(defect);
      expect(stalePatch(c).status, String(defect)).toBe(status);
      expect(c.store.findAggregate('t', 'encounter', ENC)?.version).toBe(version);
    }
  });

  test('precondition-failed-but-applied: 412 is answered and the write applied', () => {
    for (const [defect, version] of [[undefined, 2], ['precondition-failed-but-applied', 3]] as const) {
      const c = coreWith(defect);
      expect(stalePatch(c).status, String(defect)).toBe(412);
      expect(c.store.findAggregate('t', 'encounter', ENC)?.version, String(defect)).toBe(version);
    }
  });

  test('merge-append-drops-late-entry: an entry authored before the newest one is lost', () => {
    for (const [defect, kept] of [[undefined, 2], ['merge-append-drops-late-entry', 1]] as const) {
      const c = coreWith(defect);
      const note = uuid(2, 5);
      c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'note', id: note, op: 'create', payload: payloads.note(PATIENT) })]));
      c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 2), seq: 2, type: 'note', id: note, op: 'append', base: 1, payload: payloads.entry('late', '2026-01-01T10:00:00Z') })]));
      c.push(ctxOf('t'), pushBody(B, [mutation({ cmid: uuid(3, 3), seq: 1, type: 'note', id: note, op: 'append', base: 1, payload: payloads.entry('early', '2026-01-01T09:00:00Z') })]));
      expect((c.store.findAggregate('t', 'note', note)?.state['entries'] as unknown[]).length, String(defect)).toBe(kept);
    }
  });

  test('manual-policy-auto-merge: a duplicate patient is applied without a conflict', () => {
    for (const [defect, status] of [[undefined, 'conflict'], ['manual-policy-auto-merge', 'applied']] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'patient', id: uuid(2, 1), op: 'create', payload: payloads.patient('MRN-1') })]));
      const [o] = outcomesOf(c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 2), seq: 2, type: 'patient', id: uuid(2, 2), op: 'create', payload: payloads.patient('MRN-1') })])));
      expect(o?.status, String(defect)).toBe(status);
    }
  });

  test('pull-cross-tenant: tenant B pulls tenant A’s change', () => {
    for (const [defect, count] of [[undefined, 0], ['pull-cross-tenant', 1]] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('a'), pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: ENC, op: 'create', payload: payloads.encounter(PATIENT) })]));
      const page = c.pull(ctxOf('b'));
      if (!page.ok) throw new Error('pull refused');
      expect(page.value.changes.length, String(defect)).toBe(count);
    }
  });

  test('authz-at-capture-time: a clinician’s controlled-stock create is applied', () => {
    for (const [defect, status] of [[undefined, 'rejected'], ['authz-at-capture-time', 'applied']] as const) {
      const c = coreWith(defect);
      const [o] = outcomesOf(c.push(ctxOf('t'), pushBody(A, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: uuid(2, 9), op: 'create', payload: payloads.stock('CTRL', 5, true) })])));
      expect(o?.status, String(defect)).toBe(status);
      expect(c.store.listAudit('t', 0, 10).length, String(defect)).toBe(defect ? 0 : 1);
    }
  });
});
