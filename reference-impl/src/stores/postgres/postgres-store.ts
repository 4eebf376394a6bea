/**
 * PostgreSQL store (`pg`), asynchronous. Migrations in ./migrations/*.sql are applied at open
 * under an advisory lock and recorded in `schema_migrations`.
 *
 * Concurrency (two server processes on one database must apply each mutation exactly once):
 * every writing transaction runs at READ COMMITTED and first takes the tenant's transaction-level
 * advisory lock, so transactions of one tenant are serialised across processes; everything read
 * after the lock is the latest committed state. The snapshot is prefetched after the lock, the
 * core decides against it synchronously (see overlay-tx.ts), and the writes are flushed in the
 * same transaction. The idempotency insert is `ON CONFLICT DO NOTHING` and is checked: if a row
 * appeared anyway (a writer that bypassed the lock), the transaction is rolled back and retried,
 * as are serialization failures and deadlocks. Because the tenant lock is held until commit, a
 * tenant's change `seq` order is its commit order, which is what pull cursors rely on.
 *
 * Group commit: transactions of one tenant serialise on that lock anyway, so the ones that queue
 * while a group runs form the next group — one database transaction, one lock, one prefetch and
 * one COMMIT (one WAL flush) for all of them, each still deciding against the state the ones
 * before it left (group-fold.ts). Each promise resolves only after that COMMIT.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type {
  AggregateRow,
  AuditEntryRow,
  ChangeRow,
  ConflictRow,
  DeviceRow,
  EnvelopeRow,
  IdempotencyRecord,
  JsonObject,
  PendingSeq,
} from '../../ports/records.js';
import { StoreError, type AsyncStore, type ChangePage, type StoreTx, type TxScope } from '../../ports/store.js';
import { foldInto, foldNeeds } from './group-fold.js';
import { keys, overlayTx, PrefetchMiss, Snapshot, WriteLayer, type Need } from './overlay-tx.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Pool size; default 10. */
  readonly poolSize?: number;
  /** Called inside every transaction before commit (tests: inject a failure to check atomicity). */
  readonly beforeCommit?: (tx: StoreTx) => void;
  /** Attempts for retryable failures; default 8. */
  readonly maxAttempts?: number;
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Advisory lock namespace of the tenant write lock (`pg_advisory_xact_lock(ns, hashtext(tenant))`). */
const LOCK_NS = 0x53594e; // 'SYN'
const MIGRATION_LOCK = 0x53594e4d;
const RETRYABLE = new Set(['40001', '40P01', '23505']);

type Row = Record<string, unknown>;

/** Opens the store (connects, migrates). */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<AsyncStore> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
  // An idle client error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new PostgresStore(pool, options);
}

/** Applies pending migrations. Exported for tests. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r: Row) => Number(r.version)));
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d+_.+\.sql$/.test(f))
      .sort();
    let applied = 0;
    for (const file of files) {
      const version = Number(file.split('_')[0]);
      if (done.has(version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, file]);
        await client.query('COMMIT');
        applied++;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** A transaction waiting for its tenant's next group. */
interface Queued {
  readonly scope: TxScope;
  readonly fn: (tx: StoreTx) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Most transactions in one group (a bound on how long the first of them waits for its answer). */
const MAX_GROUP = 64;

class PostgresStore implements AsyncStore {
  readonly mode = 'async' as const;
  readonly description: string;
  /** Per tenant, transactions waiting for (or in) the running group; absent = none running. */
  private readonly queues = new Map<string, Queued[]>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresStoreOptions,
  ) {
    const url = new URL(options.connectionString);
    url.password = '';
    this.description = `postgres:${url.host}${url.pathname}`;
  }

  transaction<T>(scope: TxScope, fn: (tx: StoreTx) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: Queued = { scope, fn: fn as (tx: StoreTx) => unknown, resolve: resolve as (v: unknown) => void, reject };
      const queue = this.queues.get(scope.tenantId);
      if (queue) {
        queue.push(item);
        return;
      }
      this.queues.set(scope.tenantId, [item]);
      // The transactions that arrive in this turn of the event loop join the first group.
      setImmediate(() => void this.drain(scope.tenantId));
    });
  }

  /** Runs the tenant's queued transactions in groups until none is waiting. */
  private async drain(tenantId: string): Promise<void> {
    const queue = this.queues.get(tenantId) as Queued[];
    while (queue.length > 0) {
      const group = queue.splice(0, MAX_GROUP);
      try {
        this.answer(group, await this.runGroup(tenantId, group));
      } catch (err) {
        if (group.length === 1) {
          group[0]!.reject(err);
          continue;
        }
        // The group's flush or COMMIT failed for good. Each runs alone again, so a transaction
        // whose writes the database refuses fails by itself instead of with every group it joins.
        for (const item of group) {
          try {
            this.answer([item], await this.runGroup(tenantId, [item]));
          } catch (alone) {
            item.reject(alone);
          }
        }
      }
    }
    this.queues.delete(tenantId);
  }

  private answer(group: readonly Queued[], settled: readonly Settled[]): void {
    settled.forEach((s, i) => (s.ok ? group[i]!.resolve(s.value) : group[i]!.reject(s.error)));
  }

  /**
   * One database transaction for a group of the tenant's transactions (group-fold.ts): each runs
   * on the snapshot as the ones before it left it; one that throws fails alone; the rest commit
   * together. A serialization failure or deadlock re-runs the whole group.
   */
  private async runGroup(tenantId: string, group: readonly Queued[]): Promise<Settled[]> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NS, tenantId]);
        const snap = new Snapshot();
        await prefetch(client, snap, group.flatMap((item) => scopeNeeds(item.scope)));
        const pending = new WriteLayer();
        const settled: Settled[] = [];
        for (const item of group) settled.push(await this.runOne(client, snap, pending, item));
        await flush(client, pending);
        await client.query('COMMIT');
        return settled;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = (err as { code?: unknown }).code;
        const retryable = (typeof code === 'string' && RETRYABLE.has(code)) || (err instanceof StoreError && err.code === 'integrity');
        if (!retryable || attempt >= maxAttempts) throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  /** Runs one transaction of a group; its writes join `pending` only if it completes. */
  private async runOne(client: pg.PoolClient, snap: Snapshot, pending: WriteLayer, item: Queued): Promise<Settled> {
    for (let round = 0; ; round++) {
      const writes = new WriteLayer();
      let value: unknown;
      try {
        const tx = overlayTx(snap, writes);
        value = item.fn(tx);
        this.options.beforeCommit?.(tx);
      } catch (err) {
        if (err instanceof PrefetchMiss && round <= 1000) {
          await prefetch(client, snap, [err.need]);
          continue;
        }
        // A conflict with another writer is the whole group's to retry; anything else is this one's.
        if (err instanceof StoreError && err.code === 'integrity') throw err;
        return { ok: false, error: err };
      }
      const needs = foldNeeds(snap, writes);
      if (needs.length > 0) await prefetch(client, snap, needs);
      foldInto(snap, pending, writes);
      return { ok: true, value };
    }
  }

  // --- queries

  async listChanges(tenantId: string, afterSeq: number, limit: number, module?: string): Promise<ChangePage> {
    const rows =
      module === undefined
        ? await this.rows('SELECT * FROM changes WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [tenantId, afterSeq, limit + 1])
        : await this.rows('SELECT * FROM changes WHERE tenant_id = $1 AND seq > $2 AND module = $3 ORDER BY seq LIMIT $4', [
            tenantId,
            afterSeq,
            module,
            limit + 1,
          ]);
    const hasMore = rows.length > limit;
    return { changes: (hasMore ? rows.slice(0, limit) : rows).map(changeFromRow), hasMore };
  }

  async listConflicts(tenantId: string, module: string, status?: 'open' | 'resolved'): Promise<readonly ConflictRow[]> {
    const rows = status
      ? await this.rows('SELECT body FROM conflicts WHERE tenant_id = $1 AND module = $2 AND status = $3 ORDER BY created_at, conflict_id', [tenantId, module, status])
      : await this.rows('SELECT body FROM conflicts WHERE tenant_id = $1 AND module = $2 ORDER BY created_at, conflict_id', [tenantId, module]);
    return rows.map((r) => JSON.parse(r.body as string) as ConflictRow);
  }

  async findConflict(tenantId: string, conflictId: string): Promise<ConflictRow | undefined> {
    const [r] = await this.rows('SELECT body FROM conflicts WHERE tenant_id = $1 AND conflict_id = $2', [tenantId, conflictId]);
    return r ? (JSON.parse(r.body as string) as ConflictRow) : undefined;
  }

  async findAggregate(tenantId: string, type: string, id: string): Promise<AggregateRow | undefined> {
    const [r] = await this.rows('SELECT * FROM aggregates WHERE tenant_id = $1 AND type = $2 AND id = $3', [tenantId, type, id]);
    return r ? aggregateFromRow(r) : undefined;
  }

  async claimOutbox(limit: number): Promise<readonly ChangeRow[]> {
    return (await this.rows('SELECT * FROM changes WHERE published_at IS NULL ORDER BY seq LIMIT $1', [limit])).map(changeFromRow);
  }

  async markPublished(seqs: readonly number[], publishedAt: string): Promise<void> {
    if (seqs.length === 0) return;
    await this.pool.query('UPDATE changes SET published_at = $1 WHERE seq = ANY($2::bigint[]) AND published_at IS NULL', [publishedAt, seqs]);
  }

  async outboxSize(): Promise<number> {
    const [r] = await this.rows('SELECT COUNT(*) AS n FROM changes WHERE published_at IS NULL', []);
    return Number(r?.n ?? 0);
  }

  async purgeIdempotency(olderThanMs: number): Promise<number> {
    return (await this.pool.query('DELETE FROM idempotency WHERE recorded_at < $1', [olderThanMs])).rowCount ?? 0;
  }

  async listAudit(tenantId: string, afterSeq: number, limit: number): Promise<readonly AuditEntryRow[]> {
    return (await this.rows('SELECT * FROM audit WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [tenantId, afterSeq, limit])).map(auditFromRow);
  }

  async findAuditHead(tenantId: string): Promise<{ seq: number; hash: string } | undefined> {
    const [r] = await this.rows('SELECT seq, hash FROM audit WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1', [tenantId]);
    return r ? { seq: Number(r.seq), hash: r.hash as string } : undefined;
  }

  async claimAuditOutbox(limit: number): Promise<readonly AuditEntryRow[]> {
    return (await this.rows('SELECT * FROM audit WHERE published_at IS NULL ORDER BY ord LIMIT $1', [limit])).map(auditFromRow);
  }

  async markAuditPublished(list: readonly { tenantId: string; seq: number }[], publishedAt: string): Promise<void> {
    if (list.length === 0) return;
    await this.pool.query(
      `UPDATE audit a SET published_at = $1 FROM unnest($2::text[], $3::bigint[]) AS k(tenant_id, seq)
       WHERE a.tenant_id = k.tenant_id AND a.seq = k.seq AND a.published_at IS NULL`,
      [publishedAt, list.map((k) => k.tenantId), list.map((k) => k.seq)],
    );
  }

  async getDevice(tenantId: string, deviceId: string): Promise<DeviceRow | undefined> {
    const [r] = await this.rows('SELECT * FROM devices WHERE tenant_id = $1 AND device_id = $2', [tenantId, deviceId]);
    return r
      ? {
          tenantId,
          deviceId,
          publicKeyJwk: JSON.parse(r.public_key_jwk as string) as JsonObject,
          headSeq: Number(r.head_seq),
          headHash: r.head_hash as string,
          registeredAt: r.registered_at as string,
        }
      : undefined;
  }

  async putDevice(row: DeviceRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO devices (tenant_id, device_id, public_key_jwk, head_seq, head_hash, registered_at) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (tenant_id, device_id) DO UPDATE SET public_key_jwk = excluded.public_key_jwk, registered_at = excluded.registered_at`,
      [row.tenantId, row.deviceId, JSON.stringify(row.publicKeyJwk), row.headSeq, row.headHash, row.registeredAt],
    );
  }

  async appendEnvelopes(
    tenantId: string,
    deviceId: string,
    expectedHeadSeq: number,
    envelopes: readonly EnvelopeRow[],
    newHead: { seq: number; hash: string },
  ): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const moved = await client.query(
        'UPDATE devices SET head_seq = $1, head_hash = $2 WHERE tenant_id = $3 AND device_id = $4 AND head_seq = $5',
        [newHead.seq, newHead.hash, tenantId, deviceId, expectedHeadSeq],
      );
      if (moved.rowCount !== 1) {
        await client.query('ROLLBACK');
        return false;
      }
      if (envelopes.length > 0) {
        await client.query(
          `INSERT INTO envelopes (tenant_id, device_id, seq, envelope, accepted_at)
           SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::text[])`,
          [tenantId, deviceId, envelopes.map((e) => e.seq), envelopes.map((e) => JSON.stringify(e.envelope)), envelopes.map((e) => e.acceptedAt)],
        );
      }
      await client.query('COMMIT');
      return true;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async listEnvelopes(tenantId: string, deviceId: string): Promise<readonly EnvelopeRow[]> {
    return (await this.rows('SELECT * FROM envelopes WHERE tenant_id = $1 AND device_id = $2 ORDER BY seq', [tenantId, deviceId])).map((r) => ({
      tenantId,
      deviceId,
      seq: Number(r.seq),
      envelope: JSON.parse(r.envelope as string) as JsonObject,
      acceptedAt: r.accepted_at as string,
    }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async rows(sql: string, params: unknown[]): Promise<Row[]> {
    return (await this.pool.query(sql, params)).rows as Row[];
  }
}

/** The needs a scope declares. */
function scopeNeeds(scope: TxScope): Need[] {
  const t = scope.tenantId;
  const needs: Need[] = [];
  for (const key of scope.idempotencyKeys ?? []) needs.push({ kind: 'idempotency', tenantId: t, key });
  for (const clientId of scope.clientIds ?? []) {
    needs.push({ kind: 'client-seq', tenantId: t, clientId });
    if (scope.openConflictsOfClients) needs.push({ kind: 'open-conflicts', tenantId: t, clientId });
  }
  for (const a of scope.aggregates ?? []) needs.push({ kind: 'aggregate', tenantId: t, type: a.type, id: a.id });
  for (const l of scope.indexLookups ?? []) needs.push({ kind: 'index', tenantId: t, index: l.index, value: l.value });
  for (const conflictId of scope.conflictIds ?? []) needs.push({ kind: 'conflict', tenantId: t, conflictId });
  if (scope.auditHead) needs.push({ kind: 'audit-head', tenantId: t });
  return needs;
}

/** Loads `needs` into the snapshot with one set-based query per kind. */
async function prefetch(client: pg.PoolClient, snap: Snapshot, needs: readonly Need[]): Promise<void> {
  const by = <K extends Need['kind']>(kind: K) => needs.filter((n): n is Extract<Need, { kind: K }> => n.kind === kind);

  const idem = by('idempotency').filter((n) => !snap.idempotency.has(keys.idem(n.tenantId, n.key)));
  if (idem.length > 0) {
    for (const n of idem) snap.idempotency.set(keys.idem(n.tenantId, n.key), null);
    const r = await client.query(
      'SELECT i.* FROM idempotency i JOIN unnest($1::text[], $2::text[]) AS k(t, key) ON i.tenant_id = k.t AND i.key = k.key',
      [idem.map((n) => n.tenantId), idem.map((n) => n.key)],
    );
    for (const row of r.rows as Row[]) snap.idempotency.set(keys.idem(row.tenant_id as string, row.key as string), idemFromRow(row));
  }

  const seqs = by('client-seq').filter((n) => !snap.clientSeqs.has(keys.seq(n.tenantId, n.clientId)));
  if (seqs.length > 0) {
    for (const n of seqs) snap.clientSeqs.set(keys.seq(n.tenantId, n.clientId), null);
    const r = await client.query(
      'SELECT c.* FROM client_seq c JOIN unnest($1::text[], $2::text[]) AS k(t, c) ON c.tenant_id = k.t AND c.client_id = k.c',
      [seqs.map((n) => n.tenantId), seqs.map((n) => n.clientId)],
    );
    for (const row of r.rows as Row[]) {
      snap.clientSeqs.set(keys.seq(row.tenant_id as string, row.client_id as string), {
        tenantId: row.tenant_id as string,
        clientId: row.client_id as string,
        lastSeq: Number(row.last_seq),
        pending: row.pending ? (JSON.parse(row.pending as string) as PendingSeq[]) : [],
      });
    }
  }

  const open = by('open-conflicts').filter((n) => !snap.openConflicts.has(keys.client(n.tenantId, n.clientId)));
  if (open.length > 0) {
    for (const n of open) snap.openConflicts.set(keys.client(n.tenantId, n.clientId), new Map());
    const r = await client.query(
      `SELECT c.tenant_id, c.client_id, c.conflict_id, c.agg_type, c.agg_id FROM conflicts c
       JOIN unnest($1::text[], $2::text[]) AS k(t, c) ON c.tenant_id = k.t AND c.client_id = k.c
       WHERE c.status = 'open' ORDER BY c.created_at, c.conflict_id`,
      [open.map((n) => n.tenantId), open.map((n) => n.clientId)],
    );
    for (const row of r.rows as Row[]) {
      const m = snap.openConflicts.get(keys.client(row.tenant_id as string, row.client_id as string)) as Map<string, string>;
      const ak = `${row.agg_type as string}\u0000${row.agg_id as string}`;
      if (!m.has(ak)) m.set(ak, row.conflict_id as string);
    }
  }

  const aggs = by('aggregate').filter((n) => !snap.aggregates.has(keys.agg(n.tenantId, n.type, n.id)));
  if (aggs.length > 0) {
    for (const n of aggs) snap.aggregates.set(keys.agg(n.tenantId, n.type, n.id), null);
    const r = await client.query(
      'SELECT a.* FROM aggregates a JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(t, type, id) ON a.tenant_id = k.t AND a.type = k.type AND a.id = k.id',
      [aggs.map((n) => n.tenantId), aggs.map((n) => n.type), aggs.map((n) => n.id)],
    );
    for (const row of r.rows as Row[]) {
      const a = aggregateFromRow(row);
      snap.aggregates.set(keys.agg(a.tenantId, a.type, a.id), a);
    }
  }

  const idx = by('index').filter((n) => !snap.index.has(keys.index(n.tenantId, n.index, n.value)));
  if (idx.length > 0) {
    const lists = new Map<string, string[]>();
    for (const n of idx) lists.set(keys.index(n.tenantId, n.index, n.value), []);
    const r = await client.query(
      `SELECT x.tenant_id, x.name, x.value, x.id FROM aggregate_index x
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(t, name, value) ON x.tenant_id = k.t AND x.name = k.name AND x.value = k.value
       ORDER BY x.id`,
      [idx.map((n) => n.tenantId), idx.map((n) => n.index), idx.map((n) => n.value)],
    );
    for (const row of r.rows as Row[]) lists.get(keys.index(row.tenant_id as string, row.name as string, row.value as string))?.push(row.id as string);
    for (const [k, ids] of lists) snap.index.set(k, ids);
  }

  const conflicts = by('conflict').filter((n) => !snap.conflicts.has(keys.conflict(n.tenantId, n.conflictId)));
  if (conflicts.length > 0) {
    for (const n of conflicts) snap.conflicts.set(keys.conflict(n.tenantId, n.conflictId), null);
    const r = await client.query(
      'SELECT c.tenant_id, c.conflict_id, c.body FROM conflicts c JOIN unnest($1::text[], $2::text[]) AS k(t, id) ON c.tenant_id = k.t AND c.conflict_id = k.id',
      [conflicts.map((n) => n.tenantId), conflicts.map((n) => n.conflictId)],
    );
    for (const row of r.rows as Row[]) {
      snap.conflicts.set(keys.conflict(row.tenant_id as string, row.conflict_id as string), JSON.parse(row.body as string) as ConflictRow);
    }
  }

  for (const n of by('audit-head')) {
    if (snap.auditHeads.has(n.tenantId)) continue;
    const r = await client.query('SELECT seq, hash FROM audit WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1', [n.tenantId]);
    const row = r.rows[0] as Row | undefined;
    snap.auditHeads.set(n.tenantId, row ? { seq: Number(row.seq), hash: row.hash as string } : null);
  }
}

/** Writes a write layer with one set-based statement per table. */
async function flush(client: pg.PoolClient, w: WriteLayer): Promise<void> {
  const idem = [...w.idempotency.values()];
  const fresh = idem.filter((e) => !e.overwrite).map((e) => e.record);
  const replace = idem.filter((e) => e.overwrite).map((e) => e.record);
  const idemCols = (recs: IdempotencyRecord[]) => [
    recs.map((r) => r.tenantId),
    recs.map((r) => r.key),
    recs.map((r) => r.fingerprint),
    recs.map((r) => r.recordedAt),
    recs.map((r) => r.clientId ?? null),
    recs.map((r) => r.clientSeq ?? null),
    recs.map((r) => r.status),
    recs.map((r) => r.body),
    recs.map((r) => (r.headers ? JSON.stringify(r.headers) : null)),
  ];
  const idemSelect = 'SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::int[], $8::text[], $9::text[])';
  const idemInsert = 'INSERT INTO idempotency (tenant_id, key, fingerprint, recorded_at, client_id, client_seq, status, body, headers) ';
  if (fresh.length > 0) {
    const r = await client.query(`${idemInsert}${idemSelect} ON CONFLICT DO NOTHING`, idemCols(fresh));
    if (r.rowCount !== fresh.length) throw new StoreError('integrity', 'an idempotency record appeared concurrently');
  }
  if (replace.length > 0) {
    await client.query(
      `${idemInsert}${idemSelect} ON CONFLICT (tenant_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, recorded_at = excluded.recorded_at,
       client_id = excluded.client_id, client_seq = excluded.client_seq, status = excluded.status, body = excluded.body, headers = excluded.headers`,
      idemCols(replace),
    );
  }

  const seqs = [...w.clientSeqs.values()];
  if (seqs.length > 0) {
    await client.query(
      `INSERT INTO client_seq (tenant_id, client_id, last_seq, pending) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
       ON CONFLICT (tenant_id, client_id) DO UPDATE SET last_seq = excluded.last_seq, pending = excluded.pending`,
      [seqs.map((s) => s.tenantId), seqs.map((s) => s.clientId), seqs.map((s) => s.lastSeq), seqs.map((s) => (s.pending.length > 0 ? JSON.stringify(s.pending) : null))],
    );
  }

  const aggs = [...w.aggregates.values()];
  if (aggs.length > 0) {
    await client.query(
      `INSERT INTO aggregates (tenant_id, type, id, module, version, state, updated_at, idx)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[])
       ON CONFLICT (tenant_id, type, id) DO UPDATE SET module = excluded.module, version = excluded.version, state = excluded.state,
       updated_at = excluded.updated_at, idx = excluded.idx`,
      [
        aggs.map((a) => a.tenantId),
        aggs.map((a) => a.type),
        aggs.map((a) => a.id),
        aggs.map((a) => a.module),
        aggs.map((a) => a.version),
        aggs.map((a) => JSON.stringify(a.state)),
        aggs.map((a) => a.updatedAt),
        aggs.map((a) => (a.index ? JSON.stringify(a.index) : null)),
      ],
    );
  }
  // Index operations in order (an add may follow a remove of the same entry within one push).
  for (const [t, name, value, id, add] of w.indexOps) {
    if (add) await client.query('INSERT INTO aggregate_index (tenant_id, name, value, id) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING', [t, name, value, id]);
    else await client.query('DELETE FROM aggregate_index WHERE tenant_id = $1 AND name = $2 AND value = $3 AND id = $4', [t, name, value, id]);
  }

  const conflicts = [...w.conflicts.values()];
  if (conflicts.length > 0) {
    await client.query(
      `INSERT INTO conflicts (tenant_id, conflict_id, module, status, client_id, agg_type, agg_id, created_at, body)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       ON CONFLICT (tenant_id, conflict_id) DO UPDATE SET status = excluded.status, body = excluded.body`,
      [
        conflicts.map((c) => c.tenantId),
        conflicts.map((c) => c.conflictId),
        conflicts.map((c) => c.module),
        conflicts.map((c) => c.status),
        conflicts.map((c) => c.clientId),
        conflicts.map((c) => c.aggregate.type),
        conflicts.map((c) => c.aggregate.id),
        conflicts.map((c) => c.createdAt),
        conflicts.map((c) => JSON.stringify(c)),
      ],
    );
  }

  const changes = w.changes;
  if (changes.length > 0) {
    // WITH ORDINALITY + ORDER BY: sequence values are drawn in the order the core appended.
    await client.query(
      `INSERT INTO changes (tenant_id, module, agg_type, agg_id, version, op, event_type, state, committed_at, event_id, client_mutation_id, actor_id)
       SELECT t, m, at, ai, v, op, et, st, ca, ei, cm, ac FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY AS u(t, m, at, ai, v, op, et, st, ca, ei, cm, ac, n) ORDER BY n`,
      [
        changes.map((c) => c.tenantId),
        changes.map((c) => c.module),
        changes.map((c) => c.aggregate.type),
        changes.map((c) => c.aggregate.id),
        changes.map((c) => c.version),
        changes.map((c) => c.op),
        changes.map((c) => c.eventType),
        changes.map((c) => JSON.stringify(c.state)),
        changes.map((c) => c.committedAt),
        changes.map((c) => c.eventId),
        changes.map((c) => c.clientMutationId),
        changes.map((c) => c.actorId),
      ],
    );
  }

  for (const a of w.audit) {
    await client.query(
      'INSERT INTO audit (tenant_id, seq, prev_hash, hash, event, module, action, source_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
      [a.tenantId, a.seq, a.prevHash, a.hash, JSON.stringify(a.event), a.module, a.action, a.sourceId],
    );
  }
}

function idemFromRow(r: Row): IdempotencyRecord {
  const rec: { -readonly [K in keyof IdempotencyRecord]: IdempotencyRecord[K] } = {
    tenantId: r.tenant_id as string,
    key: r.key as string,
    fingerprint: r.fingerprint as string,
    recordedAt: Number(r.recorded_at),
    status: Number(r.status),
    body: r.body as string,
  };
  if (r.client_id !== null) rec.clientId = r.client_id as string;
  if (r.client_seq !== null) rec.clientSeq = Number(r.client_seq);
  if (r.headers !== null) rec.headers = JSON.parse(r.headers as string) as Record<string, string>;
  return rec;
}

function aggregateFromRow(r: Row): AggregateRow {
  const base = {
    tenantId: r.tenant_id as string,
    module: r.module as string,
    type: r.type as string,
    id: r.id as string,
    version: Number(r.version),
    state: JSON.parse(r.state as string) as JsonObject,
    updatedAt: r.updated_at as string,
  };
  return r.idx === null ? base : { ...base, index: JSON.parse(r.idx as string) as Record<string, string> };
}

function changeFromRow(r: Row): ChangeRow {
  return {
    seq: Number(r.seq),
    tenantId: r.tenant_id as string,
    module: r.module as string,
    aggregate: { type: r.agg_type as string, id: r.agg_id as string },
    version: Number(r.version),
    op: r.op as string,
    eventType: r.event_type as string,
    state: JSON.parse(r.state as string) as JsonObject,
    committedAt: r.committed_at as string,
    eventId: r.event_id as string,
    clientMutationId: r.client_mutation_id as string,
    actorId: r.actor_id as string,
    publishedAt: (r.published_at as string | null) ?? null,
  };
}

function auditFromRow(r: Row): AuditEntryRow {
  return {
    tenantId: r.tenant_id as string,
    seq: Number(r.seq),
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
    event: JSON.parse(r.event as string) as JsonObject,
    module: r.module as string,
    action: r.action as string,
    sourceId: r.source_id as string,
    publishedAt: (r.published_at as string | null) ?? null,
  };
}
