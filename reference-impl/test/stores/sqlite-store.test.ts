import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { createCore } from '../../src/domain/core.js';
import { moduleRegistry } from '../../src/domain/module.js';
import { pushResponseBody } from '../../src/domain/push.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openGroupCommitSqliteStore } from '../../src/stores/sqlite/group-commit-store.js';
import { SQLITE_MIGRATIONS } from '../../src/stores/sqlite/schema.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { defineStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'syncproof-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

defineStoreContract('sqlite-file', async (options) =>
  openSqliteStore({ filename: join(dir, `store-${n++}.db`), ...(options?.beforeCommit ? { beforeCommit: options.beforeCommit } : {}) }),
);
defineStoreContract('sqlite-memory', async (options) =>
  openSqliteStore({ filename: ':memory:', ...(options?.beforeCommit ? { beforeCommit: options.beforeCommit } : {}) }),
);
defineStoreContract('sqlite-group-commit', async (options) =>
  openGroupCommitSqliteStore({ filename: join(dir, `store-${n++}.db`), ...(options?.beforeCommit ? { beforeCommit: options.beforeCommit } : {}) }),
);

test('a SQLite file keeps its data across reopen and migrates once', () => {
  const file = join(dir, 'reopen.db');
  const a = openSqliteStore({ filename: file });
  a.transaction({ tenantId: 't' }, (tx) => tx.putClientSeq({ tenantId: 't', clientId: 'c', lastSeq: 4, pending: [] }));
  a.close();
  const b = openSqliteStore({ filename: file });
  expect(b.transaction({ tenantId: 't' }, (tx) => tx.getClientSeq('t', 'c')?.lastSeq)).toBe(4);
  b.close();
});

// --- Caches, buffered writes and the compact formats (see the module comment of sqlite-store.ts)

const T = 'tenant-a';
const id = (n: number) => `00000002-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const cmid = (n: number) => `00000003-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function pushBody(from: number, count: number, op: 'create' | 'adjust', item: string) {
  return {
    clientId: '00000001-0000-4000-8000-000000000001',
    mutations: Array.from({ length: count }, (_, i) => ({
      clientMutationId: cmid(from + i),
      clientSeq: from + i,
      aggregate: { type: 'stock-item', id: item },
      op,
      baseVersion: 0,
      payload: op === 'create' ? { sku: `S-${item.slice(-4)}`, name: 'n', quantity: 100, controlled: false } : { delta: -1, reason: 'dispense' },
      capturedAt: '2026-01-01T00:00:00Z',
      actorId: 'alice',
    })),
  };
}

function coreOf(store: ReturnType<typeof openSqliteStore>) {
  return createCore({ store, clock: new ManualClock(), modules: moduleRegistry(clinicModule) });
}

requirementTest(
  { id: 'store.sqlite.two-connections', verifies: ['OFS-STORE-003', 'OFS-IDEM-013'] },
  'two stores on one file see each other’s commits: cached rows are dropped when another connection wrote',
  () => {
    const file = join(dir, 'two-connections.db');
    const a = openSqliteStore({ filename: file });
    const b = openSqliteStore({ filename: file });
    try {
      const ctx = { tenantId: T, actorId: 'alice', roles: ['clinician'] };
      const coreA = coreOf(a);
      const coreB = coreOf(b);
      const item = id(1);
      expect(coreA.push(ctx, 'clinic', pushBody(1, 1, 'create', item)).ok).toBe(true);
      // A now caches the item (version 1) and the client's sequence; B adjusts it twice.
      expect(outcomes(coreA.push(ctx, 'clinic', pushBody(2, 1, 'adjust', item)))).toEqual([['applied', 2]]);
      expect(outcomes(coreB.push(ctx, 'clinic', pushBody(3, 2, 'adjust', item)))).toEqual([
        ['applied', 3],
        ['applied', 4],
      ]);
      // A continues at the client's real sequence and the item's real version and quantity.
      expect(outcomes(coreA.push(ctx, 'clinic', pushBody(5, 1, 'adjust', item)))).toEqual([['applied', 5]]);
      expect(a.findAggregate(T, 'stock-item', item)?.state.quantity).toBe(96);
      // A replays what B decided.
      expect(coreA.push(ctx, 'clinic', pushBody(3, 2, 'adjust', item))).toMatchObject({ ok: true, value: { outcomes: [{ replayed: true }, { replayed: true }] } });
    } finally {
      a.close();
      b.close();
    }
  },
);

function outcomes(r: ReturnType<ReturnType<typeof coreOf>['push']>): [string, number | undefined][] {
  if (!r.ok) throw new Error(r.problem.detail);
  return r.value.outcomes.map((o) => [o.status, o.status === 'applied' ? o.newVersion : undefined]);
}

requirementTest(
  { id: 'store.sqlite.rollback-drops-cached-writes', verifies: ['OFS-IDEM-014'] },
  'a failed transaction leaves nothing in the caches: the next transaction reads the committed rows',
  () => {
    let fail = false;
    const store = openSqliteStore({
      filename: join(dir, 'rollback-cache.db'),
      beforeCommit: () => {
        if (fail) throw new Error('crash before commit');
      },
    });
    try {
      const row = (version: number) => ({ tenantId: T, module: 'clinic', type: 'note', id: id(2), version, state: { v: version }, updatedAt: '2026-01-01T00:00:00.000Z' });
      store.transaction({ tenantId: T }, (tx) => {
        tx.putAggregate(row(1));
        tx.putClientSeq({ tenantId: T, clientId: 'c', lastSeq: 1, pending: [] });
      });
      // Cached by a read, then overwritten by a transaction that fails.
      expect(store.transaction({ tenantId: T }, (tx) => tx.getAggregate(T, 'note', id(2))?.version)).toBe(1);
      fail = true;
      expect(() =>
        store.transaction({ tenantId: T, idempotencyKeys: ['k1', 'k2'] }, (tx) => {
          tx.putAggregate(row(2));
          tx.putClientSeq({ tenantId: T, clientId: 'c', lastSeq: 2, pending: [] });
          tx.putIdempotency({ tenantId: T, key: 'k1', fingerprint: 'f', recordedAt: 1, status: 200, body: '{}' });
          expect(tx.getAggregate(T, 'note', id(2))?.version).toBe(2);
          expect(tx.getIdempotency(T, 'k1')?.body).toBe('{}');
        }),
      ).toThrow('crash before commit');
      fail = false;
      const seen = store.transaction({ tenantId: T, idempotencyKeys: ['k1', 'k2'] }, (tx) => [
        tx.getAggregate(T, 'note', id(2))?.state,
        tx.getClientSeq(T, 'c')?.lastSeq,
        tx.getIdempotency(T, 'k1'),
      ]);
      expect(seen).toEqual([{ v: 1 }, 1, undefined]);
    } finally {
      store.close();
    }
  },
);

test('buffered writes: read-your-writes inside the transaction, one row per aggregate, state stored once', () => {
  const file = join(dir, 'buffered.db');
  const store = openSqliteStore({ filename: file });
  try {
    const agg = (version: number, state: Record<string, number>) => ({ tenantId: T, module: 'clinic', type: 'note', id: id(3), version, state, updatedAt: '2026-01-01T00:00:00.000Z' });
    const change = (version: number, state: Record<string, number>) => ({
      tenantId: T,
      module: 'clinic',
      aggregate: { type: 'note', id: id(3) },
      version,
      op: 'append',
      eventType: 'appended',
      state,
      committedAt: '2026-01-01T00:00:00.000Z',
      eventId: cmid(100 + version),
      clientMutationId: cmid(200 + version),
      actorId: 'alice',
    });
    store.transaction({ tenantId: T }, (tx) => {
      for (let v = 1; v <= 3; v++) {
        const state = { v };
        tx.putAggregate(agg(v, state));
        tx.appendChange(change(v, state));
        expect(tx.getAggregate(T, 'note', id(3))?.version).toBe(v);
      }
      // A write without a change row keeps its state inline.
      tx.putAggregate({ ...agg(1, { inline: 1 }), id: id(4) });
      expect(tx.putIdempotency({ tenantId: T, key: 'k', fingerprint: 'f', recordedAt: 1, status: 200, body: '{"a":1}' })).toBe(true);
      expect(tx.putIdempotency({ tenantId: T, key: 'k', fingerprint: 'f', recordedAt: 1, status: 200, body: '{"a":2}' })).toBe(false);
      expect(tx.putIdempotency({ tenantId: T, key: 'k', fingerprint: 'g', recordedAt: 2, status: 200, body: '{"a":3}' }, true)).toBe(true);
      expect(tx.getIdempotency(T, 'k')).toMatchObject({ fingerprint: 'g', body: '{"a":3}' });
    });
    expect(store.findAggregate(T, 'note', id(3))).toMatchObject({ version: 3, state: { v: 3 } });
    expect(store.findAggregate(T, 'note', id(4))).toMatchObject({ version: 1, state: { inline: 1 } });
    expect(store.listChanges(T, 0, 10).changes.map((c) => [c.seq, c.version])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.prepare('SELECT COUNT(*) AS n FROM aggregates').get()).toEqual({ n: 2 });
      expect(raw.prepare('SELECT id, state, state_seq FROM aggregates ORDER BY id').all()).toEqual([
        { id: id(3), state: '', state_seq: 3 },
        { id: id(4), state: '{"inline":1}', state_seq: null },
      ]);
      expect(raw.prepare("SELECT fingerprint, body FROM idempotency WHERE key = 'k'").get()).toEqual({ fingerprint: 'g', body: '{"a":3}' });
    } finally {
      raw.close();
    }
  } finally {
    store.close();
  }
});

requirementTest(
  { id: 'store.sqlite.compact-applied-records', verifies: ['OFS-IDEM-005'] },
  'applied outcomes are stored compactly and replay the identical bytes; other bodies are stored as they are',
  () => {
    const file = join(dir, 'compact.db');
    const store = openSqliteStore({ filename: file });
    try {
      const core = coreOf(store);
      const ctx = { tenantId: T, actorId: 'alice', roles: ['clinician'] };
      const body = pushBody(1, 3, 'create', id(5));
      const first = core.push(ctx, 'clinic', body);
      const again = core.push(ctx, 'clinic', body);
      if (!first.ok || !again.ok) throw new Error('push refused');
      expect(first.value.outcomes.map((o) => o.status)).toEqual(['applied', 'rejected', 'rejected']);
      expect(pushResponseBody(again.value).replaceAll(',"replayed":true', '')).toBe(pushResponseBody(first.value));
      expect(again.value.outcomes[0]).toEqual({ ...first.value.outcomes[0], replayed: true });
      const raw = new Database(file, { readonly: true });
      try {
        const rows = raw.prepare('SELECT key, body, applied_version, event_id FROM idempotency ORDER BY client_seq').all() as Record<string, unknown>[];
        expect(rows[0]).toMatchObject({ key: cmid(1), body: '', applied_version: 1 });
        expect(rows[0]?.event_id).toBe(first.value.outcomes[0]?.status === 'applied' ? first.value.outcomes[0].eventId : '');
        expect(rows[1]).toMatchObject({ body: first.value.outcomeJson[1], applied_version: null, event_id: null });
      } finally {
        raw.close();
      }
    } finally {
      store.close();
    }
  },
);

test('a version 1 database is migrated in place and reads back unchanged', () => {
  const file = join(dir, 'v1.db');
  const v1 = new Database(file);
  v1.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
  v1.exec(SQLITE_MIGRATIONS[0] as string);
  v1.prepare('INSERT INTO schema_version (version) VALUES (1)').run();
  const applied = `{"clientMutationId":"${cmid(1)}","clientSeq":1,"etag":"\\"1\\"","eventId":"${cmid(9)}","newVersion":1,"status":"applied"}`;
  v1.prepare('INSERT INTO idempotency (tenant_id, key, fingerprint, recorded_at, client_id, client_seq, status, body, headers) VALUES (?,?,?,?,?,?,?,?,?)').run(
    T,
    cmid(1),
    'f'.repeat(64),
    5,
    'c',
    1,
    200,
    applied,
    null,
  );
  v1.prepare('INSERT INTO aggregates (tenant_id, type, id, module, version, state, updated_at, idx) VALUES (?,?,?,?,?,?,?,?)').run(
    T,
    'patient',
    id(6),
    'clinic',
    2,
    '{"mrn":"M-1"}',
    '2026-01-01T00:00:00.000Z',
    '{"patient.mrn":"M-1"}',
  );
  v1.close();
  const store = openSqliteStore({ filename: file });
  try {
    expect(store.findAggregate(T, 'patient', id(6))).toEqual({
      tenantId: T,
      module: 'clinic',
      type: 'patient',
      id: id(6),
      version: 2,
      state: { mrn: 'M-1' },
      updatedAt: '2026-01-01T00:00:00.000Z',
      index: { 'patient.mrn': 'M-1' },
    });
    expect(store.transaction({ tenantId: T }, (tx) => tx.getIdempotency(T, cmid(1))?.body)).toBe(applied);
  } finally {
    store.close();
  }
  const raw = new Database(file, { readonly: true });
  try {
    expect(raw.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: SQLITE_MIGRATIONS.length });
  } finally {
    raw.close();
  }
});

test('rows append in arrival order while unique key indexes still refuse a second row per key (schema v4)', () => {
  const file = join(dir, 'v4.db');
  const store = openSqliteStore({ filename: file });
  const rec = { tenantId: T, key: cmid(1), fingerprint: 'a'.repeat(64), recordedAt: 1, status: 200, body: '{"v":1}' };
  store.transaction({ tenantId: T }, (tx) => {
    tx.putIdempotency(rec, false);
    tx.putAggregate({ tenantId: T, module: 'clinic', type: 'note', id: id(1), version: 1, state: { v: 1 }, updatedAt: '2026-01-01T00:00:00.000Z' });
  });
  // An expired record replaced in place, and a new version of the aggregate: still one row each.
  store.transaction({ tenantId: T }, (tx) => {
    tx.putIdempotency({ ...rec, body: '{"v":2}', recordedAt: 9 }, true);
    tx.putAggregate({ tenantId: T, module: 'clinic', type: 'note', id: id(1), version: 2, state: { v: 2 }, updatedAt: '2026-01-01T00:00:01.000Z' });
  });
  store.close();
  const raw = new Database(file);
  try {
    expect(raw.prepare('SELECT body, recorded_at FROM idempotency').all()).toEqual([{ body: '{"v":2}', recorded_at: 9 }]);
    expect(raw.prepare('SELECT version FROM aggregates').all()).toEqual([{ version: 2 }]);
    const dup = (sql: string) => () => raw.prepare(sql).run();
    expect(dup(`INSERT INTO idempotency (tenant_id, key, fingerprint, recorded_at, status, body) SELECT tenant_id, key, fingerprint, 10, status, body FROM idempotency`)).toThrow(/UNIQUE/);
    expect(dup(`INSERT INTO aggregates (tenant_id, type, id, module, version, state, updated_at) SELECT tenant_id, type, id, module, 3, state, updated_at FROM aggregates`)).toThrow(/UNIQUE/);
  } finally {
    raw.close();
  }
});
