/**
 * Continuation over values that are either direct (sync stores) or promised (async stores),
 * without forcing a promise — and its microtask — onto the synchronous hot path.
 */
import type { MaybePromise } from '../ports/store.js';

/**
 * Applies `fn` to `value`, now if it is direct, later if it is a promise. Named `andThen`, not
 * `then`: a module exporting `then` turns its namespace object into a thenable.
 */
export function andThen<A, B>(value: MaybePromise<A>, fn: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
