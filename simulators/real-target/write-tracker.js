/** A fresh activity record. */
export function writeActivity() {
    return { writes: 0, inFlight: 0, lastAt: performance.now() };
}
/** The interceptor that keeps `activity` up to date. */
export function writeTracker(activity) {
    return (dispatch) => function writeTrackerInterceptor(opts, handler) {
        if (opts.method !== 'POST')
            return dispatch(opts, handler);
        activity.writes++;
        activity.inFlight++;
        activity.lastAt = performance.now();
        let done = false;
        const finish = () => {
            if (done)
                return;
            done = true;
            activity.inFlight--;
            activity.lastAt = performance.now();
        };
        return dispatch(opts, {
            onRequestStart: (c, ctx) => handler.onRequestStart?.(c, ctx),
            onResponseStart: (c, status, headers, message) => handler.onResponseStart?.(c, status, headers, message),
            onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
            onResponseEnd: (c, trailers) => {
                finish();
                handler.onResponseEnd?.(c, trailers);
            },
            onResponseError: (c, err) => {
                finish();
                handler.onResponseError?.(c, err);
            },
        });
    };
}
