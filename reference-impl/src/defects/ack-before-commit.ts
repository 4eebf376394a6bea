/**
 * `ack-before-commit` — why this violates OFS-SYNC-014: the push answer is taken from the
 * transaction's result before the commit, and the commit then fails and rolls back; the client was
 * told `applied` for a write the server does not have.
 * Planted: Store wrapper — `transaction()` runs the core's callback, keeps its result, then aborts
 * the transaction whenever the result reports an applied outcome, and returns the kept result.
 */
import type { StoreTx, TxScope } from '../ports/store.js';
import { defineDefect } from './defect.js';
import { wrapStore } from './wrap-ports.js';

/** Thrown inside the transaction to roll it back after the answer was taken. */
class LostCommit extends Error {
  constructor(readonly result: unknown) {
    super('commit lost after the answer was taken');
  }
}

/** A push result that reports at least one applied outcome. */
function reportsApplied(result: unknown): boolean {
  const outcomes = (result as { outcomes?: unknown } | null)?.outcomes;
  return Array.isArray(outcomes) && outcomes.some((o) => (o as { status?: unknown; replayed?: unknown }).status === 'applied' && (o as { replayed?: unknown }).replayed !== true);
}

export const ackBeforeCommit = defineDefect({
  name: 'ack-before-commit',
  violates: ['OFS-SYNC-014'],
  description: 'the push is acknowledged from the uncommitted transaction, whose commit then fails and rolls back',
  site: 'store',
  hooks: {
    store: (store) =>
      wrapStore(store, {
        transaction: <T>(scope: TxScope, fn: (tx: StoreTx) => T) => {
          const run = (tx: StoreTx): T => {
            const result = fn(tx);
            if (reportsApplied(result)) throw new LostCommit(result);
            return result;
          };
          const recover = (err: unknown): T => {
            if (err instanceof LostCommit) return err.result as T;
            throw err;
          };
          try {
            const out = store.transaction(scope, run);
            return out instanceof Promise ? out.catch(recover) : out;
          } catch (err) {
            return recover(err);
          }
        },
      }),
  },
});
