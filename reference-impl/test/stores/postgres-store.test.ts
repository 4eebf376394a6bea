import { afterAll, describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { createCore } from '../../src/domain/core.js';
import { moduleRegistry } from '../../src/domain/module.js';
import { ManualClock } from '../../src/ports/clock.js';
import type { AsyncStore } from '../../src/ports/store.js';
import { openPostgresStore } from '../../src/stores/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from './pg-test-database.js';
import { defineStoreContract } from './store-contract.js';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}

defineStoreContract('postgres', async (options) => {
  const db = await freshDatabase();
  return openPostgresStore({ connectionString: db.url, ...(options?.beforeCommit ? { beforeCommit: options.beforeCommit } : {}) });
});

const uuid = (a: number, b = 0) => `${a.toString(16).padStart(8, '0')}-0000-4000-8000-${b.toString(16).padStart(12, '0')}`;

describe('postgres specifics', () => {
  test('migrations are applied once and recorded', async () => {
    const db = await freshDatabase();
    const a = await openPostgresStore({ connectionString: db.url });
    const b = await openPostgresStore({ connectionString: db.url });
    try {
      const pg = await import('pg');
      const c = new pg.default.Client({ connectionString: db.url });
      await c.connect();
      const r = await c.query('SELECT version, name FROM schema_migrations ORDER BY version');
      await c.end();
      expect(r.rows).toEqual([{ version: 1, name: '001_initial.sql' }]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('reads outside the declared scope are fetched on demand', async () => {
    const db = await freshDatabase();
    const store = await openPostgresStore({ connectionString: db.url });
    try {
      await store.transaction({ tenantId: 't', aggregates: [{ type: 'note', id: uuid(2) }] }, (tx) =>
        tx.putAggregate({ tenantId: 't', module: 'clinic', type: 'note', id: uuid(2), version: 1, state: { a: 1 }, updatedAt: 'x', index: { i: 'v' } }),
      );
      const seen = await store.transaction({ tenantId: 't' }, (tx) => [tx.getAggregate('t', 'note', uuid(2))?.version, tx.lookupIndex('t', 'i', 'v'), tx.getClientSeq('t', 'c')]);
      expect(seen).toEqual([1, [uuid(2)], undefined]);
    } finally {
      await store.close();
    }
  });

  requirementTest(
    { id: 'store.postgres.two-processes-exactly-once', verifies: ['OFS-IDEM-013', 'OFS-EVT-005'], timeout: 60_000 },
    'two store instances (as two server processes) pushing the same mutations concurrently apply each exactly once',
    async () => {
      const db = await freshDatabase();
      const stores: AsyncStore[] = [await openPostgresStore({ connectionString: db.url, poolSize: 4 }), await openPostgresStore({ connectionString: db.url, poolSize: 4 })];
      try {
        const cores = stores.map((store) => createCore({ store, clock: new ManualClock(), modules: moduleRegistry(clinicModule) }));
        const ctx = { tenantId: 'tenant-x', actorId: 'alice', roles: ['pharmacist'] };
        const item = uuid(2, 1);
        await cores[0]!.push(ctx, 'clinic', {
          clientId: uuid(1, 99),
          mutations: [{ clientMutationId: uuid(5, 1), clientSeq: 1, aggregate: { type: 'stock-item', id: item }, op: 'create', baseVersion: 0, payload: { sku: 'S', name: 'n', quantity: 10_000, controlled: false }, capturedAt: '2026-01-01T00:00:00Z', actorId: 'alice' }],
        });
        const bodies = Array.from({ length: 8 }, (_, c) => ({
          clientId: uuid(1, c),
          mutations: Array.from({ length: 10 }, (_, i) => ({
            clientMutationId: uuid(10 + c, i + 1),
            clientSeq: i + 1,
            aggregate: { type: 'stock-item', id: item },
            op: 'adjust',
            baseVersion: 1,
            payload: { delta: -(i + 1), reason: 'dispense' },
            capturedAt: '2026-01-01T00:00:00Z',
            actorId: 'alice',
          })),
        }));
        // Every body is sent to both "processes" twice, all at once.
        const results = await Promise.all(bodies.flatMap((b) => [0, 1, 0, 1].map((k) => cores[k]!.push(ctx, 'clinic', b))));
        for (const r of results) {
          expect(r.ok).toBe(true);
          if (r.ok) for (const o of r.value.outcomes) expect(o.status).toBe('applied');
        }
        const row = await stores[0]!.findAggregate('tenant-x', 'stock-item', item);
        expect(row?.state.quantity).toBe(10_000 - 8 * 55);
        expect(row?.version).toBe(1 + 80);
        const changes = await stores[1]!.claimOutbox(1000);
        expect(changes).toHaveLength(81);
        expect(new Set(changes.map((c) => c.eventId)).size).toBe(81);
        expect(changes.map((c) => c.version)).toEqual(Array.from({ length: 81 }, (_, i) => i + 1));
      } finally {
        for (const s of stores) await s.close();
      }
    },
  );
});
