/**
 * Group commit over the SQLite store, for a served process (`syncproof serve`): the transactions
 * that arrive in one turn of the event loop run as savepoints of ONE write transaction, committed
 * once the turn's I/O callbacks are done (`setImmediate`). Each transaction's promise resolves
 * only after that COMMIT, so no answer is sent before its writes are durable; a transaction that
 * throws rolls back alone (its savepoint); a failed COMMIT rejects every transaction of the group
 * and stores none of them. A crash before the COMMIT loses only unanswered work, each mutation
 * wholly or not at all.
 *
 * Why: a commit costs about as much as the work of a small push (write lock, WAL frames of the
 * pages every push touches — change log tail, index tails, B-tree interior pages — and the
 * auto-checkpoint), and with many pushes in flight the server runs them back to back anyway.
 *
 * Reads see only committed data: every other store call first commits the open group (and
 * answers its waiters), so pull, the outbox relay and REST reads never see work that could still
 * roll back. The store is asynchronous to the core (like PostgreSQL), which only awaits it.
 */
import type { ChangePage, AsyncStore, StoreTx, TxScope } from '../../ports/store.js';
import type { AuditEntryRow, ConflictRow, AggregateRow, ChangeRow, DeviceRow, EnvelopeRow } from '../../ports/records.js';
import { openGroupableSqliteStore, type GroupableSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Opens a SQLite store whose transactions commit in groups (see the module comment). */
export function openGroupCommitSqliteStore(options: SqliteStoreOptions): AsyncStore {
  return new GroupCommitStore(openGroupableSqliteStore(options));
}

class GroupCommitStore implements AsyncStore {
  readonly mode = 'async' as const;
  readonly description: string;
  private waiters: Waiter[] = [];
  private scheduled = false;

  constructor(private readonly inner: GroupableSqliteStore) {
    this.description = inner.description;
  }

  transaction<T>(scope: TxScope, fn: (tx: StoreTx) => T): Promise<T> {
    let result: T;
    try {
      this.inner.beginGroup();
      result = this.inner.transaction(scope, fn);
    } catch (err) {
      // Usually only this transaction's savepoint rolled back and the group commits as planned.
      // If SQLite rolled the whole group back (I/O error, disk full), its transactions are failed
      // at once, before a later one could run outside any group.
      if (this.inner.groupLost) this.settle();
      else this.schedule();
      return Promise.reject(err);
    }
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({ resolve: () => resolve(result), reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.settle();
    });
  }

  /** Commits the open group (if any) and answers its waiters. */
  private settle(): void {
    if (!this.inner.inGroup) return;
    const waiters = this.waiters;
    this.waiters = [];
    try {
      this.inner.commitGroup();
    } catch (err) {
      for (const w of waiters) w.reject(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  /** Runs a call of the inner store on committed data only. */
  private call<T>(fn: () => T): Promise<T> {
    try {
      this.settle();
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  listChanges(tenantId: string, afterSeq: number, limit: number, module?: string): Promise<ChangePage> {
    return this.call(() => this.inner.listChanges(tenantId, afterSeq, limit, module));
  }
  listConflicts(tenantId: string, module: string, status?: 'open' | 'resolved'): Promise<readonly ConflictRow[]> {
    return this.call(() => this.inner.listConflicts(tenantId, module, status));
  }
  findConflict(tenantId: string, conflictId: string): Promise<ConflictRow | undefined> {
    return this.call(() => this.inner.findConflict(tenantId, conflictId));
  }
  findAggregate(tenantId: string, type: string, id: string): Promise<AggregateRow | undefined> {
    return this.call(() => this.inner.findAggregate(tenantId, type, id));
  }
  claimOutbox(limit: number): Promise<readonly ChangeRow[]> {
    return this.call(() => this.inner.claimOutbox(limit));
  }
  markPublished(seqs: readonly number[], publishedAt: string): Promise<void> {
    return this.call(() => this.inner.markPublished(seqs, publishedAt));
  }
  outboxSize(): Promise<number> {
    return this.call(() => this.inner.outboxSize());
  }
  purgeIdempotency(olderThanMs: number): Promise<number> {
    return this.call(() => this.inner.purgeIdempotency(olderThanMs));
  }
  listAudit(tenantId: string, afterSeq: number, limit: number): Promise<readonly AuditEntryRow[]> {
    return this.call(() => this.inner.listAudit(tenantId, afterSeq, limit));
  }
  findAuditHead(tenantId: string): Promise<{ readonly seq: number; readonly hash: string } | undefined> {
    return this.call(() => this.inner.findAuditHead(tenantId));
  }
  claimAuditOutbox(limit: number): Promise<readonly AuditEntryRow[]> {
    return this.call(() => this.inner.claimAuditOutbox(limit));
  }
  markAuditPublished(keys: readonly { tenantId: string; seq: number }[], publishedAt: string): Promise<void> {
    return this.call(() => this.inner.markAuditPublished(keys, publishedAt));
  }
  getDevice(tenantId: string, deviceId: string): Promise<DeviceRow | undefined> {
    return this.call(() => this.inner.getDevice(tenantId, deviceId));
  }
  putDevice(row: DeviceRow): Promise<void> {
    return this.call(() => this.inner.putDevice(row));
  }
  appendEnvelopes(
    tenantId: string,
    deviceId: string,
    expectedHeadSeq: number,
    envelopes: readonly EnvelopeRow[],
    newHead: { readonly seq: number; readonly hash: string },
  ): Promise<boolean> {
    return this.call(() => this.inner.appendEnvelopes(tenantId, deviceId, expectedHeadSeq, envelopes, newHead));
  }
  listEnvelopes(tenantId: string, deviceId: string): Promise<readonly EnvelopeRow[]> {
    return this.call(() => this.inner.listEnvelopes(tenantId, deviceId));
  }
  close(): Promise<void> {
    try {
      this.settle();
    } finally {
      this.inner.close();
    }
    return Promise.resolve();
  }
}
