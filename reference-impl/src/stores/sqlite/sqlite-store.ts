/**
 * SQLite store (better-sqlite3): the embedded default, a file or `:memory:`. WAL journal with
 * `synchronous=NORMAL` (a commit survives a process crash; an OS crash may lose the last
 * transactions but never tears one), prepared statements, one `BEGIN IMMEDIATE` transaction per
 * push — or, for a served process, one savepoint per push inside a group transaction
 * ({@link GroupableSqliteStore}, group-commit-store.ts). Synchronous, so the core's transaction
 * callback runs directly against the database.
 *
 * Why it is shaped like this (a push of 50 mutations is one transaction):
 *  - **Buffered writes.** Idempotency records, change rows and aggregate rows are collected while
 *    the core decides and written just before commit with one multi-row INSERT per table (an
 *    aggregate written several times in one push is written once, in its last version). Reads
 *    inside the transaction see the buffered writes (read-your-writes through the caches below).
 *    Writes that other reads query directly (conflicts, index entries, client sequences, audit)
 *    are executed at once.
 *  - **Prefetch.** The idempotency records of the push's keys (`TxScope.idempotencyKeys`) are read
 *    with one query instead of one per mutation.
 *  - **Caches across transactions.** Aggregate rows (parsed state), client sequence rows and the
 *    open conflicts per client are kept after commit, so the next push of a client reads none of
 *    them again. A transaction works on its own overlay of each cache, merged into the shared
 *    cache only after COMMIT (in a group: after its savepoint is released; a group that fails to
 *    commit drops every cache) and dropped on rollback. Another connection writing the same file is
 *    detected with `PRAGMA data_version` at the start of every transaction (inside the write lock),
 *    and then every cache is dropped.
 *  - **State stored once** (schema v2): an aggregate row points at the change row holding its
 *    state, so a commit serialises and writes each state once.
 *  - **Random keys in narrow indexes** (schema v4): idempotency records and aggregate rows append
 *    to rowid tables; only their keys (client UUIDs) sit in the randomly ordered unique indexes.
 *    A commit writes every page it dirtied to the WAL, and with whole rows in those B-trees a
 *    group of random inserts dirtied about one page per row (2× fewer WAL frames per mutation now).
 */
import Database from 'better-sqlite3';
import type {
  AggregateRef,
  AggregateRow,
  AuditEntryRow,
  ChangeRow,
  ClientSeqRow,
  ConflictRow,
  DeviceRow,
  EnvelopeRow,
  IdempotencyRecord,
  JsonObject,
  PendingSeq,
} from '../../ports/records.js';
import { StoreError, type ChangePage, type StoreTx, type SyncStore, type TxScope } from '../../ports/store.js';
import { appliedJson } from '../../domain/push.js';
import { RecentCache } from './recent-cache.js';
import { SQLITE_MIGRATIONS } from './schema.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** File path or `:memory:`. */
  readonly filename: string;
  /** Called inside every transaction before commit (tests: inject a failure to check atomicity). */
  readonly beforeCommit?: (tx: StoreTx) => void;
}

const SEP = '\u0000';
/** Rows per multi-row statement (each distinct row count is one cached prepared statement). */
const CHUNK = 64;
/** Generation sizes of the caches kept across transactions (each holds up to twice as many entries). */
const AGGREGATE_CACHE = 10_000;
const SEQ_CACHE = 25_000;
const OPEN_CACHE = 25_000;

type Row = Record<string, unknown>;
type Statement = Database.Statement;

const IDEM_COLUMNS = '(tenant_id, key, fingerprint, recorded_at, client_id, client_seq, status, body, headers, applied_version, event_id)';
const CHANGE_COLUMNS =
  '(seq, tenant_id, module, agg_type, agg_id, version, op, event_type, state, committed_at, event_id, client_mutation_id, actor_id)';
const AGGREGATE_COLUMNS = '(tenant_id, type, id, module, version, state, updated_at, idx, state_seq)';
/**
 * Upserts that rewrite the row in place (schema v4: rowid tables with a unique key index).
 * `INSERT OR REPLACE` would delete the row and append a new one, touching two pages.
 */
const AGGREGATE_UPSERT =
  'ON CONFLICT (tenant_id, type, id) DO UPDATE SET module = excluded.module, version = excluded.version, state = excluded.state, updated_at = excluded.updated_at, idx = excluded.idx, state_seq = excluded.state_seq';
const IDEM_UPSERT =
  'ON CONFLICT (tenant_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, recorded_at = excluded.recorded_at, client_id = excluded.client_id, client_seq = excluded.client_seq, status = excluded.status, body = excluded.body, headers = excluded.headers, applied_version = excluded.applied_version, event_id = excluded.event_id';
/** An aggregate row with its state resolved from the change row it points at (schema v2). */
const AGGREGATE_SELECT =
  'SELECT a.module, a.version, a.updated_at, a.idx, CASE WHEN a.state_seq IS NULL THEN a.state ELSE (SELECT c.state FROM changes c WHERE c.seq = a.state_seq) END AS state FROM aggregates a';

/** Opens (and migrates) a SQLite store. */
export function openSqliteStore(options: SqliteStoreOptions): SyncStore {
  return new SqliteStore(options);
}

/**
 * A SQLite store whose transactions can be grouped (group-commit-store.ts): between
 * `beginGroup` and `commitGroup` every `transaction()` is a savepoint of one write transaction —
 * its own writes roll back alone if it throws, and all of them commit (or not) together.
 */
export interface GroupableSqliteStore extends SyncStore {
  /** Opens the group's write transaction (`BEGIN IMMEDIATE`) unless one is open. */
  beginGroup(): void;
  /**
   * Commits the open group. Throws when the commit fails or SQLite already rolled the group back
   * (an I/O error inside it): nothing of the group is stored then, and every cache is dropped.
   */
  commitGroup(): void;
  /** Whether a group is open. */
  readonly inGroup: boolean;
  /** Whether the open group was rolled back by SQLite itself (`commitGroup` will throw). */
  readonly groupLost: boolean;
}

/** Opens (and migrates) a SQLite store that supports {@link GroupableSqliteStore} groups. */
export function openGroupableSqliteStore(options: SqliteStoreOptions): GroupableSqliteStore {
  return new SqliteStore(options);
}

/** Writes and reads of one transaction (see the module comment). */
interface TxState {
  /** Idempotency records read or written: record, or null = known absent. */
  readonly idem: Map<string, IdempotencyRecord | null>;
  /** New idempotency records to INSERT at flush, by key. */
  readonly idemInserts: Map<string, IdempotencyRecord>;
  /** Aggregates read or written in this transaction (null = known absent). */
  readonly aggregates: Map<string, AggregateRow | null>;
  /** Aggregate rows to upsert at flush (last write per aggregate). */
  readonly aggregateWrites: Map<string, AggregateRow>;
  /** Change rows to INSERT at flush, with their seq assigned. */
  readonly changes: (Omit<ChangeRow, 'seq' | 'publishedAt'> & { readonly seq: number })[];
  /** Seq of the change row carrying a state object (an aggregate row then points at it). */
  readonly stateSeq: Map<JsonObject, number>;
  /** Client sequence rows read or written (null = known absent). */
  readonly seqs: Map<string, ClientSeqRow | null>;
  /** Open conflicts per client read in this transaction. */
  readonly open: Map<string, Map<string, string>>;
  /** Clients whose open conflicts changed: the shared entry is dropped at commit. */
  readonly openDirty: Set<string>;
  nextSeq: number;
}

class SqliteStore implements GroupableSqliteStore {
  readonly mode = 'sync' as const;
  readonly description: string;
  private readonly db: Database.Database;
  private readonly s: ReturnType<typeof prepare>;
  private readonly runTx: (fn: () => unknown) => unknown;
  /** Multi-row statements by `<kind>:<rows>`. */
  private readonly bulk = new Map<string, Statement>();
  private readonly tx: StoreTx;
  /** The running transaction's state, undefined outside one. */
  private cur: TxState | undefined;
  // Caches shared across transactions (committed data, and in a group that of released savepoints).
  private readonly aggregateCache = new RecentCache<AggregateRow | null>(AGGREGATE_CACHE);
  private readonly seqCache = new RecentCache<ClientSeqRow | null>(SEQ_CACHE);
  private readonly openCache = new RecentCache<Map<string, string>>(OPEN_CACHE);
  private dataVersion = -1;
  private group: { readonly begin: Statement; readonly commit: Statement; readonly rollback: Statement } | undefined;
  private groupOpen = false;

  constructor(private readonly options: SqliteStoreOptions) {
    this.description = `sqlite:${options.filename}`;
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = OFF');
    // A page cache large enough for the B-tree pages that random keys (client UUIDs) touch, and
    // memory-mapped reads. Pages newer in the WAL than in the file are not mapped: with a small
    // cache (8 MB) a push re-read them with one pread each (about 6 % of a served push's CPU).
    // A large cache costs a scan of its hash table at the end of each write transaction
    // (pcache1TruncateUnsafe), which group commit (group-commit-store.ts) pays once per group.
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

  transaction<T>(scope: TxScope, fn: (tx: StoreTx) => T): T {
    if (!this.db.open) throw new StoreError('closed', 'store is closed');
    if (this.cur) throw new StoreError('integrity', 'nested transactions are not supported');
    const t: TxState = {
      idem: new Map(),
      idemInserts: new Map(),
      aggregates: new Map(),
      aggregateWrites: new Map(),
      changes: [],
      stateSeq: new Map(),
      seqs: new Map(),
      open: new Map(),
      openDirty: new Set(),
      nextSeq: 0,
    };
    this.cur = t;
    let result: T;
    try {
      result = this.runTx(() => {
        // Inside a group the write lock is held since beginGroup, which checked: no other
        // connection can have committed since.
        if (!this.groupOpen) this.checkDataVersion();
        const keys = scope.idempotencyKeys;
        if (keys !== undefined && keys.length > 1) this.prefetchIdempotency(scope.tenantId, keys, t);
        const r = fn(this.tx);
        this.flush(t);
        this.options.beforeCommit?.(this.tx);
        return r;
      }) as T;
    } finally {
      this.cur = undefined;
    }
    this.publishCaches(t);
    return result;
  }

  get inGroup(): boolean {
    return this.groupOpen;
  }

  get groupLost(): boolean {
    return this.groupOpen && !this.db.inTransaction;
  }

  beginGroup(): void {
    if (this.groupOpen) return;
    if (!this.db.open) throw new StoreError('closed', 'store is closed');
    this.group ??= {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
    };
    this.group.begin.run();
    this.groupOpen = true;
    this.checkDataVersion();
  }

  commitGroup(): void {
    if (!this.groupOpen) return;
    this.groupOpen = false;
    const group = this.group as NonNullable<typeof this.group>;
    try {
      // SQLite rolls a whole transaction back on some errors (I/O, disk full) even inside a
      // savepoint; the transactions that ran before it then reported results that are not stored.
      if (!this.db.inTransaction) throw new StoreError('unavailable', 'the grouped transaction was rolled back by SQLite');
      group.commit.run();
    } catch (err) {
      if (this.db.inTransaction) group.rollback.run();
      // The caches were published per transaction of the group; none of that is stored.
      this.dropCaches();
      throw err;
    }
  }

  /** Drops every cache when another connection committed since our last transaction. */
  private checkDataVersion(): void {
    const v = this.s.dataVersion.get() as number;
    if (v !== this.dataVersion) {
      this.dropCaches();
      this.dataVersion = v;
    }
  }

  private dropCaches(): void {
    this.dataVersion = -1;
    this.aggregateCache.clear();
    this.seqCache.clear();
    this.openCache.clear();
  }

  /** After COMMIT: what the transaction read or wrote becomes the shared (committed) view. */
  private publishCaches(t: TxState): void {
    for (const [k, row] of t.aggregates) this.aggregateCache.set(k, row);
    for (const [k, row] of t.seqs) this.seqCache.set(k, row);
    for (const k of t.openDirty) this.openCache.delete(k);
    for (const [k, open] of t.open) if (!t.openDirty.has(k)) this.openCache.set(k, open);
  }

  private prefetchIdempotency(tenantId: string, keys: readonly string[], t: TxState): void {
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const params: unknown[] = [tenantId];
      for (const k of chunk) {
        params.push(k);
        t.idem.set(tenantId + SEP + k, null);
      }
      for (const r of this.statement('idem-in', chunk.length).all(params) as Row[]) {
        t.idem.set(tenantId + SEP + (r.key as string), idemFromRow(r));
      }
    }
  }

  /** A cached multi-row (or multi-key) statement for `n` rows. */
  private statement(kind: 'idem-in' | 'idem' | 'change' | 'aggregate', n: number): Statement {
    const name = kind + ':' + n;
    let st = this.bulk.get(name);
    if (st === undefined) {
      const rows = (cols: number) => Array.from({ length: n }, () => '(' + '?,'.repeat(cols - 1) + '?)').join(',');
      const sql =
        kind === 'idem-in'
          ? `SELECT * FROM idempotency WHERE tenant_id = ? AND key IN (${'?,'.repeat(n - 1)}?)`
          : kind === 'idem'
            ? `INSERT INTO idempotency ${IDEM_COLUMNS} VALUES ${rows(11)}`
            : kind === 'change'
              ? `INSERT INTO changes ${CHANGE_COLUMNS} VALUES ${rows(13)}`
              : `INSERT INTO aggregates ${AGGREGATE_COLUMNS} VALUES ${rows(9)} ${AGGREGATE_UPSERT}`;
      st = this.db.prepare(sql);
      this.bulk.set(name, st);
    }
    return st;
  }

  /** Writes the buffered rows: changes, then aggregates (pointing at them), then idempotency. */
  private flush(t: TxState): void {
    const changes = t.changes;
    for (let i = 0; i < changes.length; i += CHUNK) {
      const n = Math.min(CHUNK, changes.length - i);
      const params: unknown[] = [];
      for (let j = i; j < i + n; j++) {
        const c = changes[j] as TxState['changes'][number];
        params.push(
          c.seq,
          c.tenantId,
          c.module,
          c.aggregate.type,
          c.aggregate.id,
          c.version,
          c.op,
          c.eventType,
          JSON.stringify(c.state),
          c.committedAt,
          c.eventId,
          c.clientMutationId,
          c.actorId,
        );
      }
      this.statement('change', n).run(params);
    }
    this.writeRows('aggregate', [...t.aggregateWrites.values()], (row, params) => {
      const seq = t.stateSeq.get(row.state);
      params.push(
        row.tenantId,
        row.type,
        row.id,
        row.module,
        row.version,
        seq === undefined ? JSON.stringify(row.state) : '',
        row.updatedAt,
        row.index ? JSON.stringify(row.index) : null,
        seq ?? null,
      );
    });
    this.writeRows('idem', [...t.idemInserts.values()], pushIdemParams);
  }

  private writeRows<R>(kind: 'idem' | 'aggregate', rows: readonly R[], bind: (row: R, params: unknown[]) => void): void {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const n = Math.min(CHUNK, rows.length - i);
      const params: unknown[] = [];
      for (let j = i; j < i + n; j++) bind(rows[j] as R, params);
      this.statement(kind, n).run(params);
    }
  }

  private inTx(): TxState {
    const t = this.cur;
    if (!t) throw new StoreError('integrity', 'transaction accessor used outside its transaction');
    return t;
  }

  private makeTx(): StoreTx {
    const s = this.s;
    return {
      getIdempotency: (tenantId, key) => this.getIdempotency(this.inTx(), tenantId, key),
      putIdempotency: (rec, overwrite) => {
        const t = this.inTx();
        const k = rec.tenantId + SEP + rec.key;
        const existing = this.getIdempotency(t, rec.tenantId, rec.key);
        if (existing !== undefined && !overwrite) return false;
        if (existing !== undefined && !t.idemInserts.has(k)) {
          // Replacing a committed record (expired): rare, written at once.
          const params: unknown[] = [];
          pushIdemParams(rec, params);
          s.replaceIdem.run(params);
        } else {
          t.idemInserts.set(k, rec);
        }
        t.idem.set(k, rec);
        return true;
      },
      getClientSeq: (tenantId, clientId) => {
        const t = this.inTx();
        const k = tenantId + SEP + clientId;
        let row = t.seqs.get(k);
        if (row === undefined) row = this.seqCache.get(k);
        if (row === undefined) {
          const r = s.getSeq.get(tenantId, clientId) as Row | undefined;
          row = r
            ? { tenantId, clientId, lastSeq: r.last_seq as number, pending: r.pending ? (JSON.parse(r.pending as string) as PendingSeq[]) : [] }
            : null;
          t.seqs.set(k, row);
        }
        return row ?? undefined;
      },
      putClientSeq: (row) => {
        s.putSeq.run(row.tenantId, row.clientId, row.lastSeq, row.pending.length > 0 ? JSON.stringify(row.pending) : null);
        this.inTx().seqs.set(row.tenantId + SEP + row.clientId, row);
      },
      getAggregate: (tenantId, type, id) => this.getAggregate(this.inTx(), tenantId, type, id),
      putAggregate: (row) => this.putAggregate(this.inTx(), row),
      lookupIndex: (tenantId, index, value) => s.lookupIndex.pluck().all(tenantId, index, value) as string[],
      getConflict: (tenantId, conflictId) => {
        const r = s.getConflict.get(tenantId, conflictId) as Row | undefined;
        return r ? (JSON.parse(r.body as string) as ConflictRow) : undefined;
      },
      openConflictFor: (tenantId, clientId, aggregate) => {
        const t = this.inTx();
        const ck = tenantId + SEP + clientId;
        let open = t.open.get(ck);
        if (open === undefined && !t.openDirty.has(ck)) open = this.openCache.get(ck);
        if (open === undefined) {
          open = new Map();
          for (const r of s.openOfClient.all(tenantId, clientId) as Row[]) {
            const ak = (r.agg_type as string) + SEP + (r.agg_id as string);
            if (!open.has(ak)) open.set(ak, r.conflict_id as string);
          }
          t.open.set(ck, open);
        }
        return open.size === 0 ? undefined : open.get(aggregate.type + SEP + aggregate.id);
      },
      putConflict: (row) => {
        const t = this.inTx();
        s.putConflict.run(row.tenantId, row.conflictId, row.module, row.status, row.clientId, row.aggregate.type, row.aggregate.id, row.createdAt, JSON.stringify(row));
        const ck = row.tenantId + SEP + row.clientId;
        // Re-read on next use (the row is already in the table); never published to the shared cache.
        t.open.delete(ck);
        t.openDirty.add(ck);
      },
      appendChange: (row) => {
        const t = this.inTx();
        if (t.nextSeq === 0) t.nextSeq = (s.nextChangeSeq.pluck().get() as number) + 1;
        const seq = t.nextSeq++;
        t.changes.push({ ...row, seq });
        t.stateSeq.set(row.state, seq);
        return seq;
      },
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

  private getIdempotency(t: TxState, tenantId: string, key: string): IdempotencyRecord | undefined {
    const k = tenantId + SEP + key;
    let rec = t.idem.get(k);
    if (rec === undefined) {
      const r = this.s.getIdem.get(tenantId, key) as Row | undefined;
      rec = r ? idemFromRow(r) : null;
      t.idem.set(k, rec);
    }
    return rec ?? undefined;
  }

  private getAggregate(t: TxState, tenantId: string, type: string, id: string): AggregateRow | undefined {
    const k = tenantId + SEP + type + SEP + id;
    let row = t.aggregates.get(k);
    if (row === undefined) row = this.aggregateCache.get(k);
    if (row === undefined) {
      const r = this.s.getAggregate.get(tenantId, type, id) as Row | undefined;
      row = r ? aggregateFromRow(tenantId, type, id, r) : null;
      t.aggregates.set(k, row);
    }
    return row ?? undefined;
  }

  private putAggregate(t: TxState, row: AggregateRow): void {
    const prev = this.getAggregate(t, row.tenantId, row.type, row.id);
    // Index entries are queried directly (lookupIndex), so they are written at once.
    if (prev?.index !== row.index) {
      const idxJson = row.index ? JSON.stringify(row.index) : null;
      const prevJson = prev?.index ? JSON.stringify(prev.index) : null;
      if (idxJson !== prevJson) {
        if (prev?.index) for (const name in prev.index) this.s.deleteIndex.run(row.tenantId, name, prev.index[name], row.id);
        if (row.index) for (const name in row.index) this.s.insertIndex.run(row.tenantId, name, row.index[name], row.id);
      }
    }
    const k = row.tenantId + SEP + row.type + SEP + row.id;
    t.aggregates.set(k, row);
    t.aggregateWrites.delete(k); // keep the upsert order = order of last writes
    t.aggregateWrites.set(k, row);
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
    return r ? aggregateFromRow(tenantId, type, id, r) : undefined;
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

/** Binds an idempotency record (IDEM_COLUMNS order), in the compact form when it applies (schema v3). */
function pushIdemParams(rec: IdempotencyRecord, params: unknown[]): void {
  const body = rec.body;
  const applied = rec.status === 200 && rec.headers === undefined && rec.clientSeq !== undefined ? parseAppliedBody(rec.key, rec.clientSeq, body) : undefined;
  params.push(
    rec.tenantId,
    rec.key,
    rec.fingerprint,
    rec.recordedAt,
    rec.clientId ?? null,
    rec.clientSeq ?? null,
    rec.status,
    applied ? '' : body,
    rec.headers ? JSON.stringify(rec.headers) : null,
    applied ? applied.version : null,
    applied ? applied.eventId : null,
  );
}

const APPLIED_BODY = /^\{"clientMutationId":"[^"\\]*","clientSeq":\d+,"etag":"\\"(\d{1,15})\\"","eventId":"([0-9a-f-]{36})","newVersion":\d+,"status":"applied"\}$/;

/**
 * Version and event id of `body` when it is exactly the applied outcome of (key, clientSeq) —
 * verified by rebuilding it, so a compact row always reads back as the same bytes.
 */
function parseAppliedBody(key: string, clientSeq: number, body: string): { version: number; eventId: string } | undefined {
  const m = APPLIED_BODY.exec(body);
  if (!m) return undefined;
  const version = Number(m[1]);
  const eventId = m[2] as string;
  return appliedJson(key, clientSeq, version, eventId) === body ? { version, eventId } : undefined;
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
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    getIdem: db.prepare('SELECT * FROM idempotency WHERE tenant_id = ? AND key = ?'),
    replaceIdem: db.prepare(`INSERT INTO idempotency ${IDEM_COLUMNS} VALUES (?,?,?,?,?,?,?,?,?,?,?) ${IDEM_UPSERT}`),
    purgeIdem: db.prepare('DELETE FROM idempotency WHERE recorded_at < ?'),
    getSeq: db.prepare('SELECT last_seq, pending FROM client_seq WHERE tenant_id = ? AND client_id = ?'),
    putSeq: db.prepare('INSERT OR REPLACE INTO client_seq (tenant_id, client_id, last_seq, pending) VALUES (?,?,?,?)'),
    getAggregate: db.prepare(`${AGGREGATE_SELECT} WHERE a.tenant_id = ? AND a.type = ? AND a.id = ?`),
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
    // The seq AUTOINCREMENT would assign next (the largest ever used; change rows are never deleted).
    nextChangeSeq: db.prepare(
      "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0), COALESCE((SELECT MAX(seq) FROM changes), 0))",
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
  const key = r.key as string;
  let body = r.body as string;
  let value: unknown;
  if (body === '' && r.applied_version !== null) {
    const version = r.applied_version as number;
    const eventId = r.event_id as string;
    const clientSeq = r.client_seq as number;
    body = appliedJson(key, clientSeq, version, eventId);
    // What JSON.parse(body) returns (members in the same order), without parsing.
    value = { clientMutationId: key, clientSeq, etag: `"${version}"`, eventId, newVersion: version, status: 'applied' };
  }
  const rec: { -readonly [K in keyof IdempotencyRecord]: IdempotencyRecord[K] } = {
    tenantId: r.tenant_id as string,
    key,
    fingerprint: r.fingerprint as string,
    recordedAt: r.recorded_at as number,
    status: r.status as number,
    body,
  };
  if (value !== undefined) rec.value = value;
  if (r.client_id !== null) rec.clientId = r.client_id as string;
  if (r.client_seq !== null) rec.clientSeq = r.client_seq as number;
  if (r.headers !== null) rec.headers = JSON.parse(r.headers as string) as Record<string, string>;
  return rec;
}

function aggregateFromRow(tenantId: string, type: string, id: string, r: Row): AggregateRow {
  const base = {
    tenantId,
    module: r.module as string,
    type,
    id,
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
