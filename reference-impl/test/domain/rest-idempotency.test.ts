/**
 * REST Idempotency-Key handling (TR §5): key syntax, the retention window of the recorded
 * response, and which answers are recorded (replayed) and which are not.
 */
import { describe, expect, test } from 'vitest';
import { parseIdempotencyKey } from '../../src/domain/rest.js';
import type { RestWriteRequest } from '../../src/domain/api.js';
import { ctxOf, makeCore, payloads, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);
const ctx = ctxOf('t1');
const DAY = 24 * 3600 * 1000;

function createEncounter(key: string | undefined, id = uuid(2, 1), status = 'planned'): RestWriteRequest {
  return { module: 'clinic', kind: 'create', collection: 'encounters', ...(key === undefined ? {} : { idempotencyKey: key }), body: { id, ...payloads.encounter(PATIENT, status) } };
}

function typeOf(body: unknown): string | undefined {
  return (body as { type?: string }).type?.split('/').pop();
}

describe('Idempotency-Key syntax', () => {
  test('parses a bare token and an sf-string, trimming surrounding whitespace', () => {
    expect(parseIdempotencyKey('abc')).toBe('abc');
    expect(parseIdempotencyKey('  abc \t')).toBe('abc');
    expect(parseIdempotencyKey('"abc"')).toBe('abc');
    expect(parseIdempotencyKey(' "a\\"b\\\\c" ')).toBe('a"b\\c');
  });

  test('is undefined when absent or blank, null when malformed', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('')).toBeUndefined();
    expect(parseIdempotencyKey('   ')).toBeUndefined();
    expect(parseIdempotencyKey('a b')).toBeNull();
    expect(parseIdempotencyKey('"a b"')).toBeNull();
    expect(parseIdempotencyKey('""')).toBeNull();
    expect(parseIdempotencyKey('é')).toBeNull();
    expect(parseIdempotencyKey('x'.repeat(256))).toBeNull();
    expect(parseIdempotencyKey('x'.repeat(255))).toBe('x'.repeat(255));
  });

  test('a lone double quote is a one-character key, not an empty sf-string', () => {
    expect(parseIdempotencyKey('"')).toBe('"');
  });

  test('a malformed key is 400 validation-failed naming the header, and nothing is stored', () => {
    const { core, store } = makeCore();
    const r = core.restWrite(ctx, createEncounter('bad key'));
    expect(r.status).toBe(400);
    expect(typeOf(r.body)).toBe('validation-failed');
    expect(r.body).toMatchObject({ errors: [{ pointer: '/headers/idempotency-key' }] });
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(r.replayed).toBe(false);
    expect(store.findAggregate('t1', 'encounter', uuid(2, 1))).toBeUndefined();
  });

  test('a blank key counts as missing', () => {
    const { core } = makeCore();
    expect(typeOf(core.restWrite(ctx, createEncounter('  ')).body)).toBe('idempotency-key-missing');
  });
});

describe('retention of the recorded response', () => {
  test('replays until the retention period has passed, then decides the request anew', () => {
    const { core, clock } = makeCore({ config: { idempotencyRetentionMs: 2 * DAY } });
    expect(core.restWrite(ctx, createEncounter('k')).status).toBe(201);
    clock.advance(2 * DAY - 1);
    const inside = core.restWrite(ctx, createEncounter('k'));
    expect(inside).toMatchObject({ status: 201, replayed: true });
    clock.advance(1);
    // At expiry the record no longer answers: a create on the existing id is 412, not a replay.
    const expired = core.restWrite(ctx, createEncounter('k'));
    expect(expired).toMatchObject({ status: 412, replayed: false });
    expect(expired.headers['idempotent-replayed']).toBeUndefined();
  });

  test('after expiry a different request under the same key is not idempotency-key-reuse', () => {
    const { core, clock, store } = makeCore({ config: { idempotencyRetentionMs: DAY } });
    core.restWrite(ctx, createEncounter('k'));
    clock.advance(DAY - 1);
    expect(typeOf(core.restWrite(ctx, createEncounter('k', uuid(2, 2))).body)).toBe('idempotency-key-reuse');
    clock.advance(1);
    expect(core.restWrite(ctx, createEncounter('k', uuid(2, 2))).status).toBe(201);
    expect(store.findAggregate('t1', 'encounter', uuid(2, 2))?.version).toBe(1);
    // The new decision replaced the record: it now replays.
    expect(core.restWrite(ctx, createEncounter('k', uuid(2, 2))).replayed).toBe(true);
  });
});

describe('what is recorded', () => {
  test('a replay carries the recorded status, body bytes and headers plus Idempotent-Replayed', () => {
    const { core } = makeCore();
    const first = core.restWrite(ctx, createEncounter('k'));
    const again = core.restWrite(ctx, createEncounter('k'));
    expect(again.status).toBe(first.status);
    expect(again.bodyJson).toBe(first.bodyJson);
    expect(again.body).toEqual(first.body);
    expect(again.headers).toEqual({ ...first.headers, 'idempotent-replayed': 'true' });
    expect(again.audits).toEqual([]);
    expect(first.replayed).toBe(false);
  });

  test('a 404 for a missing resource is recorded: the same key replays it after the resource exists', () => {
    const { core } = makeCore();
    const id = uuid(2, 4);
    const patch: RestWriteRequest = { module: 'clinic', kind: 'patch', collection: 'encounters', id, idempotencyKey: 'p', ifMatch: '"1"', body: { status: 'finished' } };
    const missing = core.restWrite(ctx, patch);
    expect(missing.status).toBe(404);
    expect(typeOf(missing.body)).toBe('not-found');
    expect(missing.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(JSON.parse(missing.bodyJson)).toEqual(missing.body);
    core.restWrite(ctx, createEncounter('c', id));
    const replay = core.restWrite(ctx, patch);
    expect(replay).toMatchObject({ status: 404, replayed: true });
  });

  test('an append to a missing note is a recorded 404', () => {
    const { core } = makeCore();
    const req: RestWriteRequest = { module: 'clinic', kind: 'append', collection: 'notes', id: uuid(2, 6), idempotencyKey: 'a', body: payloads.entry('x') };
    expect(core.restWrite(ctx, req).status).toBe(404);
    expect(core.restWrite(ctx, req)).toMatchObject({ status: 404, replayed: true });
  });

  test('a business refusal (409 taken SKU) is recorded and replayed', () => {
    const { core } = makeCore();
    core.restWrite(ctx, { module: 'clinic', kind: 'create', collection: 'stock-items', idempotencyKey: 's1', body: { id: uuid(2, 1), ...payloads.stock('SKU-1', 1) } });
    const req: RestWriteRequest = { module: 'clinic', kind: 'create', collection: 'stock-items', idempotencyKey: 's2', body: { id: uuid(2, 2), ...payloads.stock('SKU-1', 1) } };
    const taken = core.restWrite(ctx, req);
    expect(taken.status).toBe(409);
    expect(typeOf(taken.body)).toBe('business-rule-violation');
    expect(core.restWrite(ctx, req)).toMatchObject({ status: 409, replayed: true });
  });

  test('400, 412 and 428 answers are not recorded: a corrected retry with the same key is decided', () => {
    const { core, store } = makeCore();
    const id = uuid(2, 1);
    core.restWrite(ctx, createEncounter('c', id));
    const patch = (ifMatch: string | undefined, body: Record<string, unknown> = { status: 'finished' }): RestWriteRequest => ({
      module: 'clinic',
      kind: 'patch',
      collection: 'encounters',
      id,
      idempotencyKey: 'p',
      ...(ifMatch === undefined ? {} : { ifMatch }),
      body,
    });
    expect(core.restWrite(ctx, patch(undefined)).status).toBe(428);
    expect(core.restWrite(ctx, patch('  ')).status).toBe(428);
    expect(core.restWrite(ctx, patch('"7"')).status).toBe(412);
    expect(core.restWrite(ctx, patch('"1"', { status: 'dancing' })).status).toBe(400);
    const ok = core.restWrite(ctx, patch('"1"'));
    expect(ok).toMatchObject({ status: 200, replayed: false });
    expect(store.findAggregate('t1', 'encounter', id)?.state.status).toBe('finished');
  });

  test('a rule’s own validation failure (400) is not recorded either', () => {
    const { core } = makeCore();
    const future = { module: 'clinic', kind: 'create' as const, collection: 'patients', idempotencyKey: 'p', body: { id: uuid(2, 1), ...payloads.patient('M-1', 'Ada', 'Lovelace', '2099-01-01') } };
    const r = core.restWrite(ctx, future);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ errors: [{ pointer: '/payload/birthDate' }] });
    const fixed = core.restWrite(ctx, { ...future, body: { id: uuid(2, 1), ...payloads.patient('M-1') } });
    expect(fixed.status).toBe(201);
  });
});

describe('sf-string detection', () => {
  test('only a value both starting and ending with a quote is an sf-string', () => {
    expect(parseIdempotencyKey('"abc')).toBe('"abc');
    expect(parseIdempotencyKey('abc"')).toBe('abc"');
  });
});
