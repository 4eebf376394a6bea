/**
 * Group commit of the PostgreSQL store (src/stores/postgres/group-fold.ts): transactions of one
 * tenant that queue together run in one database transaction, each deciding against what the ones
 * before it wrote; one that throws fails alone; all are answered only after the COMMIT.
 */
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import type { AggregateRow } from '../../src/ports/records.js';
import { openPostgresStore } from '../../src/stores/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from './pg-test-database.js';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

const T = 'tenant-g';
const uuid = (a: number, b = 0) => `${a.toString(16).padStart(8, '0')}-0000-4000-8000-${b.toString(16).padStart(12, '0')}`;

function item(version: number, index?: Record<string, string>): AggregateRow {
  return { tenantId: T, module: 'clinic', type: 'stock-item', id: uuid(2), version, state: { quantity: version }, updatedAt: 'x', ...(index ? { index } : {}) };
}

class Boom extends Error {}

test('queued transactions of a tenant see each other in order, fail alone, and commit together', async () => {
  const db = await createTestDatabase();
  databases.push(db);
  const store = await openPostgresStore({ connectionString: db.url });
  try {
    // Five read-modify-write transactions issued together: each must read the version the one
    // before it wrote (none was committed when it ran), the failing one leaves nothing.
    const bump = (fail: boolean) =>
      store.transaction({ tenantId: T, aggregates: [{ type: 'stock-item', id: uuid(2) }], indexLookups: [{ index: 'sku', value: 'S-1' }] }, (tx) => {
        const current = tx.getAggregate(T, 'stock-item', uuid(2));
        const next = (current?.version ?? 0) + 1;
        tx.putAggregate(item(next, { sku: `S-${next}` }));
        tx.putClientSeq({ tenantId: T, clientId: uuid(1), lastSeq: next, pending: [] });
        if (fail) throw new Boom(`version ${next}`);
        return [next, tx.lookupIndex(T, 'sku', 'S-1')];
      });
    const results = await Promise.allSettled([bump(false), bump(false), bump(true), bump(false), bump(false)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([
      [1, [uuid(2)]],
      [2, []],
      'failed',
      [3, []],
      [4, []],
    ]);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      expect((await c.query('SELECT version FROM aggregates WHERE tenant_id = $1', [T])).rows).toEqual([{ version: '4' }]);
      expect((await c.query('SELECT value FROM aggregate_index WHERE tenant_id = $1', [T])).rows).toEqual([{ value: 'S-4' }]);
      expect((await c.query('SELECT last_seq FROM client_seq WHERE tenant_id = $1', [T])).rows).toEqual([{ last_seq: '4' }]);
    } finally {
      await c.end();
    }
  } finally {
    await store.close();
  }
});

test('a transaction whose writes the database refuses fails alone, not with the group it joined', async () => {
  const db = await createTestDatabase();
  databases.push(db);
  const store = await openPostgresStore({ connectionString: db.url });
  try {
    const put = (client: number, lastSeq: number) =>
      store.transaction({ tenantId: T, clientIds: [uuid(1, client)] }, (tx) => {
        tx.putClientSeq({ tenantId: T, clientId: uuid(1, client), lastSeq, pending: [] });
        return client;
      });
    // NaN passes the core's types but not the bigint column: the flush fails for the whole group.
    const results = await Promise.allSettled([put(1, 1), put(2, Number.NaN), put(3, 3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      expect((await c.query('SELECT client_id, last_seq FROM client_seq WHERE tenant_id = $1 ORDER BY client_id', [T])).rows).toEqual([
        { client_id: uuid(1, 1), last_seq: '1' },
        { client_id: uuid(1, 3), last_seq: '3' },
      ]);
    } finally {
      await c.end();
    }
  } finally {
    await store.close();
  }
});
