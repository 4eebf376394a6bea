/**
 * `idempotency-record-outside-tx` — why this violates OFS-IDEM-014: the state change and its outbox
 * row commit, but the idempotency record (and the client's sequence) is written afterwards by a
 * write-behind step in a separate transaction. A crash between the two leaves an applied mutation
 * without its record, so the client's retry is applied a second time.
 * Planted: Store wrapper — inside each transaction `putIdempotency`/`putClientSeq` are buffered;
 * the buffer of a committed transaction is written in its own transaction just before the next
 * transaction starts (a process that dies first loses it).
 */
import type { ClientSeqRow, IdempotencyRecord } from '../ports/records.js';
import type { Store, StoreTx, TxScope } from '../ports/store.js';
import { defineDefect } from './defect.js';
import { overrideMembers, wrapStore } from './wrap-ports.js';

interface Deferred {
  readonly records: IdempotencyRecord[];
  readonly seqs: ClientSeqRow[];
}

function writeBehind(store: Store): Store {
  let pending: Deferred[] = [];

  /** Writes what committed transactions left behind, one transaction per tenant. */
  const flush = (): void | Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const byTenant = new Map<string, Deferred>();
    for (const d of batch) {
      for (const r of d.records) (byTenant.get(r.tenantId) ?? byTenant.set(r.tenantId, { records: [], seqs: [] }).get(r.tenantId)!).records.push(r);
      for (const s of d.seqs) (byTenant.get(s.tenantId) ?? byTenant.set(s.tenantId, { records: [], seqs: [] }).get(s.tenantId)!).seqs.push(s);
    }
    const writes: (void | Promise<void>)[] = [];
    for (const [tenantId, d] of byTenant) {
      const scope: TxScope = { tenantId, idempotencyKeys: d.records.map((r) => r.key), clientIds: d.seqs.map((s) => s.clientId) };
      writes.push(
        store.transaction(scope, (tx) => {
          for (const r of d.records) tx.putIdempotency(r, true);
          for (const s of d.seqs) tx.putClientSeq(s);
        }),
      );
    }
    if (writes.some((w) => w instanceof Promise)) return Promise.all(writes).then(() => undefined);
  };

  const transaction = <T>(scope: TxScope, fn: (tx: StoreTx) => T) => {
    let attempt: Deferred = { records: [], seqs: [] };
    const run = (tx: StoreTx): T => {
      // A retried attempt (PostgreSQL serialization failure) starts a fresh buffer.
      const local: Deferred = { records: [], seqs: [] };
      attempt = local;
      const view = overrideMembers(tx, {
        getIdempotency: (tenantId: string, key: string) =>
          local.records.find((r) => r.tenantId === tenantId && r.key === key) ?? tx.getIdempotency(tenantId, key),
        putIdempotency: (record: IdempotencyRecord, overwrite?: boolean) => {
          if (!overwrite && view.getIdempotency(record.tenantId, record.key) !== undefined) return false;
          local.records.push(record);
          return true;
        },
        getClientSeq: (tenantId: string, clientId: string) =>
          [...local.seqs].reverse().find((s) => s.tenantId === tenantId && s.clientId === clientId) ?? tx.getClientSeq(tenantId, clientId),
        putClientSeq: (row: ClientSeqRow) => {
          local.seqs.push(row);
        },
      });
      return fn(view);
    };
    const committed = (value: T): T => {
      if (attempt.records.length > 0 || attempt.seqs.length > 0) pending.push(attempt);
      return value;
    };
    const flushed = flush();
    if (flushed instanceof Promise) return flushed.then(() => store.transaction(scope, run)).then(committed);
    const out = store.transaction(scope, run);
    return out instanceof Promise ? out.then(committed) : committed(out);
  };
  return wrapStore(store, { transaction });
}

export const idempotencyRecordOutsideTx = defineDefect({
  name: 'idempotency-record-outside-tx',
  violates: ['OFS-IDEM-014'],
  description: 'the idempotency record is written after the state change, outside its transaction (lost on a crash between)',
  site: 'store',
  hooks: { store: writeBehind },
});
