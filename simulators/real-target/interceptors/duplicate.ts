/**
 * `duplicate`: with a seeded probability a request is sent twice. The client hears the answer to
 * its own copy only; the other answer is swallowed. The extra copy goes out up to `delayMsMax`
 * later — or, with a seeded coin, that much *earlier* than the client's own copy, so the copy the
 * client hears about may be the replay. Requests with a streamed body are never duplicated (the
 * body cannot be sent twice).
 */
import type { Dispatcher } from 'undici';
import { SINK_HANDLER, safeSetTimeout } from './_internals/handlers.js';
import { checkMs, checkProbability, faultRandom, type SeededFaultOptions } from './injected-fault.js';

/** Options of {@link duplicate}. */
export interface DuplicateOptions extends SeededFaultOptions {
  /** Probability that a request is sent twice. */
  readonly probability: number;
  /** Upper bound of the gap between the two copies, ms. @defaultValue 0 */
  readonly delayMsMax?: number;
}

function replayable(body: Dispatcher.DispatchOptions['body']): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/** Sends requests twice. */
export function duplicate(options: DuplicateOptions): Dispatcher.DispatcherComposeInterceptor {
  const p = checkProbability('duplicate probability', options.probability);
  const max = checkMs('duplicate delayMsMax', options.delayMsMax ?? 0);
  const random = faultRandom(options.seed, 'duplicate');
  return (dispatch) =>
    function duplicateInterceptor(opts, handler) {
      if (options.active?.() === false || !replayable(opts.body) || !random.chance(p)) return dispatch(opts, handler);
      const gap = random.int(0, max);
      const copyFirst = random.chance(0.5);
      options.onFault?.({ fault: 'duplicate', method: opts.method, path: opts.path, delayMs: copyFirst ? -gap : gap });
      if (copyFirst) {
        dispatch(opts, SINK_HANDLER);
        safeSetTimeout(() => dispatch(opts, handler), gap);
        return true;
      }
      const accepted = dispatch(opts, handler);
      safeSetTimeout(() => dispatch(opts, SINK_HANDLER), gap);
      return accepted;
    };
}
