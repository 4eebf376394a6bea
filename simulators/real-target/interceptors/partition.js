import { bufferedHandler, detachedController, failHandler, safeSetTimeout } from './_internals/handlers.js';
import { checkMs, InjectedFaultError } from './injected-fault.js';
/** Whether `t` (ms since the origin) falls in one of `windows`. */
export function inWindow(windows, t) {
    for (const w of windows)
        if (t >= w.fromMs && t < w.toMs)
            return true;
    return false;
}
/** Cuts the client off during `windows`. */
export function partition(windows, options = {}) {
    for (const w of windows) {
        checkMs('partition window fromMs', w.fromMs);
        if (!(w.toMs > w.fromMs))
            throw new RangeError(`partition window must end after it starts, got ${w.fromMs}..${w.toMs}`);
    }
    const now = options.now ?? (() => performance.now());
    const origin = options.origin ?? now();
    const cut = () => inWindow(windows, now() - origin);
    return (dispatch) => function partitionInterceptor(opts, handler) {
        if (cut()) {
            options.onFault?.({ fault: 'partitioned', method: opts.method, path: opts.path });
            const err = new InjectedFaultError('SIM_E_PARTITIONED', `${opts.method} ${opts.path}: client partitioned from the server`);
            safeSetTimeout(() => failHandler(handler, err), 0);
            return true;
        }
        if (windows.length === 0)
            return dispatch(opts, handler);
        return dispatch(opts, bufferedHandler(handler, (replay) => {
            if (!cut())
                return replay();
            // The partition began while the request was in flight: its answer is lost.
            options.onFault?.({ fault: 'partitioned', method: opts.method, path: opts.path });
            const err = new InjectedFaultError('SIM_E_PARTITIONED', `${opts.method} ${opts.path}: answer lost, the client was partitioned meanwhile`);
            handler.onResponseError?.(detachedController(), err);
        }));
    };
}
