import { bufferedHandler, detachedController } from './_internals/handlers.js';
import { checkProbability, faultRandom, InjectedFaultError } from './injected-fault.js';
/** Loses answers after the server produced them. */
export function dropResponseAfterForward(options) {
    const p = checkProbability('dropResponseAfterForward probability', options.probability);
    const random = faultRandom(options.seed, 'drop-response-after-forward');
    return (dispatch) => function dropResponseAfterForwardInterceptor(opts, handler) {
        if (options.active?.() === false || !random.chance(p))
            return dispatch(opts, handler);
        return dispatch(opts, bufferedHandler(handler, (replay, outcome) => {
            // A transport error is already what the client would see; only a full answer is eaten.
            if (outcome === 'error')
                return replay();
            options.onFault?.({ fault: 'drop-response-after-forward', method: opts.method, path: opts.path });
            const err = new InjectedFaultError('SIM_E_RESPONSE_DROPPED', `answer to ${opts.method} ${opts.path} lost after the server sent it`);
            handler.onResponseError?.(detachedController(), err);
        }));
    };
}
