/**
 * SQLite store (better-sqlite3): the embedded default, a file or `:memory:`. WAL journal with
 * `synchronous=NORMAL` (a commit survives a process crash; an OS crash may lose the last
 * transactions but never tears one), prepared statements, one `BEGIN IMMEDIATE` transaction per
 * push. Synchronous, so the core's transaction callback runs directly against the database.
 *
 * Inside a transaction, rows read or written are cached per transaction (read-your-writes without
 * re-parsing JSON, and the previous index entries of an aggregate are known when it is rewritten);
 * the cache is dropped at commit or rollback, so nothing outlives a failed transaction.
 */
import Database from 'better-sqlite3';
import type {
  AggregateRef,
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
import { StoreError, type ChangePage, type StoreTx, type SyncStore, type TxScope } from '../../ports/store.js';
import { SQLITE_MIGRATIONS } from './schema.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** File path or `:memory:`. */
  readonly filename: string;
  /** Called inside every transaction before commit (tests: inject a failure to check atomicity). */
  readonly beforeCommit?: (tx: StoreTx) => void;
}

const SEP = '\u0000';

type Row = Record<string, unknown>;

/** Opens (and migrates) a SQLite store. */
export function openSqliteStore(options: SqliteStoreOptions): SyncStore {
  return new SqliteStore(options);
}

class SqliteStore implements SyncStore {
  readonly mode = 'sync' as const;
  readonly description: string;
  private readonly db: Database.Database;
  private readonly s: ReturnType<typeof prepare>;
  private readonly runTx: (fn: () => unknown) => unknown;
  /** Per-transaction caches (undefined outside a transaction). */
  private aggCache: Map<string, AggregateRow | null> | undefined;
  private openCache: Map<string, Map<string, string>> | undefined;
  private lastState: JsonObject | undefined;
  private lastStateJson = '';
  private readonly tx: StoreTx;

  constructor(private readonly options: SqliteStoreOptions) {
    this.description = `sqlite:${options.filename}`;
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = OFF');
    // A larger page cache and memory-mapped reads: the working set of a busy tenant stays in RAM.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    if (options.filename !== ':memory:') this.db.pragma('mmap_size = 268435456');
    // Checkpoint less often: a checkpoint syncs the database file even with synchronous=NORMAL.
    this.db.pragma('wal_autocheckpoint = 20000');
    migrate(this.db);
    this.s = prepare(this.db);
    const wrapped = this.db.transaction((fn: () => unknown) => fn());
    this.runTx = (fn) => wrapped.immediate(fn);
    this.tx = this.makeTx();
  }

  transaction<T>(_scope: TxScope, fn: (tx: StoreTx) => T): T {
    if (!this.db.open) throw new StoreError('closed', 'store is closed');
    if (this.aggCache) throw new StoreError('integrity', 'nested transactions are not supported');
    this.aggCache = new Map();
    this.openCache = new Map();
    try {
      return this.runTx(() => {
        const result = fn(this.tx);
        this.options.beforeCommit?.(this.tx);
        return result;
      }) as T;
    } finally {
      this.aggCache = undefined;
      this.openCache = undefined;
      this.lastState = undefined;
    }
  }

  /** JSON of a state object, computed once when the same object is written twice in a row. */
  private stateJson(state: JsonObject): string {
    if (this.lastState !== state) {
      this.lastState = state;
      this.lastStateJson = JSON.stringify(state);
    }
    return this.lastStateJson;
  }

  private makeTx(): StoreTx {
    const s = this.s;
    return {
      getIdempotency: (tenantId, key) => {
        const r = s.getIdem.get(tenantId, key) as Row | undefined;
        return r ? idemFromRow(r) : undefined;
      },
      putIdempotency: (rec, overwrite) => {
        const args = [
          rec.tenantId,
          rec.key,
          rec.fingerprint,
          rec.recordedAt,
          rec.clientId ?? null,
          rec.clientSeq ?? null,
          rec.status,
          rec.body,
          rec.headers ? JSON.stringify(rec.headers) : null,
        ];
        if (overwrite) {
          s.replaceIdem.run(...args);
          return true;
        }
        return s.insertIdem.run(...args).changes === 1;
      },
      getClientSeq: (tenantId, clientId) => {
        const r = s.getSeq.get(tenantId, clientId) as Row | undefined;
        if (!r) return undefined;
        return {
          tenantId,
          clientId,
          lastSeq: r.last_seq as number,
          pending: r.pending ? (JSON.parse(r.pending as string) as PendingSeq[]) : [],
        };
      },
      putClientSeq: (row) => {
        s.putSeq.run(row.tenantId, row.clientId, row.lastSeq, row.pending.length > 0 ? JSON.stringify(row.pending) : null);
      },
      getAggregate: (tenantId, type, id) => this.getAggregate(tenantId, type, id),
      putAggregate: (row) => this.putAggregate(row),
      lookupIndex: (tenantId, index, value) => (s.lookupIndex.pluck().all(tenantId, index, value) as string[]),
      getConflict: (tenantId, conflictId) => {
        const r = s.getConflict.get(tenantId, conflictId) as Row | undefined;
        return r ? (JSON.parse(r.body as string) as ConflictRow) : undefined;
      },
      openConflictFor: (tenantId, clientId, aggregate) => {
        const ck = tenantId + SEP + clientId;
        const cache = this.openCache as Map<string, Map<string, string>>;
        let open = cache.get(ck);
        if (!open) {
          open = new Map();
          for (const r of s.openOfClient.all(tenantId, clientId) as Row[]) {
            const ak = (r.agg_type as string) + SEP + (r.agg_id as string);
            if (!open.has(ak)) open.set(ak, r.conflict_id as string);
          }
          cache.set(ck, open);
        }
        return open.size === 0 ? undefined : open.get(aggregate.type + SEP + aggregate.id);
      },
      putConflict: (row) => {
        s.putConflict.run(
          row.tenantId,
          row.conflictId,
          row.module,
          row.status,
          row.clientId,
          row.aggregate.type,
          row.aggregate.id,
          row.createdAt,
          JSON.stringify(row),
        );
        this.openCache?.delete(row.tenantId + SEP + row.clientId);
      },
      appendChange: (row) =>
        Number(
          s.insertChange.run(
            row.tenantId,
            row.module,
            row.aggregate.type,
            row.aggregate.id,
            row.version,
            row.op,
            row.eventType,
            this.stateJson(row.state),
            row.committedAt,
            row.eventId,
            row.clientMutationId,
            row.actorId,
          ).lastInsertRowid,
        ),
      auditHead: (tenantId) => this.findAuditHead(tenantId),
      appendAudit: (row) => {
        const head = this.findAuditHead(row.tenantId);
        if (row.seq !== (head ? head.seq : 0) + 1) {
          throw new StoreError('audit-seq', `audit seq ${row.seq} does not follow head ${head ? head.seq : 0}`);
        }
        s.insertAudit.run(row.tenantId, row.seq, row.prevHash, row.hash, JSON.stringify(row.event), row.module, row.action, row.sourceId);
      },
    };
  }

  private getAggregate(tenantId: string, type: string, id: string): AggregateRow | undefined {
    const k = tenantId + SEP + type + SEP + id;
    const cache = this.aggCache;
    const hit = cache?.get(k);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.s.getAggregate.get(tenantId, type, id) as Row | undefined;
    const row = r ? aggregateFromRow(r) : undefined;
    cache?.set(k, row ?? null);
    return row;
  }

  private putAggregate(row: AggregateRow): void {
    const prev = this.getAggregate(row.tenantId, row.type, row.id);
    const idxJson = row.index ? JSON.stringify(row.index) : null;
    const prevJson = prev?.index ? JSON.stringify(prev.index) : null;
    this.s.putAggregate.run(row.tenantId, row.type, row.id, row.module, row.version, this.stateJson(row.state), row.updatedAt, idxJson);
    if (idxJson !== prevJson) {
      if (prev?.index) for (const name in prev.index) this.s.deleteIndex.run(row.tenantId, name, prev.index[name], row.id);
      if (row.index) for (const name in row.index) this.s.insertIndex.run(row.tenantId, name, row.index[name], row.id);
    }
    this.aggCache?.set(row.tenantId + SEP + row.type + SEP + row.id, row);
  }

  // --- queries

  listChanges(tenantId: string, afterSeq: number, limit: number, module?: string): ChangePage {
    const rows = (
      module === undefined ? this.s.listChanges.all(tenantId, afterSeq, limit + 1) : this.s.listChangesModule.all(tenantId, afterSeq, module, limit + 1)
    ) as Row[];
    const hasMore = rows.length > limit;
    return { changes: (hasMore ? rows.slice(0, limit) : rows).map(changeFromRow), hasMore };
  }

  listConflicts(tenantId: string, module: string, status?: 'open' | 'resolved'): readonly ConflictRow[] {
    const rows = (status ? this.s.listConflictsStatus.all(tenantId, module, status) : this.s.listConflicts.all(tenantId, module)) as Row[];
    return rows.map((r) => JSON.parse(r.body as string) as ConflictRow);
  }

  findConflict(tenantId: string, conflictId: string): ConflictRow | undefined {
    const r = this.s.getConflict.get(tenantId, conflictId) as Row | undefined;
    return r ? (JSON.parse(r.body as string) as ConflictRow) : undefined;
  }

  findAggregate(tenantId: string, type: string, id: string): AggregateRow | undefined {
    const r = this.s.getAggregate.get(tenantId, type, id) as Row | undefined;
    return r ? aggregateFromRow(r) : undefined;
  }

  claimOutbox(limit: number): readonly ChangeRow[] {
    return (this.s.claimOutbox.all(limit) as Row[]).map(changeFromRow);
  }

  markPublished(seqs: readonly number[], publishedAt: string): void {
    this.db.transaction(() => {
      for (const seq of seqs) this.s.markPublished.run(publishedAt, seq);
    })();
  }

  outboxSize(): number {
    return this.s.outboxSize.pluck().get() as number;
  }

  purgeIdempotency(olderThanMs: number): number {
    return this.s.purgeIdem.run(olderThanMs).changes;
  }

  listAudit(tenantId: string, afterSeq: number, limit: number): readonly AuditEntryRow[] {
    return (this.s.listAudit.all(tenantId, afterSeq, limit) as Row[]).map(auditFromRow);
  }

  findAuditHead(tenantId: string): { seq: number; hash: string } | undefined {
    const r = this.s.auditHead.get(tenantId) as Row | undefined;
    return r ? { seq: r.seq as number, hash: r.hash as string } : undefined;
  }

  claimAuditOutbox(limit: number): readonly AuditEntryRow[] {
    return (this.s.claimAudit.all(limit) as Row[]).map(auditFromRow);
  }

  markAuditPublished(keys: readonly { tenantId: string; seq: number }[], publishedAt: string): void {
    this.db.transaction(() => {
      for (const k of keys) this.s.markAuditPublished.run(publishedAt, k.tenantId, k.seq);
    })();
  }

  getDevice(tenantId: string, deviceId: string): DeviceRow | undefined {
    const r = this.s.getDevice.get(tenantId, deviceId) as Row | undefined;
    return r
      ? {
          tenantId,
          deviceId,
          publicKeyJwk: JSON.parse(r.public_key_jwk as string) as JsonObject,
          headSeq: r.head_seq as number,
          headHash: r.head_hash as string,
          registeredAt: r.registered_at as string,
        }
      : undefined;
  }

  putDevice(row: DeviceRow): void {
    this.s.putDevice.run(row.tenantId, row.deviceId, JSON.stringify(row.publicKeyJwk), row.headSeq, row.headHash, row.registeredAt);
  }

  appendEnvelopes(
    tenantId: string,
    deviceId: string,
    expectedHeadSeq: number,
    envelopes: readonly EnvelopeRow[],
    newHead: { seq: number; hash: string },
  ): boolean {
    return this.db.transaction(() => {
      if (this.s.moveHead.run(newHead.seq, newHead.hash, tenantId, deviceId, expectedHeadSeq).changes !== 1) return false;
      for (const e of envelopes) this.s.insertEnvelope.run(tenantId, deviceId, e.seq, JSON.stringify(e.envelope), e.acceptedAt);
      return true;
    }).immediate();
  }

  listEnvelopes(tenantId: string, deviceId: string): readonly EnvelopeRow[] {
    return (this.s.listEnvelopes.all(tenantId, deviceId) as Row[]).map((r) => ({
      tenantId,
      deviceId,
      seq: r.seq as number,
      envelope: JSON.parse(r.envelope as string) as JsonObject,
      acceptedAt: r.accepted_at as string,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
  for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[v] as string);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    }).immediate();
  }
}

function prepare(db: Database.Database) {
  return {
    getIdem: db.prepare('SELECT * FROM idempotency WHERE tenant_id = ? AND key = ?'),
    insertIdem: db.prepare(
      'INSERT INTO idempotency (tenant_id, key, fingerprint, recorded_at, client_id, client_seq, status, body, headers) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING',
    ),
    replaceIdem: db.prepare(
      'INSERT OR REPLACE INTO idempotency (tenant_id, key, fingerprint, recorded_at, client_id, client_seq, status, body, headers) VALUES (?,?,?,?,?,?,?,?,?)',
    ),
    purgeIdem: db.prepare('DELETE FROM idempotency WHERE recorded_at < ?'),
    getSeq: db.prepare('SELECT last_seq, pending FROM client_seq WHERE tenant_id = ? AND client_id = ?'),
    putSeq: db.prepare('INSERT OR REPLACE INTO client_seq (tenant_id, client_id, last_seq, pending) VALUES (?,?,?,?)'),
    getAggregate: db.prepare('SELECT * FROM aggregates WHERE tenant_id = ? AND type = ? AND id = ?'),
    putAggregate: db.prepare(
      'INSERT OR REPLACE INTO aggregates (tenant_id, type, id, module, version, state, updated_at, idx) VALUES (?,?,?,?,?,?,?,?)',
    ),
    lookupIndex: db.prepare('SELECT id FROM aggregate_index WHERE tenant_id = ? AND name = ? AND value = ? ORDER BY id'),
    insertIndex: db.prepare('INSERT OR IGNORE INTO aggregate_index (tenant_id, name, value, id) VALUES (?,?,?,?)'),
    deleteIndex: db.prepare('DELETE FROM aggregate_index WHERE tenant_id = ? AND name = ? AND value = ? AND id = ?'),
    getConflict: db.prepare('SELECT body FROM conflicts WHERE tenant_id = ? AND conflict_id = ?'),
    putConflict: db.prepare(
      'INSERT OR REPLACE INTO conflicts (tenant_id, conflict_id, module, status, client_id, agg_type, agg_id, created_at, body) VALUES (?,?,?,?,?,?,?,?,?)',
    ),
    openOfClient: db.prepare(
      "SELECT conflict_id, agg_type, agg_id FROM conflicts WHERE tenant_id = ? AND client_id = ? AND status = 'open' ORDER BY created_at, conflict_id",
    ),
    listConflicts: db.prepare('SELECT body FROM conflicts WHERE tenant_id = ? AND module = ? ORDER BY created_at, conflict_id'),
    listConflictsStatus: db.prepare(
      'SELECT body FROM conflicts WHERE tenant_id = ? AND module = ? AND status = ? ORDER BY created_at, conflict_id',
    ),
    insertChange: db.prepare(
      'INSERT INTO changes (tenant_id, module, agg_type, agg_id, version, op, event_type, state, committed_at, event_id, client_mutation_id, actor_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
    ),
    listChanges: db.prepare('SELECT * FROM changes WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    listChangesModule: db.prepare('SELECT * FROM changes WHERE tenant_id = ? AND seq > ? AND module = ? ORDER BY seq LIMIT ?'),
    claimOutbox: db.prepare('SELECT * FROM changes WHERE published_at IS NULL ORDER BY seq LIMIT ?'),
    markPublished: db.prepare('UPDATE changes SET published_at = ? WHERE seq = ? AND published_at IS NULL'),
    outboxSize: db.prepare('SELECT COUNT(*) FROM changes WHERE published_at IS NULL'),
    auditHead: db.prepare('SELECT seq, hash FROM audit WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1'),
    insertAudit: db.prepare(
      'INSERT INTO audit (tenant_id, seq, prev_hash, hash, event, module, action, source_id) VALUES (?,?,?,?,?,?,?,?)',
    ),
    listAudit: db.prepare('SELECT * FROM audit WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    claimAudit: db.prepare('SELECT * FROM audit WHERE published_at IS NULL ORDER BY ord LIMIT ?'),
    markAuditPublished: db.prepare('UPDATE audit SET published_at = ? WHERE tenant_id = ? AND seq = ? AND published_at IS NULL'),
    getDevice: db.prepare('SELECT * FROM devices WHERE tenant_id = ? AND device_id = ?'),
    putDevice: db.prepare(
      `INSERT INTO devices (tenant_id, device_id, public_key_jwk, head_seq, head_hash, registered_at) VALUES (?,?,?,?,?,?)
       ON CONFLICT (tenant_id, device_id) DO UPDATE SET public_key_jwk = excluded.public_key_jwk, registered_at = excluded.registered_at`,
    ),
    moveHead: db.prepare('UPDATE devices SET head_seq = ?, head_hash = ? WHERE tenant_id = ? AND device_id = ? AND head_seq = ?'),
    insertEnvelope: db.prepare('INSERT INTO envelopes (tenant_id, device_id, seq, envelope, accepted_at) VALUES (?,?,?,?,?)'),
    listEnvelopes: db.prepare('SELECT * FROM envelopes WHERE tenant_id = ? AND device_id = ? ORDER BY seq'),
  };
}

function idemFromRow(r: Row): IdempotencyRecord {
  const rec: { -readonly [K in keyof IdempotencyRecord]: IdempotencyRecord[K] } = {
    tenantId: r.tenant_id as string,
    key: r.key as string,
    fingerprint: r.fingerprint as string,
    recordedAt: r.recorded_at as number,
    status: r.status as number,
    body: r.body as string,
  };
  if (r.client_id !== null) rec.clientId = r.client_id as string;
  if (r.client_seq !== null) rec.clientSeq = r.client_seq as number;
  if (r.headers !== null) rec.headers = JSON.parse(r.headers as string) as Record<string, string>;
  return rec;
}

function aggregateFromRow(r: Row): AggregateRow {
  const base = {
    tenantId: r.tenant_id as string,
    module: r.module as string,
    type: r.type as string,
    id: r.id as string,
    version: r.version as number,
    state: JSON.parse(r.state as string) as JsonObject,
    updatedAt: r.updated_at as string,
  };
  return r.idx === null ? base : { ...base, index: JSON.parse(r.idx as string) as Record<string, string> };
}

function changeFromRow(r: Row): ChangeRow {
  const aggregate: AggregateRef = { type: r.agg_type as string, id: r.agg_id as string };
  return {
    seq: r.seq as number,
    tenantId: r.tenant_id as string,
    module: r.module as string,
    aggregate,
    version: r.version as number,
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
    seq: r.seq as number,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
    event: JSON.parse(r.event as string) as JsonObject,
    module: r.module as string,
    action: r.action as string,
    sourceId: r.source_id as string,
    publishedAt: (r.published_at as string | null) ?? null,
  };
}
