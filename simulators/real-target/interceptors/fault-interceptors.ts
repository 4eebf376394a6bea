/**
 * The fault interceptors of one client, composed in a fixed, documented order.
 *
 * undici's `dispatcher.compose(a, b, c)` wraps each interceptor around the previous ones, so the
 * *last* one listed sees a request *first* (undici docs, Dispatcher.md):
 *
 * ```text
 * dispatcher.compose(dropResponseAfterForward, duplicate, delay, dropRequest, partition)
 *
 * request  → partition → dropRequest → delay → duplicate → dropResponseAfterForward → server
 * response ← partition ← ........... ← delay ← .......... ← dropResponseAfterForward ← server
 * ```
 *
 * Why this order: a partitioned client sends nothing, so `partition` is outermost and also loses
 * answers that come back during a window. A dropped request is never delayed or copied. A delay
 * holds the request before it is copied, so both copies leave late. Each copy of a duplicated
 * request may independently lose its answer after the server acted on it, so
 * `dropResponseAfterForward` sits next to the server.
 */
import type { Dispatcher } from 'undici';
import type { Random } from '../../src/env/random.js';
import { delay, type DelaySide } from './delay.js';
import { dropRequest } from './drop-request.js';
import { dropResponseAfterForward } from './drop-response-after-forward.js';
import { duplicate } from './duplicate.js';
import type { FaultReporter } from './injected-fault.js';
import { partition, type PartitionWindow } from './partition.js';

/** Fault intensities of one client link (0 = off). */
export interface LinkFaultSettings {
  /** Probability that a request is lost before the server sees it. */
  readonly dropRequest: number;
  /** Probability that an answer is lost after the server produced it. */
  readonly dropResponseAfterForward: number;
  /** Probability that a request is sent twice. */
  readonly duplicate: number;
  /** Probability that a request or its answer is held back (reordering). */
  readonly delay: number;
  /** Upper bound of delays and of the gap between duplicate copies, ms. */
  readonly delayMsMax: number;
  /** Which leg a delay holds. @defaultValue 'both' */
  readonly delaySide?: DelaySide;
  /** Partition windows, ms since `origin`. */
  readonly partitions: readonly PartitionWindow[];
}

/** What {@link faultInterceptors} needs besides the settings. */
export interface FaultInterceptorContext {
  /** Seeded stream of this client's choices (each interceptor forks its own label from it). */
  readonly random: Random;
  readonly onFault?: FaultReporter;
  /** Faults are injected only while this is true (partitions keep their windows regardless). */
  readonly active?: () => boolean;
  /** Monotonic clock the partition windows are read on (the run's RealWorld). */
  readonly now: () => number;
  /** Reading of `now` the partition windows count from. @defaultValue when the interceptors are built */
  readonly origin?: number;
}

/**
 * The interceptors for `dispatcher.compose(...)`, in the documented order. Classes at 0 are left
 * out (they would draw nothing anyway).
 */
export function faultInterceptors(settings: LinkFaultSettings, ctx: FaultInterceptorContext): Dispatcher.DispatcherComposeInterceptor[] {
  const base = { seed: ctx.random, ...(ctx.onFault ? { onFault: ctx.onFault } : {}), ...(ctx.active ? { active: ctx.active } : {}) };
  const out: Dispatcher.DispatcherComposeInterceptor[] = [];
  if (settings.dropResponseAfterForward > 0) out.push(dropResponseAfterForward({ ...base, probability: settings.dropResponseAfterForward }));
  if (settings.duplicate > 0) out.push(duplicate({ ...base, probability: settings.duplicate, delayMsMax: settings.delayMsMax }));
  if (settings.delay > 0) {
    out.push(delay({ ...base, probability: settings.delay, delayMsMax: settings.delayMsMax, ...(settings.delaySide ? { side: settings.delaySide } : {}) }));
  }
  if (settings.dropRequest > 0) out.push(dropRequest({ ...base, probability: settings.dropRequest }));
  if (settings.partitions.length > 0) {
    out.push(partition(settings.partitions, { now: ctx.now, ...(ctx.onFault ? { onFault: ctx.onFault } : {}), ...(ctx.origin !== undefined ? { origin: ctx.origin } : {}) }));
  }
  return out;
}
