import { bufferedHandler, safeSetTimeout } from './_internals/handlers.js';
import { checkMs, checkProbability, faultRandom } from './injected-fault.js';
/** Delays (and thereby reorders) requests or their answers. */
export function delay(options) {
    const p = checkProbability('delay probability', options.probability);
    const min = checkMs('delay delayMsMin', options.delayMsMin ?? 1);
    const max = Math.max(min, checkMs('delay delayMsMax', options.delayMsMax));
    const side = options.side ?? 'both';
    const random = faultRandom(options.seed, 'delay');
    return (dispatch) => function delayInterceptor(opts, handler) {
        if (options.active?.() === false || !random.chance(p))
            return dispatch(opts, handler);
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
