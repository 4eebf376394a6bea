/**
 * Group commit of the served SQLite store (src/stores/sqlite/group-commit-store.ts): the
 * transactions of one event-loop turn share one COMMIT; none is answered before it; one that throws
 * rolls back alone; a failed COMMIT stores none of the group and answers every one of them with
 * the failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { openGroupCommitSqliteStore } from '../../src/stores/sqlite/group-commit-store.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'syncproof-group-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = 'tenant-a';
const client = (i: number) => `00000001-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

class Boom extends Error {}

/** Last sequence of each client as another connection sees it (committed data only). */
function committedSeqs(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT client_id, last_seq FROM client_seq ORDER BY client_id').all() as { client_id: string; last_seq: number }[];
    return Object.fromEntries(rows.map((r) => [r.client_id, r.last_seq]));
  } finally {
    db.close();
  }
}

test('transactions of one turn commit together, after they were all called and before any is answered', async () => {
  const file = join(dir, `g-${n++}.db`);
  const store = openGroupCommitSqliteStore({ filename: file });
  try {
    const answered: number[] = [];
    const pending = [1, 2, 3].map((i) =>
      store
        .transaction({ tenantId: T }, (tx) => {
          tx.putClientSeq({ tenantId: T, clientId: client(i), lastSeq: i, pending: [] });
          return i;
        })
        .then((r) => {
          answered.push(r);
          // Answered only once the whole group is readable from another connection.
          expect(Object.keys(committedSeqs(file))).toHaveLength(3);
          return r;
        }),
    );
    // Still inside the turn: nothing committed, nothing answered.
    expect(committedSeqs(file)).toEqual({});
    expect(answered).toEqual([]);
    expect(await Promise.all(pending)).toEqual([1, 2, 3]);
    expect(committedSeqs(file)).toEqual({ [client(1)]: 1, [client(2)]: 2, [client(3)]: 3 });
  } finally {
    await store.close();
  }
});

test('a transaction that throws rolls back alone; the rest of its group commits', async () => {
  const file = join(dir, `g-${n++}.db`);
  const store = openGroupCommitSqliteStore({ filename: file });
  try {
    const put = (i: number, fail: boolean) =>
      store.transaction({ tenantId: T }, (tx) => {
        tx.putClientSeq({ tenantId: T, clientId: client(i), lastSeq: i, pending: [] });
        if (fail) throw new Boom(`transaction ${i}`);
        return i;
      });
    const results = await Promise.allSettled([put(1, false), put(2, true), put(3, false)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedSeqs(file)).toEqual({ [client(1)]: 1, [client(3)]: 3 });
    // The store's caches agree with the database.
    expect(await store.transaction({ tenantId: T }, (tx) => [1, 2, 3].map((i) => tx.getClientSeq(T, client(i))?.lastSeq))).toEqual([1, undefined, 3]);
  } finally {
    await store.close();
  }
});

test('a read commits the open group first, so it never sees work that could still roll back', async () => {
  const file = join(dir, `g-${n++}.db`);
  const store = openGroupCommitSqliteStore({ filename: file });
  try {
    const write = store.transaction({ tenantId: T }, (tx) =>
      tx.appendChange({
        tenantId: T,
        module: 'clinic',
        aggregate: { type: 'note', id: client(9) },
        version: 1,
        op: 'create',
        eventType: 'clinic.note.created',
        state: { title: 't' },
        committedAt: '2026-01-01T00:00:00.000Z',
        eventId: client(10),
        clientMutationId: client(11),
        actorId: 'alice',
      }),
    );
    expect(await store.outboxSize()).toBe(1);
    await write;
    const other = openSqliteStore({ filename: file });
    expect(other.outboxSize()).toBe(1);
    other.close();
  } finally {
    await store.close();
  }
});

test('when the COMMIT fails, no transaction of the group is stored and each one is answered with the failure', async () => {
  const file = join(dir, `g-${n++}.db`);
  const store = openGroupCommitSqliteStore({ filename: file });
  // A deferred foreign-key violation is checked at COMMIT only: the way to make a COMMIT fail.
  const db = (store as unknown as { inner: { db: Database.Database } }).inner.db;
  db.exec('CREATE TABLE IF NOT EXISTS parent (id INTEGER PRIMARY KEY); CREATE TABLE IF NOT EXISTS child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
  db.pragma('foreign_keys = ON');
  try {
    const ok = store.transaction({ tenantId: T }, (tx) => tx.putClientSeq({ tenantId: T, clientId: client(1), lastSeq: 1, pending: [] }));
    const poison = store.transaction({ tenantId: T }, (tx) => {
      tx.putClientSeq({ tenantId: T, clientId: client(2), lastSeq: 2, pending: [] });
      db.prepare('INSERT INTO child (p) VALUES (42)').run();
    });
    const results = await Promise.allSettled([ok, poison]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(committedSeqs(file)).toEqual({});
    // Caches were dropped with the group: the store reads the truth again.
    expect(await store.transaction({ tenantId: T }, (tx) => tx.getClientSeq(T, client(1)))).toBeUndefined();
  } finally {
    db.pragma('foreign_keys = OFF');
    await store.close();
  }
});

test('when SQLite rolls the whole group back inside a transaction, the group fails at once and later transactions start a new one', async () => {
  const file = join(dir, `g-${n++}.db`);
  const store = openGroupCommitSqliteStore({ filename: file });
  const db = (store as unknown as { inner: { db: Database.Database } }).inner.db;
  try {
    const first = store.transaction({ tenantId: T }, (tx) => tx.putClientSeq({ tenantId: T, clientId: client(1), lastSeq: 1, pending: [] }));
    // What an I/O error does to the open transaction, savepoints included.
    const breaking = store.transaction({ tenantId: T }, () => db.exec('ROLLBACK'));
    const later = store.transaction({ tenantId: T }, (tx) => tx.putClientSeq({ tenantId: T, clientId: client(3), lastSeq: 3, pending: [] }));
    const results = await Promise.allSettled([first, breaking, later]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(committedSeqs(file)).toEqual({ [client(3)]: 3 });
  } finally {
    await store.close();
  }
});
