/**
 * Counts the writes (POST) that reach the target's dispatcher, and when the last one started or
 * ended. Composed innermost — below the fault interceptors — it also sees the copies a duplicate
 * or a delay sends late, so a run can tell when the network has really gone quiet.
 */
import type { Dispatcher } from 'undici';

/** Live counters of {@link writeTracker}. */
export interface WriteActivity {
  /** Writes sent so far. */
  writes: number;
  /** Writes without an answer yet. */
  inFlight: number;
  /** Reading of {@link now} at the last write sent or answered. */
  lastAt: number;
  /** Monotonic clock, ms (the run's RealWorld). */
  readonly now: () => number;
}

/** A fresh activity record. */
export function writeActivity(now: () => number): WriteActivity {
  return { writes: 0, inFlight: 0, lastAt: now(), now };
}

/** The interceptor that keeps `activity` up to date. */
export function writeTracker(activity: WriteActivity): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function writeTrackerInterceptor(opts, handler) {
      if (opts.method !== 'POST') return dispatch(opts, handler);
      activity.writes++;
      activity.inFlight++;
      activity.lastAt = activity.now();
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        activity.inFlight--;
        activity.lastAt = activity.now();
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
