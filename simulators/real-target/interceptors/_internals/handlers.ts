/**
 * Handler plumbing shared by the fault interceptors: a stand-alone controller, failing a handler
 * with a network error, a handler that swallows a response (for duplicate copies), and one that
 * holds a whole response back and replays it later. All speak undici's handler API
 * (`onRequestStart` … `onResponseError`), which is what an interceptor receives inside `compose()`.
 *
 * @internal
 */
import type { Dispatcher } from 'undici';

/** Real timers captured at load, so a test's fake timers cannot stall the network (fast-check's `safe*` pattern). */
export const safeSetTimeout = globalThis.setTimeout;
export const safeClearTimeout = globalThis.clearTimeout;

type Handler = Dispatcher.DispatchHandler;
type Controller = Dispatcher.DispatchController;

/** A controller for a request that never reached a socket (aborting it does nothing). */
export function detachedController(): Controller {
  let aborted = false;
  let reason: Error | null = null;
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
    abort(r: Error) {
      aborted = true;
      reason = r;
    },
    pause() {},
    resume() {},
  };
}

/** Ends `handler` with `err` as a transport failure: the request started, then the connection failed. */
export function failHandler(handler: Handler, err: Error): void {
  const controller = detachedController();
  handler.onRequestStart?.(controller, {});
  handler.onResponseError?.(controller, err);
}

/** Swallows a whole exchange: the answer to a copy nobody waits for. */
export const SINK_HANDLER: Handler = {
  onRequestStart() {},
  onResponseStart() {},
  onResponseData() {},
  onResponseEnd() {},
  onResponseError() {},
};

/**
 * Wraps `handler` so that the response is collected and handed over only when the exchange is
 * complete, through `release(replay)` — which may run `replay` later (delay), or replace it with a
 * failure (a response lost after the server answered).
 */
export function bufferedHandler(handler: Handler, release: (replay: () => void, outcome: 'end' | 'error') => void): Handler {
  const steps: ((c: Controller) => void)[] = [];
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
function replay(steps: readonly ((c: Controller) => void)[]): void {
  const controller = detachedController();
  for (const step of steps) step(controller);
}
