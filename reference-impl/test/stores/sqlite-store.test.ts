import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
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

test('a SQLite file keeps its data across reopen and migrates once', () => {
  const file = join(dir, 'reopen.db');
  const a = openSqliteStore({ filename: file });
  a.transaction({ tenantId: 't' }, (tx) => tx.putClientSeq({ tenantId: 't', clientId: 'c', lastSeq: 4, pending: [] }));
  a.close();
  const b = openSqliteStore({ filename: file });
  expect(b.transaction({ tenantId: 't' }, (tx) => tx.getClientSeq('t', 'c')?.lastSeq)).toBe(4);
  b.close();
});
