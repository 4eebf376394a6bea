/**
 * The store contract: one suite every Store adapter must pass (memory, SQLite file and :memory:,
 * PostgreSQL). Each adapter's test file calls {@link defineStoreContract} with a factory.
 * Everything is awaited, so the same tests drive synchronous and asynchronous stores.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { createCore } from '../../src/domain/core.js';
import { moduleRegistry } from '../../src/domain/module.js';
import { pushResponseBody } from '../../src/domain/push.js';
import { ManualClock } from '../../src/ports/clock.js';
import type { AggregateRow, ChangeRow, ConflictRow, IdempotencyRecord } from '../../src/ports/records.js';
import type { Store, StoreTx } from '../../src/ports/store.js';

/** Options a factory must honour. */
export interface StoreFactoryOptions {
  /** Hook run inside every transaction before commit. */
  readonly beforeCommit?: (tx: StoreTx) => void;
}

/** Creates a fresh, empty store. */
export type StoreFactory = (options?: StoreFactoryOptions) => Promise<Store>;

const T = 'tenant-a';
const U = 'tenant-b';
const uuid = (a: number, b = 0) => `${a.toString(16).padStart(8, '0')}-0000-4000-8000-${b.toString(16).padStart(12, '0')}`;

function aggregate(tenantId: string, id: string, version: number, index?: Record<string, string>): AggregateRow {
  return {
    tenantId,
    module: 'clinic',
    type: 'patient',
    id,
    version,
    state: { mrn: `M-${version}`, nested: { a: [1, 2, { b: 'ü' }] } },
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...(index ? { index } : {}),
  };
}

function change(tenantId: string, id: string, version: number, module = 'clinic'): Omit<ChangeRow, 'seq' | 'publishedAt'> {
  return {
    tenantId,
    module,
    aggregate: { type: 'patient', id },
    version,
    op: version === 1 ? 'create' : 'update',
    eventType: version === 1 ? 'created' : 'updated',
    state: { v: version },
    committedAt: '2026-01-01T00:00:00.000Z',
    eventId: uuid(0xe, version),
    clientMutationId: uuid(0xc, version),
    actorId: 'alice',
  };
}

function record(tenantId: string, key: string, recordedAt: number, extra: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return { tenantId, key, fingerprint: 'f'.repeat(64), recordedAt, clientId: uuid(1), clientSeq: 3, status: 200, body: '{"status":"applied"}', ...extra };
}

function conflict(tenantId: string, id: string, status: 'open' | 'resolved'): ConflictRow {
  return {
    tenantId,
    module: 'clinic',
    conflictId: id,
    aggregate: { type: 'encounter', id: uuid(2, 1) },
    policy: 'reject-stale',
    status,
    clientId: uuid(1, 1),
    clientMutationId: uuid(3, 1),
    actorId: 'alice',
    op: 'update',
    serverVersion: 2,
    serverState: { status: 'in-progress' },
    proposed: { status: 'finished' },
    phi: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...(status === 'resolved' ? { resolvedAt: '2026-01-02T00:00:00.000Z', resolution: 'keep-server' as const } : {}),
  };
}

class Boom extends Error {}

/** Declares the contract tests for one store variant (`variant`: lower-case id token). */
export function defineStoreContract(variant: string, factory: StoreFactory): void {
  const open: Store[] = [];
  const make = async (options?: StoreFactoryOptions): Promise<Store> => {
    const s = await factory(options);
    open.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  const id = (name: string) => `store.${variant}.${name}`;

  describe(`store contract: ${variant}`, () => {
    requirementTest(
      { id: id('atomicity'), verifies: ['OFS-IDEM-014', 'OFS-EVT-002', 'OFS-SEC-007'] },
      'a failure inside the transaction leaves nothing: no state, no record, no outbox row, no conflict, no audit entry',
      async () => {
        const store = await make();
        const failing = () => store.transaction({ tenantId: T, aggregates: [{ type: 'patient', id: uuid(2) }], idempotencyKeys: ['k1'], clientIds: [uuid(1)], auditHead: true }, (tx) => {
          tx.putAggregate(aggregate(T, uuid(2), 1, { 'patient.mrn': 'M-1' }));
          tx.putIdempotency(record(T, 'k1', 1000));
          tx.putClientSeq({ tenantId: T, clientId: uuid(1), lastSeq: 1, pending: [] });
          tx.appendChange(change(T, uuid(2), 1));
          tx.putConflict(conflict(T, uuid(9), 'open'));
          tx.appendAudit({ tenantId: T, seq: 1, prevHash: '0'.repeat(64), hash: 'a'.repeat(64), event: { resourceType: 'AuditEvent' }, module: 'clinic', action: 'x', sourceId: 's1' });
          throw new Boom('fail after writing');
        });
        await expect(Promise.resolve().then(failing)).rejects.toBeInstanceOf(Boom);
        expect(await store.findAggregate(T, 'patient', uuid(2))).toBeUndefined();
        expect(await store.outboxSize()).toBe(0);
        expect((await store.listChanges(T, 0, 10)).changes).toEqual([]);
        expect(await store.findConflict(T, uuid(9))).toBeUndefined();
        expect(await store.listAudit(T, 0, 10)).toEqual([]);
        const seen = await store.transaction(
          { tenantId: T, idempotencyKeys: ['k1'], clientIds: [uuid(1)], indexLookups: [{ index: 'patient.mrn', value: 'M-1' }] },
          (tx) => [tx.getIdempotency(T, 'k1'), tx.getClientSeq(T, uuid(1)), tx.lookupIndex(T, 'patient.mrn', 'M-1')],
        );
        expect(seen).toEqual([undefined, undefined, []]);
      },
    );

    requirementTest(
      { id: id('atomicity-through-core'), verifies: ['OFS-IDEM-014', 'OFS-SYNC-014'] },
      'a push whose commit fails stores nothing and its retry is processed anew',
      async () => {
        let fail = true;
        const store = await make({
          beforeCommit: () => {
            if (fail) throw new Boom('crash before commit');
          },
        });
        const core = createCore({ store, clock: new ManualClock(), modules: moduleRegistry(clinicModule), audit: createAuditRecorder() });
        const ctx = { tenantId: T, actorId: 'alice', roles: ['clinician'] };
        const body = {
          clientId: uuid(1),
          mutations: [
            {
              clientMutationId: uuid(3, 1),
              clientSeq: 1,
              aggregate: { type: 'stock-item', id: uuid(2, 1) },
              op: 'create',
              baseVersion: 0,
              payload: { sku: 'S', name: 'n', quantity: 3, controlled: false },
              capturedAt: '2026-01-01T00:00:00Z',
              actorId: 'alice',
            },
          ],
        };
        await expect(Promise.resolve().then(() => core.push(ctx, 'clinic', body))).rejects.toBeInstanceOf(Boom);
        expect(await store.findAggregate(T, 'stock-item', uuid(2, 1))).toBeUndefined();
        expect(await store.outboxSize()).toBe(0);
        fail = false;
        const r = await core.push(ctx, 'clinic', body);
        expect(r.ok && r.value.outcomes[0]).toMatchObject({ status: 'applied', newVersion: 1 });
        expect(r.ok && r.value.outcomes[0]).not.toHaveProperty('replayed');
        expect(await store.outboxSize()).toBe(1);
      },
    );

    requirementTest(
      { id: id('idempotency-round-trip'), verifies: ['OFS-IDEM-005', 'OFS-TEN-006'] },
      'an idempotency record reads back exactly, is tenant-scoped, and is never silently overwritten',
      async () => {
        const store = await make();
        const rec = record(T, 'k1', 1_700_000_000_000, { headers: { etag: '"1"' }, body: '{"a":"\\u00fc\\"","b":[1,2.5]}' });
        const first = await store.transaction({ tenantId: T, idempotencyKeys: ['k1'] }, (tx) => [tx.putIdempotency(rec), tx.putIdempotency({ ...rec, body: '{}' })]);
        expect(first).toEqual([true, false]);
        const back = await store.transaction({ tenantId: T, idempotencyKeys: ['k1'] }, (tx) => tx.getIdempotency(T, 'k1'));
        expect(back).toMatchObject({ tenantId: T, key: 'k1', fingerprint: rec.fingerprint, recordedAt: rec.recordedAt, clientId: rec.clientId, clientSeq: 3, status: 200, body: rec.body, headers: { etag: '"1"' } });
        expect(await store.transaction({ tenantId: U, idempotencyKeys: ['k1'] }, (tx) => tx.getIdempotency(U, 'k1'))).toBeUndefined();
        const replaced = await store.transaction({ tenantId: T, idempotencyKeys: ['k1'] }, (tx) => {
          tx.putIdempotency({ ...rec, body: '{"v":2}', recordedAt: 5 }, true);
          return tx.getIdempotency(T, 'k1')?.body;
        });
        expect(replaced).toBe('{"v":2}');
        expect(await store.transaction({ tenantId: T, idempotencyKeys: ['k1'] }, (tx) => tx.getIdempotency(T, 'k1')?.recordedAt)).toBe(5);
      },
    );

    requirementTest(
      { id: id('outbox-claim-mark'), verifies: ['OFS-EVT-002', 'OFS-EVT-008'] },
      'outbox rows are claimed in commit order until marked published; marking is idempotent',
      async () => {
        const store = await make();
        await store.transaction({ tenantId: T }, (tx) => {
          tx.appendChange(change(T, uuid(2, 1), 1));
          tx.appendChange(change(T, uuid(2, 1), 2));
        });
        await store.transaction({ tenantId: U }, (tx) => tx.appendChange(change(U, uuid(2, 2), 1)));
        const rows = await store.claimOutbox(10);
        expect(rows.map((r) => [r.tenantId, r.version])).toEqual([
          [T, 1],
          [T, 2],
          [U, 1],
        ]);
        expect(rows.every((r) => r.publishedAt === null)).toBe(true);
        expect(rows[0]).toMatchObject({ aggregate: { type: 'patient', id: uuid(2, 1) }, eventId: uuid(0xe, 1), eventType: 'created', state: { v: 1 }, actorId: 'alice' });
        expect(await store.outboxSize()).toBe(3);
        await store.markPublished([rows[0]!.seq, rows[2]!.seq], '2026-01-01T00:00:01.000Z');
        await store.markPublished([rows[0]!.seq], '2026-01-01T00:00:02.000Z');
        expect(await store.outboxSize()).toBe(1);
        expect((await store.claimOutbox(10)).map((r) => r.seq)).toEqual([rows[1]!.seq]);
        expect((await store.claimOutbox(0)).length).toBe(0);
        const published = (await store.listChanges(T, 0, 10)).changes[0];
        expect(published?.publishedAt).toBe('2026-01-01T00:00:01.000Z');
      },
    );

    test(`appending a row read back from the log adds a new change and leaves the read row alone (${variant})`, async () => {
      const store = await make();
      await store.transaction({ tenantId: T }, (tx) => tx.appendChange(change(T, uuid(2, 1), 1)));
      const [first] = (await store.listChanges(T, 0, 10)).changes;
      if (!first) throw new Error('change missing');
      await store.transaction({ tenantId: T }, (tx) => tx.appendChange({ ...first, version: 2 }));
      await store.transaction({ tenantId: T }, (tx) => tx.appendChange(first));
      const all = (await store.listChanges(T, 0, 10)).changes;
      expect(all.map((c) => c.version)).toEqual([1, 2, 1]);
      expect(new Set(all.map((c) => c.seq)).size).toBe(3);
      expect(all[0]?.seq).toBe(first.seq);
    });

    requirementTest(
      { id: id('change-log-order'), verifies: ['OFS-SYNC-012', 'OFS-TEN-003'] },
      "the change log pages a tenant's changes in commit order, after a seq, with hasMore, never another tenant's",
      async () => {
        const store = await make();
        for (let v = 1; v <= 5; v++) {
          await store.transaction({ tenantId: T }, (tx) => tx.appendChange(change(T, uuid(2, 1), v, v === 3 ? 'other' : 'clinic')));
          await store.transaction({ tenantId: U }, (tx) => tx.appendChange(change(U, uuid(2, 9), v)));
        }
        const all = await store.listChanges(T, 0, 100);
        expect(all.changes.map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
        expect(all.changes.every((c) => c.tenantId === T)).toBe(true);
        const seqs = all.changes.map((c) => c.seq);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
        const page1 = await store.listChanges(T, 0, 2, 'clinic');
        expect(page1.changes.map((c) => c.version)).toEqual([1, 2]);
        expect(page1.hasMore).toBe(true);
        const page2 = await store.listChanges(T, page1.changes[1]!.seq, 2, 'clinic');
        expect(page2.changes.map((c) => c.version)).toEqual([4, 5]);
        expect(page2.hasMore).toBe(false);
        expect((await store.listChanges('nobody', 0, 10)).changes).toEqual([]);
      },
    );

    requirementTest(
      { id: id('conflict-lifecycle'), verifies: ['OFS-CONF-008', 'OFS-SYNC-008', 'OFS-TEN-006'] },
      'a conflict is stored open, blocks its client on its aggregate, is listed, resolved and then no longer blocks',
      async () => {
        const store = await make();
        const c = conflict(T, uuid(9, 1), 'open');
        const scope = { tenantId: T, clientIds: [c.clientId], openConflictsOfClients: true, conflictIds: [c.conflictId] };
        await store.transaction(scope, (tx) => tx.putConflict(c));
        expect(await store.transaction(scope, (tx) => tx.openConflictFor(T, c.clientId, c.aggregate))).toBe(c.conflictId);
        expect(await store.transaction(scope, (tx) => tx.openConflictFor(T, c.clientId, { type: 'encounter', id: uuid(2, 2) }))).toBeUndefined();
        expect(await store.transaction({ tenantId: U, clientIds: [c.clientId], openConflictsOfClients: true }, (tx) => tx.openConflictFor(U, c.clientId, c.aggregate))).toBeUndefined();
        expect((await store.listConflicts(T, 'clinic', 'open')).map((x) => x.conflictId)).toEqual([c.conflictId]);
        expect(await store.listConflicts(U, 'clinic')).toEqual([]);
        expect(await store.findConflict(T, c.conflictId)).toEqual(c);
        await store.transaction(scope, (tx) => tx.putConflict(conflict(T, c.conflictId, 'resolved')));
        expect(await store.transaction(scope, (tx) => tx.openConflictFor(T, c.clientId, c.aggregate))).toBeUndefined();
        expect(await store.listConflicts(T, 'clinic', 'open')).toEqual([]);
        expect(await store.listConflicts(T, 'clinic', 'resolved')).toHaveLength(1);
        expect((await store.findConflict(T, c.conflictId))?.resolution).toBe('keep-server');
      },
    );

    requirementTest(
      { id: id('retention-purge'), verifies: ['OFS-IDEM-008', 'OFS-IDEM-009'] },
      'purging removes only records older than the cutoff and keeps client sequences',
      async () => {
        const store = await make();
        await store.transaction({ tenantId: T }, (tx) => {
          tx.putIdempotency(record(T, 'old', 1000));
          tx.putIdempotency(record(T, 'new', 5000));
          tx.putClientSeq({ tenantId: T, clientId: uuid(1), lastSeq: 7, pending: [{ seq: 5, type: 'encounter', id: uuid(2, 5), blockedBy: uuid(9, 5) }] });
        });
        expect(await store.purgeIdempotency(2000)).toBe(1);
        const left = await store.transaction({ tenantId: T, idempotencyKeys: ['old', 'new'], clientIds: [uuid(1)] }, (tx) => [
          tx.getIdempotency(T, 'old'),
          tx.getIdempotency(T, 'new')?.key,
          tx.getClientSeq(T, uuid(1)),
        ]);
        expect(left).toEqual([undefined, 'new', { tenantId: T, clientId: uuid(1), lastSeq: 7, pending: [{ seq: 5, type: 'encounter', id: uuid(2, 5), blockedBy: uuid(9, 5) }] }]);
      },
    );

    test(`aggregates and secondary index stay in step (${variant})`, async () => {
      const store = await make();
      const lookups = [
        { index: 'patient.mrn', value: 'A' },
        { index: 'patient.mrn', value: 'B' },
      ];
      await store.transaction({ tenantId: T, aggregates: [{ type: 'patient', id: uuid(2, 1) }] }, (tx) => tx.putAggregate(aggregate(T, uuid(2, 1), 1, { 'patient.mrn': 'A' })));
      await store.transaction({ tenantId: T, aggregates: [{ type: 'patient', id: uuid(2, 2) }] }, (tx) => tx.putAggregate(aggregate(T, uuid(2, 2), 1, { 'patient.mrn': 'A' })));
      const read = () =>
        store.transaction({ tenantId: T, indexLookups: lookups }, (tx) => [[...tx.lookupIndex(T, 'patient.mrn', 'A')], [...tx.lookupIndex(T, 'patient.mrn', 'B')]]);
      expect(await read()).toEqual([[uuid(2, 1), uuid(2, 2)], []]);
      const inTx = await store.transaction({ tenantId: T, aggregates: [{ type: 'patient', id: uuid(2, 1) }], indexLookups: lookups }, (tx) => {
        tx.putAggregate(aggregate(T, uuid(2, 1), 2, { 'patient.mrn': 'B' }));
        return [[...tx.lookupIndex(T, 'patient.mrn', 'A')], [...tx.lookupIndex(T, 'patient.mrn', 'B')], tx.getAggregate(T, 'patient', uuid(2, 1))?.version];
      });
      expect(inTx).toEqual([[uuid(2, 2)], [uuid(2, 1)], 2]);
      expect(await read()).toEqual([[uuid(2, 2)], [uuid(2, 1)]]);
      const row = await store.findAggregate(T, 'patient', uuid(2, 1));
      expect(row).toEqual(aggregate(T, uuid(2, 1), 2, { 'patient.mrn': 'B' }));
      expect(await store.findAggregate(U, 'patient', uuid(2, 1))).toBeUndefined();
    });

    test(`audit chain storage and devices (${variant})`, async () => {
      const store = await make();
      const entry = (seq: number) => ({ tenantId: T, seq, prevHash: String(seq - 1).padStart(64, '0'), hash: String(seq).padStart(64, '0'), event: { n: seq }, module: 'clinic', action: 'conflict-resolved', sourceId: `s${seq}` });
      await store.transaction({ tenantId: T, auditHead: true }, (tx) => {
        tx.appendAudit(entry(1));
        tx.appendAudit(entry(2));
      });
      await expect(Promise.resolve().then(() => store.transaction({ tenantId: T, auditHead: true }, (tx) => tx.appendAudit(entry(5))))).rejects.toThrow();
      expect(await store.findAuditHead(T)).toEqual({ seq: 2, hash: entry(2).hash });
      expect((await store.listAudit(T, 1, 10)).map((e) => e.event)).toEqual([{ n: 2 }]);
      expect((await store.claimAuditOutbox(10)).map((e) => e.seq)).toEqual([1, 2]);
      await store.markAuditPublished([{ tenantId: T, seq: 1 }], '2026-01-01T00:00:00.000Z');
      expect((await store.claimAuditOutbox(10)).map((e) => e.seq)).toEqual([2]);

      await store.putDevice({ tenantId: T, deviceId: 'd1', publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: 'abc' }, headSeq: 0, headHash: '0'.repeat(64), registeredAt: '2026-01-01T00:00:00.000Z' });
      const env = { tenantId: T, deviceId: 'd1', seq: 1, envelope: { payload: 'x' }, acceptedAt: '2026-01-01T00:00:00.000Z' };
      expect(await store.appendEnvelopes(T, 'd1', 0, [env], { seq: 1, hash: 'h1' })).toBe(true);
      expect(await store.appendEnvelopes(T, 'd1', 0, [env], { seq: 1, hash: 'h1' })).toBe(false);
      expect(await store.getDevice(T, 'd1')).toMatchObject({ headSeq: 1, headHash: 'h1' });
      expect(await store.listEnvelopes(T, 'd1')).toEqual([env]);
      expect(await store.getDevice(U, 'd1')).toBeUndefined();
    });

    test(`the core's decisions replay byte-identically from this store (${variant})`, async () => {
      const store = await make();
      const core = createCore({ store, clock: new ManualClock(), modules: moduleRegistry(clinicModule), audit: createAuditRecorder() });
      const ctx = { tenantId: T, actorId: 'alice', roles: ['clinician'] };
      const m = (seq: number, type: string, id: string, op: string, payload: Record<string, unknown>, base = 0) => ({
        clientMutationId: uuid(3, seq),
        clientSeq: seq,
        aggregate: { type, id },
        op,
        baseVersion: base,
        payload,
        capturedAt: '2026-01-01T00:00:00Z',
        actorId: 'alice',
      });
      const patient = { mrn: 'M-1', givenName: 'Ada', familyName: 'Lovelace', birthDate: '1990-12-10' };
      const body = {
        clientId: uuid(1),
        mutations: [
          m(1, 'patient', uuid(2, 1), 'create', patient),
          m(2, 'patient', uuid(2, 2), 'create', { ...patient, mrn: 'M-2' }),
          m(3, 'patient', uuid(2, 2), 'update', { givenName: 'Augusta' }, 0),
          m(4, 'stock-item', uuid(2, 3), 'create', { sku: 'S', name: 'n', quantity: 1, controlled: true }),
          m(5, 'note', uuid(2, 4), 'create', { patientId: uuid(2, 1), title: 'T' }),
          m(6, 'note', uuid(2, 4), 'append', { text: 'ü "quoted"', authoredAt: '2026-01-01T00:00:00Z' }),
        ],
      };
      const first = await core.push(ctx, 'clinic', body);
      const second = await core.push(ctx, 'clinic', body);
      if (!first.ok || !second.ok) throw new Error('push refused');
      expect(first.value.outcomes.map((o) => o.status)).toEqual(['applied', 'conflict', 'blocked', 'rejected', 'applied', 'applied']);
      expect(second.value.outcomes.map((o) => o.status)).toEqual(['applied', 'conflict', 'blocked', 'rejected', 'applied', 'applied']);
      expect(pushResponseBody(second.value).replaceAll(',"replayed":true', '')).toBe(pushResponseBody(first.value));
      const conflictId = first.value.outcomes[1]?.status === 'conflict' ? first.value.outcomes[1].conflictId : '';
      const resolved = await core.resolveConflict(ctx, { module: 'clinic', conflictId, body: { resolution: 'take-client' } });
      expect(resolved.ok && resolved.value.newVersion).toBe(1);
      expect((await store.listAudit(T, 0, 10)).map((e) => e.action)).toEqual(['permission-lost', 'conflict-resolved']);
      const pulled = await core.pull(ctx, { module: 'clinic' });
      expect(pulled.ok && pulled.value.changes.map((c) => [c.aggregate.id, c.version, c.op])).toEqual([
        [uuid(2, 1), 1, 'create'],
        [uuid(2, 4), 1, 'create'],
        [uuid(2, 4), 2, 'append'],
        [uuid(2, 2), 1, 'resolve'],
      ]);
      const retry = await core.push(ctx, 'clinic', { clientId: uuid(1), mutations: [m(3, 'patient', uuid(2, 2), 'update', { givenName: 'Augusta' }, 1)] });
      expect(retry.ok && retry.value.outcomes[0]?.status).toBe('applied');
      const rest = await core.restWrite(ctx, { module: 'clinic', kind: 'patch', collection: 'patients', id: uuid(2, 2), idempotencyKey: 'r1', ifMatch: '"2"', body: { familyName: 'King' } });
      expect(rest.status).toBe(200);
      const restAgain = await core.restWrite(ctx, { module: 'clinic', kind: 'patch', collection: 'patients', id: uuid(2, 2), idempotencyKey: 'r1', ifMatch: '"2"', body: { familyName: 'King' } });
      expect(restAgain).toMatchObject({ status: 200, replayed: true, bodyJson: rest.bodyJson });
    });
  });
}
