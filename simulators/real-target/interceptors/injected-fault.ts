/**
 * What the fault interceptors share: the error a client sees when a fault ate its request or its
 * answer (stable `SIM_E_*` codes, like undici's `UND_ERR_*`), the report every injected fault
 * emits (the run records it in its history), and seeded randomness from the run seed.
 */
import { createRandom, type Random } from '../../src/env/random.js';

/** Stable codes of {@link InjectedFaultError}. */
export type InjectedFaultCode = 'SIM_E_REQUEST_DROPPED' | 'SIM_E_RESPONSE_DROPPED' | 'SIM_E_PARTITIONED';

/**
 * A network failure made on purpose. The client cannot tell it from a real one (it surfaces as a
 * rejected request); the code says which fault it was.
 */
export class InjectedFaultError extends Error {
  override name = 'InjectedFaultError';
  constructor(
    readonly code: InjectedFaultCode,
    message: string,
  ) {
    super(message);
  }
}

/** Whether `err` was injected by a fault interceptor (as opposed to a real network failure). */
export function isInjectedFault(err: unknown): err is InjectedFaultError {
  return err instanceof InjectedFaultError;
}

/** Names of the faults the interceptors inject. */
export type InterceptorFault =
  | 'drop-request'
  | 'delay-request'
  | 'delay-response'
  | 'duplicate'
  | 'drop-response-after-forward'
  | 'partitioned';

/** One injected fault. */
export interface FaultReport {
  readonly fault: InterceptorFault;
  readonly method: string;
  readonly path: string;
  /** Extra delay (delay, duplicate) in ms. */
  readonly delayMs?: number;
}

/** Receives every injected fault. */
export type FaultReporter = (report: FaultReport) => void;

/** Options every fault interceptor takes. */
export interface SeededFaultOptions {
  /**
   * The seed of the interceptor's choices, or a seeded stream to fork from. Each interceptor forks
   * its own labelled stream, so switching one fault off never shifts another's choices.
   */
  readonly seed: number | Random;
  /** Where injected faults are reported. @defaultValue nowhere */
  readonly onFault?: FaultReporter;
  /**
   * The interceptor injects faults only while this returns true, and draws nothing while it is
   * false (a runner heals the network for its liveness phase this way). @defaultValue always
   */
  readonly active?: () => boolean;
}

/** The labelled stream of one interceptor. */
export function faultRandom(seed: number | Random, label: string): Random {
  return (typeof seed === 'number' ? createRandom(seed) : seed).fork(label);
}

/** Probability in [0, 1], or a `RangeError` naming the option. */
export function checkProbability(name: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability in [0, 1], got ${p}`);
  return p;
}

/** Non-negative finite milliseconds, or a `RangeError` naming the option. */
export function checkMs(name: string, ms: number): number {
  if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`${name} must be a non-negative number of ms, got ${ms}`);
  return ms;
}
