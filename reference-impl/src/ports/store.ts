/**
 * The Store port: everything the domain core persists, behind one transaction boundary.
 *
 * Design (why the transaction callback is synchronous even for PostgreSQL):
 * the core's decision logic is a synchronous function of what it reads inside the transaction. It
 * runs against a {@link StoreTx} whose methods are synchronous.
 *  - Memory and SQLite (better-sqlite3) stores are synchronous: `transaction()` runs the callback
 *    directly against the live data and returns its result, so the simulator's hot path has no
 *    promise, no microtask and no copy per mutation. better-sqlite3 transactions cannot span an
 *    `await` anyway, so an async core would need a global mutex around every SQLite transaction.
 *  - PostgreSQL is asynchronous: `transaction()` returns a promise. It opens a transaction, takes
 *    the tenant's write lock, **prefetches** everything the {@link TxScope} names (idempotency
 *    records, client sequences, aggregates, index lookups, open conflicts, the audit head) with a
 *    few set-based queries, runs the callback against an in-memory overlay of that snapshot,
 *    then flushes the buffered writes and commits. A read outside the declared scope throws
 *    {@link ScopeMissError} (a programming error, caught by the store contract tests). A
 *    serialization failure or deadlock re-runs the whole thing; the callback must therefore be a
 *    pure function of the transaction (the core's callbacks are).
 * The core is written once over `StoreTx`; entry points return `T` for a {@link SyncStore} and
 * `Promise<T>` for an async one (`MaybePromise`), so callers simply `await` the result.
 */
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
} from './records.js';

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What a transaction will read. Synchronous stores ignore it; the PostgreSQL store prefetches
 * exactly this (and rejects reads outside it).
 */
export interface TxScope {
  readonly tenantId: string;
  /** Idempotency keys (clientMutationIds, `rest:<key>`). */
  readonly idempotencyKeys?: readonly string[];
  /** Client ids whose sequence row is read/written. */
  readonly clientIds?: readonly string[];
  /** Aggregates read or written. */
  readonly aggregates?: readonly AggregateRef[];
  /** Secondary-index lookups (`index`, `value`). */
  readonly indexLookups?: readonly { readonly index: string; readonly value: string }[];
  /** Conflicts read by id. */
  readonly conflictIds?: readonly string[];
  /** Whether the open conflicts of the {@link clientIds} are read (blocked check). */
  readonly openConflictsOfClients?: boolean;
  /** Whether the tenant's audit chain head is read (permission-lost, PHI resolution). */
  readonly auditHead?: boolean;
}

/** Transaction-scoped accessor. All methods are synchronous; see the module comment. */
export interface StoreTx {
  // --- idempotency (TR §3)
  /** The record under (tenant, key), expired or not (the core decides expiry from `recordedAt`). */
  getIdempotency(tenantId: string, key: string): IdempotencyRecord | undefined;
  /**
   * Inserts a record. Returns `false` (and writes nothing) when a record for (tenant, key) already
   * exists — PostgreSQL does this with `INSERT … ON CONFLICT DO NOTHING`, so two processes never
   * both record a decision. With `overwrite` (the core saw the existing record expired) it
   * replaces the existing record and returns `true`.
   */
  putIdempotency(record: IdempotencyRecord, overwrite?: boolean): boolean;

  // --- client sequence (TR §4)
  getClientSeq(tenantId: string, clientId: string): ClientSeqRow | undefined;
  putClientSeq(row: ClientSeqRow): void;

  // --- aggregates
  getAggregate(tenantId: string, type: string, id: string): AggregateRow | undefined;
  /** Inserts or replaces the row (and its index entries). */
  putAggregate(row: AggregateRow): void;
  /** Aggregate ids of `tenantId` whose index `index` has `value` (at most a few). */
  lookupIndex(tenantId: string, index: string, value: string): readonly string[];

  // --- conflicts (TR §6.6)
  getConflict(tenantId: string, conflictId: string): ConflictRow | undefined;
  /** Id of an open conflict of `clientId` on that aggregate, if any. */
  openConflictFor(tenantId: string, clientId: string, aggregate: AggregateRef): string | undefined;
  /** Inserts or replaces a conflict. */
  putConflict(row: ConflictRow): void;

  // --- change log + outbox (TR §7, §8.1)
  /**
   * Appends a change; the store assigns its `seq` (PostgreSQL only at flush, so nothing is
   * returned). The row is handed over: the caller never reads or changes it again, so a store may
   * keep the object itself. The core passes complete rows with `seq: 0` and `publishedAt: null`
   * (domain/commit.ts), which the memory store adopts and numbers in place instead of copying.
   */
  appendChange(row: Omit<ChangeRow, 'seq' | 'publishedAt'>): void;

  // --- audit chain storage (TR §9.3); the chain logic lives in src/audit
  /** Head of the tenant's audit chain, or `undefined` when empty. */
  auditHead(tenantId: string): { readonly seq: number; readonly hash: string } | undefined;
  /** Appends an entry; `seq` must be head + 1 (the store throws otherwise). */
  appendAudit(row: Omit<AuditEntryRow, 'publishedAt'>): void;
}

/** Failure types a store throws (stable `code`). */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: 'scope-miss' | 'audit-seq' | 'closed' | 'unavailable' | 'integrity',
    message: string,
  ) {
    super(message);
  }
}

/** A read outside the declared {@link TxScope} in a prefetching store. */
export class ScopeMissError extends StoreError {
  override name = 'ScopeMissError';
  constructor(what: string) {
    super('scope-miss', `transaction read outside its declared scope: ${what}`);
  }
}

/** Page of changes for pull. */
export interface ChangePage {
  readonly changes: readonly ChangeRow[];
  readonly hasMore: boolean;
}

/** Reads and maintenance outside the push transaction (results are snapshots). */
export interface StoreQueries<P extends 'sync' | 'async'> {
  /** Changes of `tenantId` (optionally only `module`) with seq > `afterSeq`, ascending, at most `limit`. */
  listChanges(tenantId: string, afterSeq: number, limit: number, module?: string): Ret<P, ChangePage>;
  /** Conflicts of a tenant+module, optionally by status, ordered by createdAt then id. */
  listConflicts(tenantId: string, module: string, status?: 'open' | 'resolved'): Ret<P, readonly ConflictRow[]>;
  /** One conflict (outside a transaction; resolution re-reads it inside). */
  findConflict(tenantId: string, conflictId: string): Ret<P, ConflictRow | undefined>;
  /** One aggregate (REST GET). */
  findAggregate(tenantId: string, type: string, id: string): Ret<P, AggregateRow | undefined>;
  /** Up to `limit` unpublished changes, all tenants, in seq order (the outbox relay's work). */
  claimOutbox(limit: number): Ret<P, readonly ChangeRow[]>;
  /** Marks changes published (idempotent). */
  markPublished(seqs: readonly number[], publishedAt: string): Ret<P, void>;
  /** Number of unpublished changes. */
  outboxSize(): Ret<P, number>;
  /** Deletes idempotency records recorded before `olderThanMs`; returns how many. Client seqs stay. */
  purgeIdempotency(olderThanMs: number): Ret<P, number>;
  /** Audit entries of a tenant with seq > afterSeq, ascending, at most `limit`. */
  listAudit(tenantId: string, afterSeq: number, limit: number): Ret<P, readonly AuditEntryRow[]>;
  /** The tenant's audit head outside a transaction. */
  findAuditHead(tenantId: string): Ret<P, { readonly seq: number; readonly hash: string } | undefined>;
  /** Up to `limit` unpublished audit entries, all tenants. */
  claimAuditOutbox(limit: number): Ret<P, readonly AuditEntryRow[]>;
  /** Marks audit entries published. */
  markAuditPublished(keys: readonly { tenantId: string; seq: number }[], publishedAt: string): Ret<P, void>;

  // --- offline audit devices (TR §10); verification logic lives in src/audit
  getDevice(tenantId: string, deviceId: string): Ret<P, DeviceRow | undefined>;
  /** Registers or replaces a device key (head is kept when the device exists). */
  putDevice(row: DeviceRow): Ret<P, void>;
  /**
   * Appends accepted envelopes and moves the head, only if the stored head still equals
   * `expectedHeadSeq` (compare-and-set; `false` = someone else moved it, nothing stored).
   */
  appendEnvelopes(
    tenantId: string,
    deviceId: string,
    expectedHeadSeq: number,
    envelopes: readonly EnvelopeRow[],
    newHead: { readonly seq: number; readonly hash: string },
  ): Ret<P, boolean>;
  listEnvelopes(tenantId: string, deviceId: string): Ret<P, readonly EnvelopeRow[]>;

  /** Releases resources (closes the database). */
  close(): Ret<P, void>;
}

/** `T` for sync stores, `Promise<T>` for async ones. */
export type Ret<P extends 'sync' | 'async', T> = P extends 'sync' ? T : Promise<T>;

/** A store whose transactions complete synchronously (memory, SQLite). */
export interface SyncStore extends StoreQueries<'sync'> {
  readonly mode: 'sync';
  /** Short description for logs (`memory`, `sqlite:/path`, …). */
  readonly description: string;
  /** Runs `fn` in one transaction: all its writes commit together, or none if it throws. */
  transaction<T>(scope: TxScope, fn: (tx: StoreTx) => T): T;
}

/** A store whose transactions are asynchronous (PostgreSQL). */
export interface AsyncStore extends StoreQueries<'async'> {
  readonly mode: 'async';
  readonly description: string;
  /**
   * Runs `fn` in one transaction over the prefetched `scope`; retried on serialization failure.
   * `fn` must be synchronous and pure with respect to `tx`.
   */
  transaction<T>(scope: TxScope, fn: (tx: StoreTx) => T): Promise<T>;
}

/** Any store. */
export type Store = SyncStore | AsyncStore;
