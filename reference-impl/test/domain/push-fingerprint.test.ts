/**
 * The idempotency fingerprint (TR §3.4) covers actorId, aggregate, op, baseVersion and payload: a
 * reused clientMutationId that differs in any one of them is `idempotency-key-reuse`, never the
 * recorded outcome — whether the record was written by a push or (digest only) by a REST write.
 */
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { sha256Hex } from '../../src/domain/ids.js';
import { fingerprintInput, mutationFingerprint } from '../../src/domain/push.js';
import type { Mutation } from '../../src/domain/types.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, problemOf, pushBody, uuid } from './helpers.js';

const CLIENT = uuid(1, 1);
const PATIENT = uuid(9, 9);
const NOTE = uuid(2, 1);
const KEY = uuid(3, 7);

/** A core with a note (version 1) created by alice, and alice's append recorded under KEY. */
function withRecordedAppend() {
  const made = makeCore();
  const ctx = ctxOf('t1');
  outcomesOf(made.core.push(ctx, 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'note', id: NOTE, op: 'create', payload: payloads.note(PATIENT) })])));
  const original = mutation({ cmid: KEY, seq: 1, type: 'note', id: NOTE, op: 'append', base: 1, payload: payloads.entry('first') });
  const [o] = outcomesOf(made.core.push(ctx, 'clinic', pushBody(CLIENT, [original])));
  expect(o?.status).toBe('applied');
  return { ...made, original };
}

describe('a reused clientMutationId must match every fingerprint field', () => {
  test('the identical mutation replays the recorded outcome', () => {
    const { core, original } = withRecordedAppend();
    const [o] = outcomesOf(core.push(ctxOf('t1'), 'clinic', pushBody(CLIENT, [original])));
    expect(o).toMatchObject({ status: 'applied', newVersion: 2, replayed: true });
  });

  const variants: [string, (m: Record<string, unknown>) => Record<string, unknown>][] = [
    ['baseVersion', (m) => ({ ...m, baseVersion: 0 })],
    ['op', (m) => ({ ...m, op: 'create' })],
    ['op and payload', (m) => ({ ...m, op: 'create', payload: payloads.note(PATIENT) })],
    ['aggregate id', (m) => ({ ...m, aggregate: { type: 'note', id: uuid(2, 2) } })],
    ['aggregate type', (m) => ({ ...m, aggregate: { type: 'encounter', id: NOTE } })],
  ];
  for (const [field, change] of variants) {
    test(`a different ${field} is rejected idempotency-key-reuse and nothing is applied`, () => {
      const { core, store, original } = withRecordedAppend();
      const [o, rest] = outcomesOf(
        core.push(ctxOf('t1'), 'clinic', pushBody(CLIENT, [change(original), mutation({ cmid: uuid(3, 8), seq: 2, type: 'note', id: NOTE, op: 'append', payload: payloads.entry('second') })])),
      );
      expect(problemOf(o)).toBe('idempotency-key-reuse');
      expect(o).not.toHaveProperty('replayed');
      expect(rest?.status).toBe('not-processed');
      expect(store.findAggregate('t1', 'note', NOTE)?.version).toBe(2);
      expect(store.findAggregate('t1', 'note', uuid(2, 2))).toBeUndefined();
    });
  }

  test('another actor of the tenant reusing the key (as its own mutation) is rejected idempotency-key-reuse', () => {
    const { core, store, original } = withRecordedAppend();
    const [o] = outcomesOf(core.push(ctxOf('t1', 'bob'), 'clinic', pushBody(uuid(1, 2), [{ ...original, actorId: 'bob' }])));
    expect(problemOf(o)).toBe('idempotency-key-reuse');
    expect(store.findAggregate('t1', 'note', NOTE)?.version).toBe(2);
  });
});

describe('a key recorded by a REST write (fingerprint digest only)', () => {
  const encounterId = uuid(2, 5);
  function restCreated() {
    const made = makeCore();
    const r = made.core.restWrite(ctxOf('t1'), { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: KEY, body: { id: encounterId, ...payloads.encounter(PATIENT) } });
    expect(r.status).toBe(201);
    return made;
  }

  test('a pushed mutation with the same fields replays the REST outcome', () => {
    const { core, store } = restCreated();
    const same = mutation({ cmid: KEY, seq: 1, type: 'encounter', id: encounterId, op: 'create', payload: payloads.encounter(PATIENT) });
    const [o] = outcomesOf(core.push(ctxOf('t1'), 'clinic', pushBody(CLIENT, [same])));
    expect(o).toMatchObject({ replayed: true });
    expect(problemOf(o)).toBeUndefined();
    expect(store.findAggregate('t1', 'encounter', encounterId)?.version).toBe(1);
  });

  test('a pushed mutation with another payload is rejected idempotency-key-reuse', () => {
    const { core, store } = restCreated();
    const other = mutation({ cmid: KEY, seq: 1, type: 'encounter', id: encounterId, op: 'create', payload: payloads.encounter(PATIENT, 'finished') });
    const [o] = outcomesOf(core.push(ctxOf('t1'), 'clinic', pushBody(CLIENT, [other])));
    expect(problemOf(o)).toBe('idempotency-key-reuse');
    expect(store.findAggregate('t1', 'encounter', encounterId)?.state.status).toBe('planned');
  });
});

describe('fingerprint input', () => {
  const base: Mutation = {
    clientMutationId: KEY,
    clientSeq: 1,
    aggregate: { type: 'note', id: NOTE },
    op: 'append',
    baseVersion: 3,
    payload: { text: 'x', authoredAt: '2026-01-01T00:00:00Z' },
    capturedAt: '2026-01-01T00:00:00Z',
    actorId: 'alice',
  };
  const canonicalOf = (m: Mutation) => canonicalJson({ actorId: m.actorId, aggregate: m.aggregate, op: m.op, baseVersion: m.baseVersion, payload: m.payload });

  test('is the canonical JSON of (actorId, aggregate, baseVersion, op, payload), whatever the field values', () => {
    const cases: Mutation[] = [
      base,
      { ...base, actorId: 'bob' },
      { ...base, actorId: 'al"ice\\' },
      base,
      { ...base, aggregate: { type: 'stock-item', id: NOTE } },
      { ...base, aggregate: { type: 'note', id: uuid(2, 2) } },
      { ...base, op: 'create' },
      { ...base, op: 'update' },
      { ...base, op: 'adjust' },
      { ...base, op: 'resolve' as Mutation['op'] },
      { ...base, baseVersion: 0 },
    ];
    for (const m of cases) {
      expect(fingerprintInput(m, canonicalJson(m.payload))).toBe(canonicalOf(m));
      expect(mutationFingerprint(m)).toBe(sha256Hex(canonicalOf(m)));
    }
  });

  test('differs when any covered field differs, and ignores clientSeq and capturedAt', () => {
    const fp = mutationFingerprint(base);
    expect(mutationFingerprint({ ...base, clientSeq: 9, capturedAt: '2026-02-01T00:00:00Z' })).toBe(fp);
    for (const m of [
      { ...base, actorId: 'bob' },
      { ...base, aggregate: { type: 'notes', id: NOTE } },
      { ...base, aggregate: { type: 'note', id: uuid(2, 3) } },
      { ...base, op: 'create' as const },
      { ...base, baseVersion: 4 },
      { ...base, payload: { ...base.payload, text: 'y' } },
    ]) {
      expect(mutationFingerprint(m), JSON.stringify(m)).not.toBe(fp);
    }
  });
});
