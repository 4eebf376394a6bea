/**
 * `dropResponseAfterForward`: with a seeded probability the request reaches the server and the
 * server answers in full, but the client sees a network error instead of the answer — the server
 * decided (and, for a push, committed) and the client does not know. Its retry must be a replay.
 */
import type { Dispatcher } from 'undici';
import { bufferedHandler, detachedController } from './_internals/handlers.js';
import { checkProbability, faultRandom, InjectedFaultError, type SeededFaultOptions } from './injected-fault.js';

/** Options of {@link dropResponseAfterForward}. */
export interface DropResponseAfterForwardOptions extends SeededFaultOptions {
  /** Probability that an answer is lost after the server sent it. */
  readonly probability: number;
}

/** Loses answers after the server produced them. */
export function dropResponseAfterForward(options: DropResponseAfterForwardOptions): Dispatcher.DispatcherComposeInterceptor {
  const p = checkProbability('dropResponseAfterForward probability', options.probability);
  const random = faultRandom(options.seed, 'drop-response-after-forward');
  return (dispatch) =>
    function dropResponseAfterForwardInterceptor(opts, handler) {
      if (options.active?.() === false || !random.chance(p)) return dispatch(opts, handler);
      return dispatch(
        opts,
        bufferedHandler(handler, (replay, outcome) => {
          // A transport error is already what the client would see; only a full answer is eaten.
          if (outcome === 'error') return replay();
          options.onFault?.({ fault: 'drop-response-after-forward', method: opts.method, path: opts.path });
          const err = new InjectedFaultError('SIM_E_RESPONSE_DROPPED', `answer to ${opts.method} ${opts.path} lost after the server sent it`);
          handler.onResponseError?.(detachedController(), err);
        }),
      );
    };
}
