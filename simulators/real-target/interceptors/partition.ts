/**
 * `partition(windows)`: during each window the client is cut off from the server. A request sent
 * inside a window fails at once (connection refused); a request sent before a window whose answer
 * would arrive inside it loses the answer (the server may have acted on it). Windows are given in
 * ms since `origin` — no randomness here: a runner draws the windows from its seed.
 */
import type { Dispatcher } from 'undici';
import { bufferedHandler, detachedController, failHandler, safeSetTimeout } from './_internals/handlers.js';
import { checkMs, InjectedFaultError, type FaultReporter } from './injected-fault.js';

/** One partition: cut off from `fromMs` (inclusive) to `toMs` (exclusive), ms since the origin. */
export interface PartitionWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Options of {@link partition}. */
export interface PartitionOptions {
  /** Monotonic clock, ms (the run's RealWorld). */
  readonly now: () => number;
  /** Reading of `now` the windows count from. @defaultValue when the interceptor is created */
  readonly origin?: number;
  /** Where injected faults are reported. @defaultValue nowhere */
  readonly onFault?: FaultReporter;
}

/** Whether `t` (ms since the origin) falls in one of `windows`. */
export function inWindow(windows: readonly PartitionWindow[], t: number): boolean {
  for (const w of windows) if (t >= w.fromMs && t < w.toMs) return true;
  return false;
}

/** Cuts the client off during `windows`. */
export function partition(windows: readonly PartitionWindow[], options: PartitionOptions): Dispatcher.DispatcherComposeInterceptor {
  for (const w of windows) {
    checkMs('partition window fromMs', w.fromMs);
    if (!(w.toMs > w.fromMs)) throw new RangeError(`partition window must end after it starts, got ${w.fromMs}..${w.toMs}`);
  }
  const now = options.now;
  const origin = options.origin ?? now();
  const cut = (): boolean => inWindow(windows, now() - origin);
  return (dispatch) =>
    function partitionInterceptor(opts, handler) {
      if (cut()) {
        options.onFault?.({ fault: 'partitioned', method: opts.method, path: opts.path });
        const err = new InjectedFaultError('SIM_E_PARTITIONED', `${opts.method} ${opts.path}: client partitioned from the server`);
        safeSetTimeout(() => failHandler(handler, err), 0);
        return true;
      }
      if (windows.length === 0) return dispatch(opts, handler);
      return dispatch(
        opts,
        bufferedHandler(handler, (replay) => {
          if (!cut()) return replay();
          // The partition began while the request was in flight: its answer is lost.
          options.onFault?.({ fault: 'partitioned', method: opts.method, path: opts.path });
          const err = new InjectedFaultError('SIM_E_PARTITIONED', `${opts.method} ${opts.path}: answer lost, the client was partitioned meanwhile`);
          handler.onResponseError?.(detachedController(), err);
        }),
      );
    };
}
