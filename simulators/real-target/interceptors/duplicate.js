import { SINK_HANDLER, safeSetTimeout } from './_internals/handlers.js';
import { checkMs, checkProbability, faultRandom } from './injected-fault.js';
function replayable(body) {
    return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}
/** Sends requests twice. */
export function duplicate(options) {
    const p = checkProbability('duplicate probability', options.probability);
    const max = checkMs('duplicate delayMsMax', options.delayMsMax ?? 0);
    const random = faultRandom(options.seed, 'duplicate');
    return (dispatch) => function duplicateInterceptor(opts, handler) {
        if (options.active?.() === false || !replayable(opts.body) || !random.chance(p))
            return dispatch(opts, handler);
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
