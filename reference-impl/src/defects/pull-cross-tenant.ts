/**
 * `pull-cross-tenant` — why this violates OFS-TEN-003: the pull query forgets its tenant filter,
 * so a client of tenant B pulling the change log receives tenant A's changes (PHI included).
 * Planted: Store wrapper — `listChanges(tenant, …)` answers the merged change log of every tenant
 * the store has served, in commit order.
 */
import type { ChangeRow } from '../ports/records.js';
import type { ChangePage, Store, StoreTx, TxScope } from '../ports/store.js';
import { defineDefect } from './defect.js';
import { wrapStore } from './wrap-ports.js';

function allTenantsPull(store: Store): Store {
  const tenants = new Set<string>();
  const merge = (pages: readonly ChangePage[], limit: number): ChangePage => {
    const all: ChangeRow[] = pages.flatMap((p) => p.changes).sort((a, b) => a.seq - b.seq);
    return { changes: all.slice(0, limit), hasMore: all.length > limit || pages.some((p) => p.hasMore) };
  };
  return wrapStore(store, {
    transaction: <T>(scope: TxScope, fn: (tx: StoreTx) => T) => {
      tenants.add(scope.tenantId);
      return store.transaction(scope, fn);
    },
    listChanges: (tenantId: string, afterSeq: number, limit: number, module?: string) => {
      tenants.add(tenantId);
      const pages = [...tenants].map((t) => store.listChanges(t, afterSeq, limit, module));
      if (pages.some((p) => p instanceof Promise)) return Promise.all(pages).then((ps) => merge(ps, limit));
      return merge(pages as ChangePage[], limit);
    },
  });
}

export const pullCrossTenant = defineDefect({
  name: 'pull-cross-tenant',
  violates: ['OFS-TEN-003'],
  description: "cross-tenant read through pull: the change-log query has no tenant filter",
  site: 'store',
  hooks: { store: allTenantsPull },
});
