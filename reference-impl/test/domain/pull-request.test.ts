/**
 * Pull request handling (TR §7): the opaque cursor accepts exactly what this server minted for
 * the tenant, the limit is an integer 1..maxPullLimit (default page 100), and a page carries the
 * wire form of each change.
 */
import { describe, expect, test } from 'vitest';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { createCore } from '../../src/domain/core.js';
import { moduleRegistry } from '../../src/domain/module.js';
import { decodeCursor, encodeCursor } from '../../src/domain/pull.js';
import { sha256Hex } from '../../src/domain/ids.js';
import { ManualClock } from '../../src/ports/clock.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, pushBody, uuid } from './helpers.js';

const PATIENT = uuid(9, 9);
const ctx = ctxOf('t1');

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
const tag = (tenant: string) => sha256Hex('cursor\n' + tenant).slice(0, 12);

/** Pushes `n` encounter creates for tenant t1 from one client. */
function seed(core: ReturnType<typeof makeCore>['core'], n: number): void {
  const muts = Array.from({ length: n }, (_, i) => mutation({ cmid: uuid(3, i + 1), seq: i + 1, type: 'encounter', id: uuid(2, i + 1), op: 'create', payload: payloads.encounter(PATIENT) }));
  outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), muts)));
}

function problemAt(r: { ok: boolean; problem?: { status: number; errors?: readonly { pointer: string }[] } }): [number | undefined, string | undefined] {
  return r.ok ? [undefined, undefined] : [r.problem?.status, r.problem?.errors?.[0]?.pointer];
}

describe('cursor', () => {
  test('is base64url of c<seq>.<tenant tag>', () => {
    expect(encodeCursor('t1', 42)).toBe(b64(`c42.${tag('t1')}`));
    expect(decodeCursor('t1', b64(`c42.${tag('t1')}`))).toBe(42);
    expect(decodeCursor('t1', b64(`c0.${tag('t1')}`))).toBe(0);
  });

  test('refuses anything this server did not mint for the tenant', () => {
    const good = encodeCursor('t1', 7);
    const refused = [
      '',
      good + '=',
      good + '.',
      `${good.slice(0, 10)}+${good.slice(10)}`,
      'A'.repeat(65),
      b64(`c07.${tag('t1')}`),
      b64(`c7.${tag('t2')}`),
      b64(`c7.${tag('t1')}x`),
      b64(`d7.${tag('t1')}`),
      b64(`c-7.${tag('t1')}`),
      b64(`c7${tag('t1')}`),
      b64(`c.${tag('t1')}`),
      b64(`c${'9'.repeat(16)}.${tag('t1')}`),
      b64(`c${'1'.repeat(17)}.${tag('t1')}`),
      b64(`c7.${tag('t1').toUpperCase()}`),
      b64(` c7.${tag('t1')}`),
    ];
    for (const c of refused) expect(decodeCursor('t1', c), c).toBeUndefined();
  });

  test('accepts the largest seq it can mint', () => {
    const big = 2 ** 53 - 1;
    expect(decodeCursor('t1', encodeCursor('t1', big))).toBe(big);
    expect(decodeCursor('t1', encodeCursor('t1', 1234567890123456))).toBe(1234567890123456);
  });
});

describe('pull request', () => {
  test('an unknown module is 404', () => {
    const { core } = makeCore();
    const r = core.pull(ctx, { module: 'dental' });
    expect(!r.ok && r.problem.status).toBe(404);
  });

  test('a bad cursor is 400 at /cursor; a non-string cursor too', () => {
    const { core } = makeCore();
    seed(core, 2);
    expect(problemAt(core.pull(ctx, { module: 'clinic', cursor: encodeCursor('t2', 1) }))).toEqual([400, '/cursor']);
    expect(problemAt(core.pull(ctx, { module: 'clinic', cursor: 5 as unknown as string }))).toEqual([400, '/cursor']);
  });

  test('an empty cursor starts from the beginning', () => {
    const { core } = makeCore();
    seed(core, 2);
    const r = core.pull(ctx, { module: 'clinic', cursor: '' });
    expect(r.ok && r.value.changes).toHaveLength(2);
  });

  test('a cursor continues after the change it names', () => {
    const { core } = makeCore();
    seed(core, 4);
    const first = core.pull(ctx, { module: 'clinic', limit: 1 });
    expect(first.ok && first.value).toMatchObject({ hasMore: true, nextCursor: encodeCursor('t1', 1) });
    const rest = core.pull(ctx, { module: 'clinic', cursor: encodeCursor('t1', 1) });
    expect(rest.ok && rest.value.changes.map((c) => c.aggregate.id)).toEqual([uuid(2, 2), uuid(2, 3), uuid(2, 4)]);
    expect(rest.ok && rest.value.nextCursor).toBe(encodeCursor('t1', 4));
  });

  test('an empty first page has the cursor of seq 0', () => {
    const { core } = makeCore();
    expect(core.pull(ctx, { module: 'clinic' })).toEqual({ ok: true, value: { changes: [], nextCursor: encodeCursor('t1', 0), hasMore: false } });
  });

  test('limit: default 100, integers 1..maxPullLimit, numeric strings accepted', () => {
    const { core } = makeCore({ config: { maxPullLimit: 120 } });
    seed(core, 110);
    const dflt = core.pull(ctx, { module: 'clinic' });
    expect(dflt.ok && [dflt.value.changes.length, dflt.value.hasMore]).toEqual([100, true]);
    const max = core.pull(ctx, { module: 'clinic', limit: 120 });
    expect(max.ok && [max.value.changes.length, max.value.hasMore]).toEqual([110, false]);
    const one = core.pull(ctx, { module: 'clinic', limit: 1 });
    expect(one.ok && one.value.changes).toHaveLength(1);
    const str = core.pull(ctx, { module: 'clinic', limit: '3' as unknown as number });
    expect(str.ok && str.value.changes).toHaveLength(3);
    for (const limit of [0, -1, 121, 1.5, '0', '121', '1234567', ' 3', '3 ', '', null, true]) {
      const r = core.pull(ctx, { module: 'clinic', limit: limit as number });
      expect(problemAt(r), JSON.stringify(limit)).toEqual([400, '/limit']);
      expect(!r.ok && r.problem.errors?.[0]?.detail).toContain('120');
    }
  });

  test('a page carries the wire form of each change', () => {
    const { core } = makeCore();
    seed(core, 1);
    const r = core.pull(ctx, { module: 'clinic' });
    expect(r.ok && r.value.changes).toEqual([
      {
        aggregate: { type: 'encounter', id: uuid(2, 1) },
        version: 1,
        op: 'create',
        state: { patientId: PATIENT, status: 'planned' },
        committedAt: '2026-01-01T00:00:00.000Z',
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
  });

  test('only the requested module’s changes are pulled', () => {
    const store = createMemoryStore();
    const core = createCore({ store, clock: new ManualClock(0), modules: moduleRegistry(clinicModule, { name: 'dental', aggregates: clinicModule.aggregates }) });
    outcomesOf(core.push(ctx, 'clinic', pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(PATIENT) })])));
    outcomesOf(core.push(ctx, 'dental', pushBody(uuid(1, 2), [mutation({ cmid: uuid(3, 2), seq: 1, type: 'encounter', id: uuid(2, 2), op: 'create', payload: payloads.encounter(PATIENT) })])));
    const dental = core.pull(ctx, { module: 'dental' });
    expect(dental.ok && dental.value.changes.map((c) => c.aggregate.id)).toEqual([uuid(2, 2)]);
  });
});

describe('cursor decoding without the last-minted shortcut', () => {
  test('a seq is decoded from the cursor text when it is not the tenant’s last minted cursor', () => {
    const big = encodeCursor('t3', 1234567890123456);
    const two = encodeCursor('t3', 42);
    encodeCursor('t3', 1);
    expect(decodeCursor('t3', big)).toBe(1234567890123456);
    expect(decodeCursor('t3', two)).toBe(42);
    expect(decodeCursor('t3', b64(`c7x.${tag('t3')}`))).toBeUndefined();
  });

  test('a base64url spelling that is not the one minted is refused', () => {
    const minted = encodeCursor('t4', 42);
    encodeCursor('t4', 1);
    // 16 bytes → 22 characters; the last one carries 4 unused bits: flip one of them.
    const last = minted.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const other = alphabet[alphabet.indexOf(last) ^ 1] as string;
    const respelled = minted.slice(0, -1) + other;
    expect(Buffer.from(respelled, 'base64url').toString('utf8')).toBe(Buffer.from(minted, 'base64url').toString('utf8'));
    expect(decodeCursor('t4', respelled)).toBeUndefined();
    expect(decodeCursor('t4', minted)).toBe(42);
  });
});
