import { failHandler, safeSetTimeout } from './_internals/handlers.js';
import { checkMs, checkProbability, faultRandom, InjectedFaultError } from './injected-fault.js';
/** Drops requests before they reach the server. */
export function dropRequest(options) {
    const p = checkProbability('dropRequest probability', options.probability);
    const waitMax = checkMs('dropRequest failAfterMsMax', options.failAfterMsMax ?? 0);
    const random = faultRandom(options.seed, 'drop-request');
    return (dispatch) => function dropRequestInterceptor(opts, handler) {
        if (options.active?.() === false || !random.chance(p))
            return dispatch(opts, handler);
        options.onFault?.({ fault: 'drop-request', method: opts.method, path: opts.path });
        const err = new InjectedFaultError('SIM_E_REQUEST_DROPPED', `request ${opts.method} ${opts.path} dropped before it reached the server`);
        safeSetTimeout(() => failHandler(handler, err), random.int(0, waitMax));
        return true;
    };
}
