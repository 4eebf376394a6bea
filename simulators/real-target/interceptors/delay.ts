/**
 * `delay`: with a seeded probability a request is held back before it is sent, or its answer is
 * held back before the client sees it, for a seeded time of up to `delayMsMax`. Later requests
 * overtake a held one, so the server sees requests — and the client sees answers — out of order;
 * an answer held past the client's own timeout arrives after the client gave up on it.
 */
import type { Dispatcher } from 'undici';
import { bufferedHandler, safeSetTimeout } from './_internals/handlers.js';
import { checkMs, checkProbability, faultRandom, type SeededFaultOptions } from './injected-fault.js';

/** Which leg a delay holds. */
export type DelaySide = 'request' | 'response' | 'both';

/** Options of {@link delay}. */
export interface DelayOptions extends SeededFaultOptions {
  /** Probability that an exchange is delayed. */
  readonly probability: number;
  /** Lower bound of the extra delay, ms. @defaultValue 1 */
  readonly delayMsMin?: number;
  /** Upper bound of the extra delay, ms (drawn uniformly from delayMsMin..delayMsMax). */
  readonly delayMsMax: number;
  /** The leg held back; with `both`, each delayed exchange draws one. @defaultValue 'both' */
  readonly side?: DelaySide;
}

/** Delays (and thereby reorders) requests or their answers. */
export function delay(options: DelayOptions): Dispatcher.DispatcherComposeInterceptor {
  const p = checkProbability('delay probability', options.probability);
  const min = checkMs('delay delayMsMin', options.delayMsMin ?? 1);
  const max = Math.max(min, checkMs('delay delayMsMax', options.delayMsMax));
  const side = options.side ?? 'both';
  const random = faultRandom(options.seed, 'delay');
  return (dispatch) =>
    function delayInterceptor(opts, handler) {
      if (options.active?.() === false || !random.chance(p)) return dispatch(opts, handler);
      const ms = random.int(min, max);
      const holdRequest = side === 'request' || (side === 'both' && random.chance(0.5));
      if (holdRequest) {
        options.onFault?.({ fault: 'delay-request', method: opts.method, path: opts.path, delayMs: ms });
        safeSetTimeout(() => dispatch(opts, handler), ms);
        return true;
      }
      options.onFault?.({ fault: 'delay-response', method: opts.method, path: opts.path, delayMs: ms });
      return dispatch(opts, bufferedHandler(handler, (replay) => safeSetTimeout(replay, ms)));
    };
}
