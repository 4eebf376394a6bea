/** Real timers captured at load, so a test's fake timers cannot stall the network (fast-check's `safe*` pattern). */
export const safeSetTimeout = globalThis.setTimeout;
export const safeClearTimeout = globalThis.clearTimeout;
/** A controller for a request that never reached a socket (aborting it does nothing). */
export function detachedController() {
    let aborted = false;
    let reason = null;
    return {
        get aborted() {
            return aborted;
        },
        get paused() {
            return false;
        },
        get reason() {
            return reason;
        },
        abort(r) {
            aborted = true;
            reason = r;
        },
        pause() { },
        resume() { },
    };
}
/** Ends `handler` with `err` as a transport failure: the request started, then the connection failed. */
export function failHandler(handler, err) {
    const controller = detachedController();
    handler.onRequestStart?.(controller, {});
    handler.onResponseError?.(controller, err);
}
/** Swallows a whole exchange: the answer to a copy nobody waits for. */
export const SINK_HANDLER = {
    onRequestStart() { },
    onResponseStart() { },
    onResponseData() { },
    onResponseEnd() { },
    onResponseError() { },
};
/**
 * Wraps `handler` so that the response is collected and handed over only when the exchange is
 * complete, through `release(replay)` — which may run `replay` later (delay), or replace it with a
 * failure (a response lost after the server answered).
 */
export function bufferedHandler(handler, release) {
    const steps = [];
    return {
        onRequestStart(c, context) {
            handler.onRequestStart?.(c, context);
        },
        onResponseStart(_c, statusCode, headers, statusMessage) {
            steps.push((c) => handler.onResponseStart?.(c, statusCode, headers, statusMessage));
        },
        onResponseData(_c, chunk) {
            steps.push((c) => handler.onResponseData?.(c, chunk));
        },
        onResponseEnd(_c, trailers) {
            steps.push((c) => handler.onResponseEnd?.(c, trailers));
            release(() => replay(steps), 'end');
        },
        onResponseError(_c, err) {
            steps.push((c) => handler.onResponseError?.(c, err));
            release(() => replay(steps), 'error');
        },
    };
}
/**
 * The exchange underneath is over by the time it is replayed, so the replay gets a detached
 * controller: a late pause or resume must not reach a socket that already serves another request.
 */
function replay(steps) {
    const controller = detachedController();
    for (const step of steps)
        step(controller);
}
