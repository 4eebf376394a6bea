/**
 * Test doubles over the memory store that record the {@link TxScope} each transaction declares:
 * the memory store behind the asynchronous store interface (as PostgreSQL is), which also records
 * every transaction read its scope does not cover — a prefetching store serves a covered read from
 * its snapshot, an uncovered one costs it another round trip, so the core is expected to declare
 * what it reads — and a synchronous one (SQLite prefetches the declared idempotency keys).
 */
import type { AggregateRef } from '../../src/ports/records.js';
import type { AsyncStore, StoreTx, SyncStore, TxScope } from '../../src/ports/store.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';

export interface AsyncMemoryStore {
  readonly store: AsyncStore;
  /** The memory store underneath (synchronous reads for assertions). */
  readonly mem: SyncStore;
  /** Reads outside the declared scope, e.g. `aggregate t1 patient <id>`. */
  readonly misses: string[];
  /** The scopes transactions declared, in order. */
  readonly scopes: TxScope[];
}

const has = (refs: readonly AggregateRef[] | undefined, type: string, id: string) => refs?.some((r) => r.type === type && r.id === id) === true;

function checkedTx(tx: StoreTx, scope: TxScope, misses: string[]): StoreTx {
  const miss = (ok: boolean, what: string) => {
    if (!ok) misses.push(what);
  };
  const t = (tenantId: string) => tenantId === scope.tenantId;
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const call = (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
      switch (prop) {
        case 'getIdempotency':
          return (tenantId: string, key: string) => (miss(t(tenantId) && scope.idempotencyKeys?.includes(key) === true, `idempotency ${tenantId} ${key}`), call(tenantId, key));
        case 'getClientSeq':
          return (tenantId: string, clientId: string) => (miss(t(tenantId) && scope.clientIds?.includes(clientId) === true, `client-seq ${tenantId} ${clientId}`), call(tenantId, clientId));
        case 'getAggregate':
          return (tenantId: string, type: string, id: string) => (miss(t(tenantId) && has(scope.aggregates, type, id), `aggregate ${tenantId} ${type} ${id}`), call(tenantId, type, id));
        case 'lookupIndex':
          return (tenantId: string, index: string, v: string) => (
            miss(t(tenantId) && scope.indexLookups?.some((l) => l.index === index && l.value === v) === true, `index ${tenantId} ${index} ${v}`), call(tenantId, index, v)
          );
        case 'getConflict':
          return (tenantId: string, id: string) => (miss(t(tenantId) && scope.conflictIds?.includes(id) === true, `conflict ${tenantId} ${id}`), call(tenantId, id));
        case 'openConflictFor':
          return (tenantId: string, clientId: string, ref: AggregateRef) => (
            miss(t(tenantId) && scope.openConflictsOfClients === true && scope.clientIds?.includes(clientId) === true, `open-conflicts ${tenantId} ${clientId}`),
            call(tenantId, clientId, ref)
          );
        case 'auditHead':
          return (tenantId: string) => (miss(t(tenantId) && scope.auditHead === true, `audit-head ${tenantId}`), call(tenantId));
        default:
          return call;
      }
    },
  });
}

/** A fresh memory store behind the async interface. */
export function asyncMemoryStore(): AsyncMemoryStore {
  const mem = createMemoryStore();
  const misses: string[] = [];
  const scopes: TxScope[] = [];
  const store = new Proxy(mem, {
    get(target, prop, receiver) {
      if (prop === 'mode') return 'async';
      if (prop === 'transaction') {
        return <T>(scope: TxScope, fn: (tx: StoreTx) => T): Promise<T> => {
          scopes.push(scope);
          // Like PostgreSQL: the callback runs after the store has awaited its prefetch.
          return Promise.resolve().then(() => mem.transaction(scope, (tx) => fn(checkedTx(tx, scope, misses))));
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => Promise.resolve().then(() => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  }) as unknown as AsyncStore;
  return { store, mem, misses, scopes };
}

/** A fresh memory store (synchronous) that records the declared scopes and uncovered reads. */
export function recordingSyncStore(): { readonly store: SyncStore; readonly misses: string[]; readonly scopes: TxScope[] } {
  const mem = createMemoryStore();
  const misses: string[] = [];
  const scopes: TxScope[] = [];
  const store = new Proxy(mem, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return <T>(scope: TxScope, fn: (tx: StoreTx) => T): T => {
          scopes.push(scope);
          return mem.transaction(scope, (tx) => fn(checkedTx(tx, scope, misses)));
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store, misses, scopes };
}
