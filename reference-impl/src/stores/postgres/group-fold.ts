/**
 * Group commit support for the PostgreSQL store: the transactions of one tenant that queue behind
 * its write lock run one after another inside ONE database transaction, each on a fresh write
 * layer over the shared snapshot. When one succeeds its writes are folded into the snapshot (so the
 * next one reads them, as it would after a commit) and into the group's write layer (flushed once,
 * before the single COMMIT). One that throws leaves nothing behind.
 *
 * Invariant: every key a folded layer touched is in the snapshot, so a later prefetch (which reads
 * the database, where the group's writes are not yet) never replaces what the group wrote. The
 * loads that keep it ({@link foldNeeds}) are made before folding.
 */
import { keys, type Need, type Snapshot, type WriteLayer } from './overlay-tx.js';

const SEP = '\u0000';

/** What the snapshot must hold before `w` can be folded into it. */
export function foldNeeds(snap: Snapshot, w: WriteLayer): Need[] {
  const needs: Need[] = [];
  for (const [tenantId, index, value] of w.indexOps) {
    if (!snap.index.has(keys.index(tenantId, index, value))) needs.push({ kind: 'index', tenantId, index, value });
  }
  for (const c of w.conflicts.values()) {
    if (!snap.openConflicts.has(keys.client(c.tenantId, c.clientId))) needs.push({ kind: 'open-conflicts', tenantId: c.tenantId, clientId: c.clientId });
  }
  for (const a of w.audit) {
    if (!snap.auditHeads.has(a.tenantId)) needs.push({ kind: 'audit-head', tenantId: a.tenantId });
  }
  return needs;
}

/** Makes `w` part of the snapshot and of the group's pending writes `group` (see the module comment). */
export function foldInto(snap: Snapshot, group: WriteLayer, w: WriteLayer): void {
  for (const [k, e] of w.idempotency) {
    // Relative to the database, a key the group inserted is still an insert.
    const before = group.idempotency.get(k);
    group.idempotency.set(k, { record: e.record, overwrite: before ? before.overwrite : e.overwrite });
    snap.idempotency.set(k, e.record);
  }
  for (const [k, row] of w.clientSeqs) {
    group.clientSeqs.set(k, row);
    snap.clientSeqs.set(k, row);
  }
  for (const [k, row] of w.aggregates) {
    group.aggregates.set(k, row);
    snap.aggregates.set(k, row);
  }
  for (const op of w.indexOps) {
    group.indexOps.push(op);
    const [tenantId, index, value, id, add] = op;
    const k = keys.index(tenantId, index, value);
    const ids = (snap.index.get(k) ?? []).filter((x) => x !== id);
    if (add) ids.push(id);
    snap.index.set(k, ids.sort());
  }
  for (const [k, row] of w.conflicts) {
    group.conflicts.set(k, row);
    snap.conflicts.set(k, row);
    const open = snap.openConflicts.get(keys.client(row.tenantId, row.clientId));
    if (!open) continue;
    const ak = row.aggregate.type + SEP + row.aggregate.id;
    if (row.status === 'open') {
      if (!open.has(ak)) open.set(ak, row.conflictId);
    } else if (open.get(ak) === row.conflictId) {
      open.delete(ak);
    }
  }
  group.changes.push(...w.changes);
  for (const a of w.audit) {
    group.audit.push(a);
    snap.auditHeads.set(a.tenantId, { seq: a.seq, hash: a.hash });
  }
}
