/**
 * Small helpers the defects use to wrap a port without touching its implementation: a Proxy that
 * answers the overridden members and forwards everything else, bound to the original object (so
 * class instances with private state keep working). Sync stores stay sync and async stores stay
 * async: overrides receive and return what the wrapped member does.
 */
import type { Store, StoreTx, TxScope } from '../ports/store.js';
import type { AnyCore } from './defect.js';

/** Returns a proxy of `target` whose members in `overrides` replace the original ones. */
export function overrideMembers<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return (overrides as Record<PropertyKey, unknown>)[prop];
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}

/** Overrides members of a store (queries, `transaction`). */
export function wrapStore(store: Store, overrides: Partial<Record<keyof Store, unknown>>): Store {
  return overrideMembers(store, overrides as Partial<Store>);
}

/**
 * Wraps the accessor every transaction of `store` hands to the core: `wrapTx(tx, scope)` returns
 * the accessor the core sees instead.
 */
export function wrapTransactions(store: Store, wrapTx: (tx: StoreTx, scope: TxScope) => StoreTx): Store {
  const transaction = <T>(scope: TxScope, fn: (tx: StoreTx) => T) => store.transaction(scope, (tx) => fn(wrapTx(tx, scope)));
  return wrapStore(store, { transaction });
}

/** Overrides entry points of a core. */
export function wrapCore(core: AnyCore, overrides: Partial<Record<keyof AnyCore, unknown>>): AnyCore {
  return overrideMembers(core as object, overrides as object) as AnyCore;
}
