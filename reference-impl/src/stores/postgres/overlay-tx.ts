/**
 * The synchronous {@link StoreTx} an asynchronous store hands to the core: reads come from a
 * prefetched snapshot (`Snapshot`, filled from the database inside the open transaction), writes
 * go to a write layer that later becomes SQL. A read the snapshot does not cover throws
 * {@link PrefetchMiss} naming what is missing; the store fetches it, discards the write layer and
 * runs the (pure) callback again — so a scope declaration is an optimisation, never a
 * correctness condition.
 */
import type {
  AggregateRef,
  AggregateRow,
  AuditEntryRow,
  ChangeRow,
  ClientSeqRow,
  ConflictRow,
  IdempotencyRecord,
} from '../../ports/records.js';
import { ScopeMissError, StoreError, type StoreTx } from '../../ports/store.js';

const SEP = '\u0000';

/** Something the snapshot must load. */
export type Need =
  | { readonly kind: 'idempotency'; readonly tenantId: string; readonly key: string }
  | { readonly kind: 'client-seq'; readonly tenantId: string; readonly clientId: string }
  | { readonly kind: 'aggregate'; readonly tenantId: string; readonly type: string; readonly id: string }
  | { readonly kind: 'index'; readonly tenantId: string; readonly index: string; readonly value: string }
  | { readonly kind: 'conflict'; readonly tenantId: string; readonly conflictId: string }
  | { readonly kind: 'open-conflicts'; readonly tenantId: string; readonly clientId: string }
  | { readonly kind: 'audit-head'; readonly tenantId: string };

/** A read outside the snapshot. */
export class PrefetchMiss extends ScopeMissError {
  constructor(readonly need: Need) {
    super(`${need.kind} ${JSON.stringify(need)}`);
  }
}

/** Database state read inside the transaction (null = known absent). */
export class Snapshot {
  readonly idempotency = new Map<string, IdempotencyRecord | null>();
  readonly clientSeqs = new Map<string, ClientSeqRow | null>();
  readonly aggregates = new Map<string, AggregateRow | null>();
  readonly index = new Map<string, readonly string[]>();
  readonly conflicts = new Map<string, ConflictRow | null>();
  /** tenant\0client → (type\0id → conflictId) of open conflicts. */
  readonly openConflicts = new Map<string, Map<string, string>>();
  readonly auditHeads = new Map<string, { seq: number; hash: string } | null>();
}

/** Key helpers shared with the loader. */
export const keys = {
  idem: (t: string, k: string) => t + SEP + k,
  seq: (t: string, c: string) => t + SEP + c,
  agg: (t: string, type: string, id: string) => t + SEP + type + SEP + id,
  index: (t: string, name: string, value: string) => t + SEP + name + SEP + value,
  conflict: (t: string, id: string) => t + SEP + id,
  client: (t: string, c: string) => t + SEP + c,
};

/** Writes of one run of the callback, in the order they must reach the database. */
export class WriteLayer {
  readonly idempotency = new Map<string, { record: IdempotencyRecord; overwrite: boolean }>();
  readonly clientSeqs = new Map<string, ClientSeqRow>();
  readonly aggregates = new Map<string, AggregateRow>();
  /** Index list key → ids added / removed relative to the snapshot. */
  readonly indexAdd = new Map<string, Set<string>>();
  readonly indexRemove = new Map<string, Set<string>>();
  /** Index entries to write: [tenant, name, value, id, add?]. */
  readonly indexOps: [string, string, string, string, boolean][] = [];
  readonly conflicts = new Map<string, ConflictRow>();
  readonly changes: Omit<ChangeRow, 'seq' | 'publishedAt'>[] = [];
  readonly audit: Omit<AuditEntryRow, 'publishedAt'>[] = [];
}

/** Builds the transaction accessor over a snapshot and a fresh write layer. */
export function overlayTx(snap: Snapshot, w: WriteLayer): StoreTx {
  const aggregate = (tenantId: string, type: string, id: string): AggregateRow | undefined => {
    const k = keys.agg(tenantId, type, id);
    const written = w.aggregates.get(k);
    if (written) return written;
    const base = snap.aggregates.get(k);
    if (base === undefined) throw new PrefetchMiss({ kind: 'aggregate', tenantId, type, id });
    return base ?? undefined;
  };
  const indexChange = (tenantId: string, name: string, value: string, id: string, add: boolean): void => {
    const k = keys.index(tenantId, name, value);
    const [into, from] = add ? [w.indexAdd, w.indexRemove] : [w.indexRemove, w.indexAdd];
    from.get(k)?.delete(id);
    let set = into.get(k);
    if (!set) into.set(k, (set = new Set()));
    set.add(id);
    w.indexOps.push([tenantId, name, value, id, add]);
  };
  return {
    getIdempotency(tenantId, key) {
      const k = keys.idem(tenantId, key);
      const written = w.idempotency.get(k);
      if (written) return written.record;
      const base = snap.idempotency.get(k);
      if (base === undefined) throw new PrefetchMiss({ kind: 'idempotency', tenantId, key });
      return base ?? undefined;
    },
    putIdempotency(record, overwrite) {
      const k = keys.idem(record.tenantId, record.key);
      const existing = this.getIdempotency(record.tenantId, record.key);
      if (existing && !overwrite) return false;
      w.idempotency.set(k, { record, overwrite: overwrite === true || existing !== undefined });
      return true;
    },
    getClientSeq(tenantId, clientId) {
      const k = keys.seq(tenantId, clientId);
      const written = w.clientSeqs.get(k);
      if (written) return written;
      const base = snap.clientSeqs.get(k);
      if (base === undefined) throw new PrefetchMiss({ kind: 'client-seq', tenantId, clientId });
      return base ?? undefined;
    },
    putClientSeq(row) {
      w.clientSeqs.set(keys.seq(row.tenantId, row.clientId), row);
    },
    getAggregate: aggregate,
    putAggregate(row) {
      const prev = aggregate(row.tenantId, row.type, row.id);
      w.aggregates.set(keys.agg(row.tenantId, row.type, row.id), row);
      const before = prev?.index;
      const after = row.index;
      for (const name in before ?? {}) {
        if (after?.[name] !== before?.[name]) indexChange(row.tenantId, name, before?.[name] as string, row.id, false);
      }
      for (const name in after ?? {}) {
        if (after?.[name] !== before?.[name]) indexChange(row.tenantId, name, after?.[name] as string, row.id, true);
      }
    },
    lookupIndex(tenantId, index, value) {
      const k = keys.index(tenantId, index, value);
      const base = snap.index.get(k);
      if (base === undefined) throw new PrefetchMiss({ kind: 'index', tenantId, index, value });
      const add = w.indexAdd.get(k);
      const remove = w.indexRemove.get(k);
      if (!add?.size && !remove?.size) return base;
      const out = base.filter((id) => !remove?.has(id));
      for (const id of add ?? []) if (!out.includes(id)) out.push(id);
      return out.sort();
    },
    getConflict(tenantId, conflictId) {
      const k = keys.conflict(tenantId, conflictId);
      const written = w.conflicts.get(k);
      if (written) return written;
      const base = snap.conflicts.get(k);
      if (base === undefined) throw new PrefetchMiss({ kind: 'conflict', tenantId, conflictId });
      return base ?? undefined;
    },
    openConflictFor(tenantId, clientId, ref: AggregateRef) {
      const base = snap.openConflicts.get(keys.client(tenantId, clientId));
      if (base === undefined) throw new PrefetchMiss({ kind: 'open-conflicts', tenantId, clientId });
      const ak = ref.type + SEP + ref.id;
      const fromBase = base.get(ak);
      if (fromBase !== undefined) {
        const rewritten = w.conflicts.get(keys.conflict(tenantId, fromBase));
        if (!rewritten || rewritten.status === 'open') return fromBase;
      }
      for (const c of w.conflicts.values()) {
        if (c.status === 'open' && c.tenantId === tenantId && c.clientId === clientId && c.aggregate.type === ref.type && c.aggregate.id === ref.id) {
          return c.conflictId;
        }
      }
      return undefined;
    },
    putConflict(row) {
      w.conflicts.set(keys.conflict(row.tenantId, row.conflictId), row);
    },
    appendChange(row) {
      w.changes.push(row);
    },
    auditHead(tenantId) {
      for (let i = w.audit.length - 1; i >= 0; i--) {
        const a = w.audit[i] as Omit<AuditEntryRow, 'publishedAt'>;
        if (a.tenantId === tenantId) return { seq: a.seq, hash: a.hash };
      }
      const base = snap.auditHeads.get(tenantId);
      if (base === undefined) throw new PrefetchMiss({ kind: 'audit-head', tenantId });
      return base ?? undefined;
    },
    appendAudit(row) {
      const head = this.auditHead(row.tenantId);
      if (row.seq !== (head ? head.seq : 0) + 1) {
        throw new StoreError('audit-seq', `audit seq ${row.seq} does not follow head ${head ? head.seq : 0}`);
      }
      w.audit.push(row);
    },
  };
}
