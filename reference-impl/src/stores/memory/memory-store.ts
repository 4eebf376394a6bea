/**
 * In-memory store for simulation and tests. Synchronous; rows are kept as the objects the core
 * hands over (no copies, no JSON), so a push costs a few Map operations per mutation.
 *
 * Atomicity: writes go straight to the maps and push an undo step; if the transaction callback
 * throws, the undo steps run in reverse, so a failed transaction leaves nothing behind. Rows are
 * immutable once written (the core always writes new objects), so undo restores references.
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
} from '../../ports/records.js';
import { StoreError, type ChangePage, type StoreTx, type SyncStore, type TxScope } from '../../ports/store.js';

const SEP = '\u0000';
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Two-level map keyed (tenant, key). Nested maps instead of concatenated keys: the hot path then
 * hashes the caller's (already flat, hash-cached) strings instead of building and hashing a new
 * string per lookup.
 */
class TenantMap<V> {
  private readonly byTenant = new Map<string, Map<string, V>>();
  // One-entry memo: the core reads a key and then writes it (record, aggregate) in the same
  // step; the second big-table probe is the costly part of both.
  private memoTenant: string | undefined;
  private memoKey: string | undefined;
  private memoValue: V | undefined;
  get(tenantId: string, key: string): V | undefined {
    if (key === this.memoKey && tenantId === this.memoTenant) return this.memoValue;
    const m = this.byTenant.get(tenantId);
    const v = m === undefined ? undefined : m.get(key);
    this.memoTenant = tenantId;
    this.memoKey = key;
    this.memoValue = v;
    return v;
  }
  set(tenantId: string, key: string, value: V): void {
    let m = this.byTenant.get(tenantId);
    if (m === undefined) this.byTenant.set(tenantId, (m = new Map()));
    m.set(key, value);
    this.memoTenant = tenantId;
    this.memoKey = key;
    this.memoValue = value;
  }
  delete(tenantId: string, key: string): void {
    this.byTenant.get(tenantId)?.delete(key);
    if (key === this.memoKey && tenantId === this.memoTenant) this.memoKey = undefined;
  }
  tenant(tenantId: string): ReadonlyMap<string, V> | undefined {
    return this.byTenant.get(tenantId);
  }
  *entries(): IterableIterator<[string, string, V]> {
    for (const [t, m] of this.byTenant) for (const [k, v] of m) yield [t, k, v];
  }
}

/** Kinds of undo steps. */
const enum Undo {
  Idempotency,
  ClientSeq,
  Aggregate,
  Conflict,
  Change,
  Audit,
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Called inside every transaction before commit (tests: inject a failure to check atomicity). */
  readonly beforeCommit?: (tx: StoreTx) => void;
}

/** Creates an empty in-memory store. */
export function createMemoryStore(options: MemoryStoreOptions = {}): SyncStore {
  return new MemoryStore(options);
}

class MemoryStore implements SyncStore {
  readonly mode = 'sync' as const;
  readonly description = 'memory';
  private readonly idem = new TenantMap<IdempotencyRecord>();
  /**
   * Every idempotency record ever put, in put order, for the retention purge: records are put at
   * the core's clock, which only moves forward, so the queue is ordered by `recordedAt` and a purge
   * pops its head instead of scanning every record. Entries whose record was since replaced or
   * rolled back are skipped when popped. Should a record ever arrive out of order (a test clock
   * going backwards), `idemInOrder` drops and the next purge scans and re-sorts.
   */
  private idemQueue: IdempotencyRecord[] = [];
  private idemHead = 0;
  private idemInOrder = true;
  private readonly seqs = new TenantMap<ClientSeqRow>();
  /** (tenant, type) → id → row. */
  private readonly aggregates = new TenantMap<Map<string, AggregateRow>>();
  private readonly index = new Map<string, string[]>();
  private readonly conflicts = new Map<string, ConflictRow>();
  /** tenant → conflictId → row, in creation order (listing costs O(conflicts of the tenant)). */
  private readonly conflictsByTenant = new Map<string, Map<string, ConflictRow>>();
  /** tenant → conflictId → row of the open conflicts only. */
  private readonly openByTenant = new Map<string, Map<string, ConflictRow>>();
  /** (tenant, client) → (type\0id → open conflictId); nested so the per-mutation check builds no key string. */
  private readonly openByClient = new TenantMap<Map<string, string>>();
  /** All changes in seq order (seq = position + 1). */
  private readonly changes: Mutable<ChangeRow>[] = [];
  private readonly changesByTenant = new Map<string, Mutable<ChangeRow>[]>();
  /** Position of the first change that may still be unpublished. */
  private outboxLow = 0;
  private unpublished = 0;
  private readonly audit = new Map<string, Mutable<AuditEntryRow>[]>();
  private readonly auditOrder: Mutable<AuditEntryRow>[] = [];
  private auditLow = 0;
  private readonly devices = new Map<string, DeviceRow>();
  private readonly envelopes = new Map<string, EnvelopeRow[]>();
  /**
   * Undo log of the running transaction (undefined outside one): flat groups of
   * `[kind, a, b, c]` replayed backwards on failure. Plain slots instead of a closure per write:
   * a push writes three or four rows per mutation, and the log is reused across transactions.
   */
  private undo: unknown[] | undefined;
  private readonly undoLog: unknown[] = [];
  private closed = false;
  private readonly tx: StoreTx;

  constructor(private readonly options: MemoryStoreOptions) {
    this.tx = this.makeTx();
  }

  transaction<T>(_scope: TxScope, fn: (tx: StoreTx) => T): T {
    if (this.closed) throw new StoreError('closed', 'store is closed');
    if (this.undo) throw new StoreError('integrity', 'nested transactions are not supported');
    const undo = this.undoLog;
    this.undo = undo;
    try {
      const result = fn(this.tx);
      this.options.beforeCommit?.(this.tx);
      return result;
    } catch (err) {
      this.rollback(undo);
      throw err;
    } finally {
      undo.length = 0;
      this.undo = undefined;
    }
  }

  /** Appends one undo step (see {@link undo}). */
  private record(kind: Undo, a: unknown, b: unknown, c: unknown): void {
    const undo = this.undo;
    if (!undo) throw new StoreError('integrity', 'write outside a transaction');
    undo.push(kind, a, b, c);
  }

  private rollback(undo: unknown[]): void {
    for (let i = undo.length - 4; i >= 0; i -= 4) {
      const a = undo[i + 1];
      const b = undo[i + 2];
      const c = undo[i + 3];
      switch (undo[i] as Undo) {
        case Undo.Idempotency: {
          const rec = a as IdempotencyRecord;
          if (b) this.idem.set(rec.tenantId, rec.key, b as IdempotencyRecord);
          else this.idem.delete(rec.tenantId, rec.key);
          break;
        }
        case Undo.ClientSeq: {
          const row = a as ClientSeqRow;
          if (b) this.seqs.set(row.tenantId, row.clientId, b as ClientSeqRow);
          else this.seqs.delete(row.tenantId, row.clientId);
          break;
        }
        case Undo.Aggregate:
          this.undoAggregate(a as AggregateRow, b as AggregateRow | undefined, c as Map<string, AggregateRow>);
          break;
        case Undo.Conflict:
          this.undoConflict(a as ConflictRow, b as ConflictRow | undefined, c as Map<string, ConflictRow>);
          break;
        case Undo.Change:
          this.changes.pop();
          (a as ChangeRow[]).pop();
          this.unpublished--;
          break;
        case Undo.Audit:
          (a as AuditEntryRow[]).pop();
          this.auditOrder.pop();
          break;
      }
    }
  }

  private makeTx(): StoreTx {
    // Arrow functions bound once: the hot path calls these per mutation.
    return {
      getIdempotency: (tenantId, key) => this.idem.get(tenantId, key),
      putIdempotency: (record, overwrite) => {
        const t = record.tenantId;
        const k = record.key;
        const prev = this.idem.get(t, k);
        if (prev && !overwrite) return false;
        this.idem.set(t, k, record);
        this.enqueueIdempotency(record);
        this.record(Undo.Idempotency, record, prev, undefined);
        return true;
      },
      getClientSeq: (tenantId, clientId) => this.seqs.get(tenantId, clientId),
      putClientSeq: (row) => {
        const t = row.tenantId;
        const k = row.clientId;
        const prev = this.seqs.get(t, k);
        this.seqs.set(t, k, row);
        this.record(Undo.ClientSeq, row, prev, undefined);
      },
      getAggregate: (tenantId, type, id) => this.aggregates.get(tenantId, type)?.get(id),
      putAggregate: (row) => this.putAggregate(row),
      lookupIndex: (tenantId, index, value) => this.index.get(tenantId + SEP + index + SEP + value) ?? EMPTY,
      getConflict: (tenantId, conflictId) => this.conflicts.get(tenantId + SEP + conflictId),
      openConflictFor: (tenantId, clientId, aggregate) => {
        const open = this.openByClient.get(tenantId, clientId);
        return open === undefined || open.size === 0 ? undefined : open.get(aggregate.type + SEP + aggregate.id);
      },
      putConflict: (row) => this.putConflict(row),
      appendChange: (row) => this.appendChange(row),
      auditHead: (tenantId) => {
        const list = this.audit.get(tenantId);
        const last = list?.[list.length - 1];
        return last ? { seq: last.seq, hash: last.hash } : undefined;
      },
      appendAudit: (row) => this.appendAudit(row),
    };
  }

  private putAggregate(row: AggregateRow): void {
    let byId = this.aggregates.get(row.tenantId, row.type);
    if (byId === undefined) this.aggregates.set(row.tenantId, row.type, (byId = new Map()));
    const rows = byId;
    const prev = rows.get(row.id);
    rows.set(row.id, row);
    const prevIndex = prev?.index;
    const nextIndex = row.index;
    if (prevIndex !== nextIndex) {
      if (prevIndex) for (const name in prevIndex) this.indexRemove(row.tenantId, name, prevIndex[name] as string, row.id);
      if (nextIndex) for (const name in nextIndex) this.indexAdd(row.tenantId, name, nextIndex[name] as string, row.id);
    }
    this.record(Undo.Aggregate, row, prev, rows);
  }

  private undoAggregate(row: AggregateRow, prev: AggregateRow | undefined, rows: Map<string, AggregateRow>): void {
    const prevIndex = prev?.index;
    const nextIndex = row.index;
    if (prevIndex !== nextIndex) {
      if (nextIndex) for (const name in nextIndex) this.indexRemove(row.tenantId, name, nextIndex[name] as string, row.id);
      if (prevIndex) for (const name in prevIndex) this.indexAdd(row.tenantId, name, prevIndex[name] as string, row.id);
    }
    if (prev) rows.set(row.id, prev);
    else rows.delete(row.id);
  }

  private indexAdd(tenantId: string, name: string, value: string, id: string): void {
    const k = tenantId + SEP + name + SEP + value;
    const ids = this.index.get(k);
    if (!ids) this.index.set(k, [id]);
    else if (!ids.includes(id)) this.index.set(k, [...ids, id]);
  }

  private indexRemove(tenantId: string, name: string, value: string, id: string): void {
    const k = tenantId + SEP + name + SEP + value;
    const ids = this.index.get(k);
    if (!ids) return;
    const next = ids.filter((x) => x !== id);
    if (next.length === 0) this.index.delete(k);
    else this.index.set(k, next);
  }

  private putConflict(row: ConflictRow): void {
    const k = row.tenantId + SEP + row.conflictId;
    const prev = this.conflicts.get(k);
    this.conflicts.set(k, row);
    let byTenant = this.conflictsByTenant.get(row.tenantId);
    if (!byTenant) this.conflictsByTenant.set(row.tenantId, (byTenant = new Map()));
    const tenantConflicts = byTenant;
    tenantConflicts.set(row.conflictId, row);
    this.syncOpen(prev, row);
    this.record(Undo.Conflict, row, prev, tenantConflicts);
  }

  private undoConflict(row: ConflictRow, prev: ConflictRow | undefined, tenantConflicts: Map<string, ConflictRow>): void {
    const k = row.tenantId + SEP + row.conflictId;
    if (prev) {
      this.conflicts.set(k, prev);
      tenantConflicts.set(row.conflictId, prev);
    } else {
      this.conflicts.delete(k);
      tenantConflicts.delete(row.conflictId);
    }
    this.syncOpen(row, prev);
  }

  /** Keeps the open-conflict lookup in step when a conflict goes from `before` to `after`. */
  private syncOpen(before: ConflictRow | undefined, after: ConflictRow | undefined): void {
    const row = after ?? before;
    if (!row) return;
    const ak = row.aggregate.type + SEP + row.aggregate.id;
    if (before?.status === 'open') {
      this.openByClient.get(row.tenantId, row.clientId)?.delete(ak);
      this.openByTenant.get(row.tenantId)?.delete(row.conflictId);
    }
    if (after?.status === 'open') {
      let t = this.openByTenant.get(row.tenantId);
      if (!t) this.openByTenant.set(row.tenantId, (t = new Map()));
      t.set(row.conflictId, after);
      let m = this.openByClient.get(row.tenantId, row.clientId);
      if (!m) this.openByClient.set(row.tenantId, row.clientId, (m = new Map()));
      // The earliest open conflict on an aggregate blocks; later ones cannot exist while it is
      // open (the later mutation would have been blocked), but keep the first to be safe.
      if (!m.has(ak)) m.set(ak, row.conflictId);
    }
  }

  private appendChange(c: Omit<ChangeRow, 'seq' | 'publishedAt'>): number {
    const seq = this.changes.length + 1;
    let row: Mutable<ChangeRow>;
    const given = c as Partial<ChangeRow>;
    if (given.seq === 0 && given.publishedAt === null) {
      // A complete row whose seq is still unassigned (0; stored rows start at 1) is a fresh one
      // nobody else holds — the core builds it so (domain/commit.ts): adopt it instead of copying.
      row = c as Mutable<ChangeRow>;
      row.seq = seq;
    } else {
      // Spelled out rather than spread: a fixed shape is cheaper to build and to keep.
      row = {
        seq,
        tenantId: c.tenantId,
        module: c.module,
        aggregate: c.aggregate,
        version: c.version,
        op: c.op,
        eventType: c.eventType,
        state: c.state,
        committedAt: c.committedAt,
        eventId: c.eventId,
        clientMutationId: c.clientMutationId,
        actorId: c.actorId,
        publishedAt: null,
      };
    }
    this.changes.push(row);
    let list = this.changesByTenant.get(row.tenantId);
    if (!list) this.changesByTenant.set(row.tenantId, (list = []));
    list.push(row);
    this.unpublished++;
    this.record(Undo.Change, list, undefined, undefined);
    return seq;
  }

  private appendAudit(input: Omit<AuditEntryRow, 'publishedAt'>): void {
    let list = this.audit.get(input.tenantId);
    const last = list?.[list.length - 1];
    if (input.seq !== (last ? last.seq : 0) + 1) {
      throw new StoreError('audit-seq', `audit seq ${input.seq} does not follow head ${last ? last.seq : 0}`);
    }
    if (!list) this.audit.set(input.tenantId, (list = []));
    const row: Mutable<AuditEntryRow> = { ...input, publishedAt: null };
    list.push(row);
    this.auditOrder.push(row);
    this.record(Undo.Audit, list, undefined, undefined);
  }

  // --- queries

  listChanges(tenantId: string, afterSeq: number, limit: number, module?: string): ChangePage {
    const list = this.changesByTenant.get(tenantId);
    if (!list) return { changes: [], hasMore: false };
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as ChangeRow).seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    const out: ChangeRow[] = [];
    let i = lo;
    for (; i < list.length && out.length < limit; i++) {
      const row = list[i] as ChangeRow;
      if (module === undefined || row.module === module) out.push(row);
    }
    let hasMore = false;
    for (; i < list.length; i++) {
      if (module === undefined || (list[i] as ChangeRow).module === module) {
        hasMore = true;
        break;
      }
    }
    return { changes: out, hasMore };
  }

  listConflicts(tenantId: string, module: string, status?: 'open' | 'resolved'): readonly ConflictRow[] {
    const out: ConflictRow[] = [];
    if (status === 'open') {
      for (const row of this.openByTenant.get(tenantId)?.values() ?? []) if (row.module === module) out.push(row);
    } else {
      for (const row of this.conflictsByTenant.get(tenantId)?.values() ?? []) {
        if (row.module === module && (status === undefined || row.status === status)) out.push(row);
      }
    }
    return out.length > 1 ? out.sort(conflictOrder) : out;
  }

  findConflict(tenantId: string, conflictId: string): ConflictRow | undefined {
    return this.conflicts.get(tenantId + SEP + conflictId);
  }

  findAggregate(tenantId: string, type: string, id: string): AggregateRow | undefined {
    return this.aggregates.get(tenantId, type)?.get(id);
  }

  claimOutbox(limit: number): readonly ChangeRow[] {
    const out: ChangeRow[] = [];
    while (this.outboxLow < this.changes.length && (this.changes[this.outboxLow] as ChangeRow).publishedAt !== null) this.outboxLow++;
    for (let i = this.outboxLow; i < this.changes.length && out.length < limit; i++) {
      const row = this.changes[i] as ChangeRow;
      if (row.publishedAt === null) out.push(row);
    }
    return out;
  }

  markPublished(seqs: readonly number[], publishedAt: string): void {
    for (const seq of seqs) {
      const row = this.changes[seq - 1];
      if (row && row.publishedAt === null) {
        row.publishedAt = publishedAt;
        this.unpublished--;
      }
    }
  }

  outboxSize(): number {
    return this.unpublished;
  }

  private enqueueIdempotency(record: IdempotencyRecord): void {
    const q = this.idemQueue;
    if (q.length > this.idemHead && record.recordedAt < (q[q.length - 1] as IdempotencyRecord).recordedAt) this.idemInOrder = false;
    q.push(record);
  }

  purgeIdempotency(olderThanMs: number): number {
    if (!this.idemInOrder) this.resortIdempotency();
    const q = this.idemQueue;
    let head = this.idemHead;
    let purged = 0;
    while (head < q.length && (q[head] as IdempotencyRecord).recordedAt < olderThanMs) {
      const rec = q[head] as IdempotencyRecord;
      // Only the record the table still holds: a replaced or rolled-back one is just dropped.
      if (this.idem.get(rec.tenantId, rec.key) === rec) {
        this.idem.delete(rec.tenantId, rec.key);
        purged++;
      }
      head++;
    }
    if (head > 4096 && head * 2 > q.length) {
      this.idemQueue = q.slice(head);
      head = 0;
    }
    this.idemHead = head;
    return purged;
  }

  /** Rebuilds the purge queue from the table, ordered by `recordedAt` (the rare out-of-order case). */
  private resortIdempotency(): void {
    const live: IdempotencyRecord[] = [];
    for (const [, , rec] of this.idem.entries()) live.push(rec);
    live.sort((a, b) => a.recordedAt - b.recordedAt);
    this.idemQueue = live;
    this.idemHead = 0;
    this.idemInOrder = true;
  }

  listAudit(tenantId: string, afterSeq: number, limit: number): readonly AuditEntryRow[] {
    const list = this.audit.get(tenantId) ?? [];
    // seq n sits at position n - 1.
    return list.slice(Math.max(0, afterSeq), Math.max(0, afterSeq) + limit);
  }

  findAuditHead(tenantId: string): { seq: number; hash: string } | undefined {
    return this.tx.auditHead(tenantId);
  }

  claimAuditOutbox(limit: number): readonly AuditEntryRow[] {
    while (this.auditLow < this.auditOrder.length && (this.auditOrder[this.auditLow] as AuditEntryRow).publishedAt !== null) this.auditLow++;
    const out: AuditEntryRow[] = [];
    for (let i = this.auditLow; i < this.auditOrder.length && out.length < limit; i++) {
      const row = this.auditOrder[i] as AuditEntryRow;
      if (row.publishedAt === null) out.push(row);
    }
    return out;
  }

  markAuditPublished(keys: readonly { tenantId: string; seq: number }[], publishedAt: string): void {
    for (const { tenantId, seq } of keys) {
      const row = this.audit.get(tenantId)?.[seq - 1];
      if (row && row.publishedAt === null) row.publishedAt = publishedAt;
    }
  }

  getDevice(tenantId: string, deviceId: string): DeviceRow | undefined {
    return this.devices.get(tenantId + SEP + deviceId);
  }

  putDevice(row: DeviceRow): void {
    const k = row.tenantId + SEP + row.deviceId;
    const prev = this.devices.get(k);
    this.devices.set(k, prev ? { ...row, headSeq: prev.headSeq, headHash: prev.headHash } : row);
  }

  appendEnvelopes(
    tenantId: string,
    deviceId: string,
    expectedHeadSeq: number,
    envelopes: readonly EnvelopeRow[],
    newHead: { seq: number; hash: string },
  ): boolean {
    const k = tenantId + SEP + deviceId;
    const dev = this.devices.get(k);
    if (!dev || dev.headSeq !== expectedHeadSeq) return false;
    this.devices.set(k, { ...dev, headSeq: newHead.seq, headHash: newHead.hash });
    let list = this.envelopes.get(k);
    if (!list) this.envelopes.set(k, (list = []));
    list.push(...envelopes);
    return true;
  }

  listEnvelopes(tenantId: string, deviceId: string): readonly EnvelopeRow[] {
    return this.envelopes.get(tenantId + SEP + deviceId) ?? [];
  }

  close(): void {
    this.closed = true;
  }
}

const EMPTY: readonly string[] = Object.freeze([]) as readonly string[];

/** Conflict listing order: creation time, then id. */
export function conflictOrder(a: ConflictRow, b: ConflictRow): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.conflictId < b.conflictId ? -1 : a.conflictId > b.conflictId ? 1 : 0;
}

/** Key of an aggregate reference (exported for stores that share the layout). */
export function aggregateKey(ref: AggregateRef): string {
  return ref.type + SEP + ref.id;
}
