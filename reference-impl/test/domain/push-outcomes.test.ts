/**
 * Details of push outcomes: what each unrecorded rejection says, the permission-lost audit's
 * versions, and the client sequence around blocked (pending) mutations.
 */
import { describe, expect, test } from 'vitest';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, problemOf, pushBody, uuid } from './helpers.js';

const CLIENT = uuid(1, 1);
const PATIENT = uuid(9, 9);
const ctx = ctxOf('t1');
const enc = (seq: number, id = uuid(2, seq), cmid = uuid(3, seq)) => mutation({ cmid, seq, type: 'encounter', id, op: 'create', payload: payloads.encounter(PATIENT) });

describe('rejection details', () => {
  test('out-of-order names the seq and the expected one', () => {
    const { core } = makeCore();
    const [, gap] = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(1), enc(3)])));
    expect(gap?.status === 'rejected' && gap.problem).toMatchObject({ status: 409, expectedSeq: 2, detail: 'clientSeq 3 leaves a gap; expected 2' });
  });

  test('actor-mismatch and idempotency-key-reuse say why', () => {
    const { core } = makeCore();
    const [mismatch] = outcomesOf(core.push(ctxOf('t1', 'bob'), 'clinic', pushBody(CLIENT, [enc(1)])));
    expect(mismatch?.status === 'rejected' && mismatch.problem.detail).toMatch(/actor/);
    outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(1)])));
    const [reuse] = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(1, uuid(2, 5))])));
    expect(reuse?.status === 'rejected' && reuse.problem.detail).toMatch(/clientMutationId/);
  });

  test('an op the type does not accept names the accepted ops at /mutations/<i>/op', () => {
    const { core } = makeCore();
    const [, o] = outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(1), mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: uuid(2, 1), op: 'append', payload: payloads.entry('x') })])));
    expect(o?.status === 'rejected' && o.problem.errors).toEqual([{ pointer: '/mutations/1/op', detail: 'encounter accepts create, update' }]);
  });
});

describe('permission-lost on an existing aggregate', () => {
  test('the audit names the server version it was decided against', () => {
    const { core } = makeCore();
    const item = uuid(2, 1);
    outcomesOf(core.push(ctxOf('t1', 'phil', ['pharmacist']), 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(5, 1), seq: 1, type: 'stock-item', id: item, op: 'create', payload: payloads.stock('M', 5, true), actor: 'phil' })])));
    const r = core.push(ctx, 'clinic', pushBody(CLIENT, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: item, op: 'adjust', base: 1, payload: { delta: -1, reason: 'dispense' } })]));
    expect(problemOf(outcomesOf(r)[0])).toBe('permission-lost');
    expect(r.ok && r.value.audits[0]).toMatchObject({ versions: [1], versionDetail: { base: 1, server: 1 }, op: 'adjust', policy: 'server-authoritative', patientRef: undefined, roles: ['clinician'] });
  });
});

describe('client sequence around blocked mutations', () => {
  /** Client CLIENT has a conflict at seq 1 on encounter E, a blocked seq 2 on E, and seq 3 applied elsewhere. */
  function blockedSetup() {
    const made = makeCore();
    const e = uuid(2, 1);
    outcomesOf(made.core.push(ctx, 'clinic', pushBody(uuid(1, 2), [
      mutation({ cmid: uuid(4, 1), seq: 1, type: 'encounter', id: e, op: 'create', payload: payloads.encounter(PATIENT) }),
      mutation({ cmid: uuid(4, 2), seq: 2, type: 'encounter', id: e, op: 'update', base: 1, payload: { reason: 'x' } }),
    ])));
    const blockedOne = mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: e, op: 'update', base: 1, payload: { reason: 'y' } });
    const first = outcomesOf(made.core.push(ctx, 'clinic', pushBody(CLIENT, [
      mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: e, op: 'update', base: 1, payload: { status: 'finished' } }),
      blockedOne,
      enc(3, uuid(2, 3)),
    ])));
    expect(first.map((o) => o.status)).toEqual(['conflict', 'blocked', 'applied']);
    return { ...made, e, blockedOne };
  }

  test('resending a still-blocked mutation does not move the sequence back', () => {
    const { core, blockedOne } = blockedSetup();
    expect(outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [blockedOne])))[0]?.status).toBe('blocked');
    expect(outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [enc(4, uuid(2, 4))])))[0]?.status).toBe('applied');
  });

  test('a pending mutation blocks only its own aggregate, not another type with the same id', () => {
    const { core, e } = blockedSetup();
    const note = mutation({ cmid: uuid(3, 4), seq: 4, type: 'note', id: e, op: 'create', payload: payloads.note(PATIENT) });
    expect(outcomesOf(core.push(ctx, 'clinic', pushBody(CLIENT, [note])))[0]?.status).toBe('applied');
  });
});
