/**
 * `dropRequest`: with a seeded probability a request never leaves the client; the client sees a
 * network error (after a seeded wait of up to `failAfterMsMax`, as a connection reset would come).
 * The server sees nothing, so nothing may change there.
 */
import type { Dispatcher } from 'undici';
import { failHandler, safeSetTimeout } from './_internals/handlers.js';
import { checkMs, checkProbability, faultRandom, InjectedFaultError, type SeededFaultOptions } from './injected-fault.js';

/** Options of {@link dropRequest}. */
export interface DropRequestOptions extends SeededFaultOptions {
  /** Probability that a request is dropped. */
  readonly probability: number;
  /** Upper bound of the wait before the client hears of the failure, ms. @defaultValue 0 */
  readonly failAfterMsMax?: number;
}

/** Drops requests before they reach the server. */
export function dropRequest(options: DropRequestOptions): Dispatcher.DispatcherComposeInterceptor {
  const p = checkProbability('dropRequest probability', options.probability);
  const waitMax = checkMs('dropRequest failAfterMsMax', options.failAfterMsMax ?? 0);
  const random = faultRandom(options.seed, 'drop-request');
  return (dispatch) =>
    function dropRequestInterceptor(opts, handler) {
      if (options.active?.() === false || !random.chance(p)) return dispatch(opts, handler);
      options.onFault?.({ fault: 'drop-request', method: opts.method, path: opts.path });
      const err = new InjectedFaultError('SIM_E_REQUEST_DROPPED', `request ${opts.method} ${opts.path} dropped before it reached the server`);
      safeSetTimeout(() => failHandler(handler, err), random.int(0, waitMax));
      return true;
    };
}
