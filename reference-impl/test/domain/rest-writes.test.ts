/**
 * REST writes and reads of module resources (TR §5): request checks in order, the answer of each
 * decision, and the fingerprint of PATCH (its If-Match version) and of appends.
 */
import { describe, expect, test } from 'vitest';
import type { RestResponse, RestWriteRequest } from '../../src/domain/api.js';
import { ctxOf, makeCore, payloads, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);
const ctx = ctxOf('t1');
const ENC = uuid(2, 1);
const NOTE = uuid(2, 2);

function typeOf(r: RestResponse): string | undefined {
  return (r.body as { type?: string }).type?.split('/').pop();
}

function write(core: ReturnType<typeof makeCore>['core'], req: Partial<RestWriteRequest> & Pick<RestWriteRequest, 'kind' | 'body'>): RestResponse {
  return core.restWrite(ctx, { module: 'clinic', collection: 'encounters', idempotencyKey: 'k', ...req });
}

function withEncounter() {
  const made = makeCore();
  const r = write(made.core, { kind: 'create', idempotencyKey: 'c', body: { id: ENC, ...payloads.encounter(PATIENT) } });
  expect(r.status).toBe(201);
  return made;
}

describe('request checks', () => {
  test('an unknown module or collection is 404', () => {
    const { core } = makeCore();
    expect(typeOf(write(core, { module: 'dental', kind: 'create', body: {} }))).toBe('not-found');
    const r = write(core, { collection: 'rooms', kind: 'create', body: {} });
    expect([r.status, typeOf(r)]).toEqual([404, 'not-found']);
    expect((r.body as { detail: string }).detail).toContain('rooms');
  });

  test('entries exist only below notes', () => {
    const { core } = withEncounter();
    const r = write(core, { kind: 'append', id: ENC, body: payloads.entry('x') });
    expect([r.status, typeOf(r)]).toEqual([404, 'not-found']);
  });

  test('a body that is not an object, or beyond the limits, is 400', () => {
    const { core } = makeCore({ config: { maxStringLength: 50 } });
    const notObject = write(core, { kind: 'create', body: [] });
    expect([notObject.status, (notObject.body as { errors: { pointer: string }[] }).errors[0]?.pointer]).toEqual([400, '']);
    const tooLong = write(core, { kind: 'create', body: { id: ENC, ...payloads.encounter(PATIENT), reason: 'x'.repeat(51) } });
    expect([tooLong.status, (tooLong.body as { errors: { pointer: string }[] }).errors[0]?.pointer]).toEqual([400, '/reason']);
  });

  test('a create needs a UUID id in the body; a patch of a non-UUID id is 404', () => {
    const { core } = makeCore();
    const noId = write(core, { kind: 'create', body: payloads.encounter(PATIENT) });
    expect([noId.status, (noId.body as { errors: { pointer: string }[] }).errors[0]?.pointer]).toEqual([400, '/id']);
    expect(write(core, { kind: 'patch', id: 'enc-1', ifMatch: '"1"', body: { status: 'finished' } }).status).toBe(404);
  });

  test('payload errors are 400 with pointers into the body', () => {
    const { core } = makeCore();
    const r = write(core, { kind: 'create', body: { id: ENC, patientId: PATIENT, status: 'dancing' } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ errors: [{ pointer: '/status' }] });
  });

  test('the id in a create body is not part of the payload', () => {
    const { core, store } = makeCore();
    write(core, { kind: 'create', body: { id: ENC, ...payloads.encounter(PATIENT) } });
    expect(store.findAggregate('t1', 'encounter', ENC)?.state).toEqual(payloads.encounter(PATIENT));
  });
});

describe('answers', () => {
  test('a create is 201 with the resource, its ETag and Location, stamped with the decision time', () => {
    const { core, clock } = makeCore();
    clock.advance(1500);
    const r = write(core, { kind: 'create', body: { id: ENC, ...payloads.encounter(PATIENT) } });
    expect(r).toMatchObject({ status: 201, replayed: false, audits: [] });
    expect(r.body).toEqual({ id: ENC, type: 'encounter', version: 1, state: payloads.encounter(PATIENT), updatedAt: '2026-01-01T00:00:01.500Z' });
    expect(r.headers).toEqual({ 'content-type': 'application/json', etag: '"1"', location: `/v1/clinic/encounters/${ENC}` });
    expect(JSON.parse(r.bodyJson)).toEqual(r.body);
  });

  test('a patch is 200 with the new version and no Location', () => {
    const { core } = withEncounter();
    const r = write(core, { kind: 'patch', id: ENC, ifMatch: '"1"', body: { status: 'finished' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: ENC, version: 2, state: { status: 'finished' } });
    expect(r.headers).toEqual({ 'content-type': 'application/json', etag: '"2"' });
  });

  test('an append is 200 with the note and its entry', () => {
    const { core } = makeCore();
    write(core, { collection: 'notes', kind: 'create', idempotencyKey: 'n', body: { id: NOTE, ...payloads.note(PATIENT) } });
    const r = write(core, { collection: 'notes', kind: 'append', id: NOTE, idempotencyKey: 'a', body: payloads.entry('hi') });
    expect(r.status).toBe(200);
    expect(r.headers).toEqual({ 'content-type': 'application/json', etag: '"2"' });
    expect(r.body).toMatchObject({ version: 2, state: { entries: [{ entryId: 'a', text: 'hi', actorId: 'alice' }] } });
  });

  test('a create on an existing id is 412 with the current ETag and version, and is not recorded', () => {
    const { core } = withEncounter();
    write(core, { kind: 'patch', id: ENC, idempotencyKey: 'p', ifMatch: '"1"', body: { status: 'in-progress' } });
    const r = write(core, { kind: 'create', idempotencyKey: 'again', body: { id: ENC, ...payloads.encounter(PATIENT) } });
    expect(r.status).toBe(412);
    expect(r.headers).toEqual({ 'content-type': 'application/problem+json', etag: '"2"' });
    expect(r.body).toMatchObject({ type: 'https://syncproof.dev/problems/precondition-failed', currentVersion: 2 });
    expect(write(core, { kind: 'create', idempotencyKey: 'again', body: { id: ENC, ...payloads.encounter(PATIENT) } }).replayed).toBe(false);
  });

  test('a patch refused by a module rule is recorded with its status', () => {
    const { core } = withEncounter();
    write(core, { kind: 'patch', id: ENC, idempotencyKey: 'p1', ifMatch: '"1"', body: { status: 'finished' } });
    const req = { kind: 'patch' as const, id: ENC, idempotencyKey: 'p2', ifMatch: '"2"', body: { status: 'planned' } };
    const back = write(core, req);
    expect([back.status, typeOf(back)]).toEqual([422, 'business-rule-violation']);
    expect(back.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(write(core, req)).toMatchObject({ status: 422, replayed: true });
  });

  test('a write without a writer role is 403 forbidden carrying the rule’s reason, and recorded', () => {
    const { core } = makeCore();
    const auditor = ctxOf('t1', 'alice', ['auditor']);
    const req: RestWriteRequest = { module: 'clinic', kind: 'create', collection: 'encounters', idempotencyKey: 'k', body: { id: ENC, ...payloads.encounter(PATIENT) } };
    const r = core.restWrite(auditor, req);
    expect([r.status, typeOf(r)]).toEqual([403, 'forbidden']);
    expect((r.body as { detail: string }).detail).toContain('writing an encounter');
    expect(core.restWrite(auditor, req).replayed).toBe(true);
  });

  test('a patch of a stock item or a note is 422: they cannot be patched', () => {
    const { core } = makeCore();
    const r = write(core, { collection: 'stock-items', kind: 'patch', id: uuid(2, 5), ifMatch: '"1"', body: { name: 'x' } });
    expect([r.status, typeOf(r)]).toEqual([422, 'business-rule-violation']);
    expect((r.body as { detail: string }).detail).toBe('stock-item resources cannot be patched');
  });
});

describe('fingerprints of REST writes', () => {
  test('a PATCH retried with the same If-Match replays; with another If-Match it is key reuse', () => {
    const { core } = withEncounter();
    const patch = { kind: 'patch' as const, id: ENC, idempotencyKey: 'p', body: { status: 'finished' } };
    expect(write(core, { ...patch, ifMatch: '"1"' }).status).toBe(200);
    expect(write(core, { ...patch, ifMatch: ' "1" ' }).replayed).toBe(true);
    expect(typeOf(write(core, { ...patch, ifMatch: '"2"' }))).toBe('idempotency-key-reuse');
    expect(typeOf(write(core, { ...patch, ifMatch: '*' }))).toBe('idempotency-key-reuse');
  });

  test('a PATCH with If-Match * fingerprints the current version', () => {
    const { core } = withEncounter();
    const patch = { kind: 'patch' as const, id: ENC, idempotencyKey: 'p', body: { status: 'finished' } };
    expect(write(core, { ...patch, ifMatch: '*' }).status).toBe(200);
    // The first attempt saw version 1: the retry with the explicit ETag "1" is the same request.
    expect(write(core, { ...patch, ifMatch: '"1"' }).replayed).toBe(true);
  });

  test('an append retried after other appends still replays (its fingerprint ignores the version)', () => {
    const { core } = makeCore();
    write(core, { collection: 'notes', kind: 'create', idempotencyKey: 'n', body: { id: NOTE, ...payloads.note(PATIENT) } });
    const append = { collection: 'notes', kind: 'append' as const, id: NOTE, idempotencyKey: 'a1', body: payloads.entry('one') };
    expect(write(core, append).status).toBe(200);
    expect(write(core, { ...append, idempotencyKey: 'a2', body: payloads.entry('two') }).status).toBe(200);
    expect(write(core, append)).toMatchObject({ status: 200, replayed: true });
  });
});

describe('GET of a resource', () => {
  test('returns the resource with its ETag', () => {
    const { core } = withEncounter();
    const r = core.getResource(ctx, { module: 'clinic', collection: 'encounters', id: ENC });
    expect(r).toMatchObject({ status: 200, replayed: false, audits: [] });
    expect(r.body).toEqual({ id: ENC, type: 'encounter', version: 1, state: payloads.encounter(PATIENT), updatedAt: '2026-01-01T00:00:00.000Z' });
    expect(r.headers).toEqual({ 'content-type': 'application/json', etag: '"1"' });
    expect(JSON.parse(r.bodyJson)).toEqual(r.body);
  });

  test('an unknown module, collection, malformed id or missing resource is 404', () => {
    const { core } = withEncounter();
    for (const [module, collection, id] of [['dental', 'encounters', ENC], ['clinic', 'rooms', ENC], ['clinic', 'encounters', 'x'], ['clinic', 'encounters', uuid(2, 9)], ['clinic', 'notes', ENC]]) {
      const r = core.getResource(ctx, { module: module as string, collection: collection as string, id: id as string });
      expect([r.status, typeOf(r)], `${module}/${collection}/${id}`).toEqual([404, 'not-found']);
      expect(r.headers['content-type']).toBe('application/problem+json');
    }
  });
});

describe('REST refusals', () => {
  test('every problem answer has a detail, the problem content type, no audits and is not a replay', () => {
    const { core } = withEncounter();
    const answers = [
      write(core, { module: 'dental', kind: 'create', body: {} }),
      write(core, { kind: 'append', id: ENC, body: payloads.entry('x') }),
      write(core, { kind: 'create', idempotencyKey: undefined, body: {} }),
      write(core, { kind: 'create', idempotencyKey: 'a b', body: {} }),
      write(core, { kind: 'create', body: [] }),
      write(core, { kind: 'create', body: payloads.encounter(PATIENT) }),
      write(core, { kind: 'patch', id: 'x', body: { status: 'finished' } }),
      write(core, { kind: 'patch', id: ENC, idempotencyKey: 'p', body: { status: 'finished' } }),
      write(core, { kind: 'patch', id: ENC, idempotencyKey: 'p', ifMatch: '"5"', body: { status: 'finished' } }),
      write(core, { kind: 'patch', id: uuid(2, 9), idempotencyKey: 'm', ifMatch: '"1"', body: { status: 'finished' } }),
      write(core, { kind: 'create', idempotencyKey: 'dup', body: { id: ENC, ...payloads.encounter(PATIENT) } }),
      write(core, { kind: 'create', idempotencyKey: 'c', body: { id: uuid(2, 8), ...payloads.encounter(PATIENT) } }),
      core.getResource(ctx, { module: 'dental', collection: 'encounters', id: ENC }),
      core.getResource(ctx, { module: 'clinic', collection: 'encounters', id: 'x' }),
      core.getResource(ctx, { module: 'clinic', collection: 'encounters', id: uuid(2, 9) }),
    ];
    for (const r of answers) {
      expect(r.status, r.bodyJson).toBeGreaterThanOrEqual(400);
      expect((r.body as { detail?: string }).detail, r.bodyJson).toMatch(/\w{3}/);
      expect(r.headers['content-type']).toBe('application/problem+json');
      expect(r.audits).toEqual([]);
      expect(r.replayed).toBe(false);
    }
  });

  test('a body that is not an object is named at the root', () => {
    const { core } = makeCore();
    expect(write(core, { kind: 'create', body: 'x' }).body).toMatchObject({ errors: [{ pointer: '', detail: 'body must be a JSON object' }] });
  });

  test('a PATCH of a missing resource with If-Match * is a recorded 404', () => {
    const { core } = makeCore();
    const req = { kind: 'patch' as const, id: uuid(2, 9), idempotencyKey: 'm', ifMatch: '*', body: { status: 'finished' } };
    expect(write(core, req).status).toBe(404);
    expect(write(core, req)).toMatchObject({ status: 404, replayed: true });
  });

  test('a probable duplicate patient is a 422 problem with the problem content type', () => {
    const { core } = makeCore();
    write(core, { collection: 'patients', kind: 'create', idempotencyKey: 'p1', body: { id: uuid(2, 1), ...payloads.patient('M-1') } });
    const dup = write(core, { collection: 'patients', kind: 'create', idempotencyKey: 'p2', body: { id: uuid(2, 2), ...payloads.patient('M-2') } });
    expect(dup.status).toBe(422);
    expect(dup.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect((dup.body as { detail: string }).detail).toMatch(/\w{3}/);
  });
});
