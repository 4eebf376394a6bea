/**
 * The simulated world's single source of time, randomness, ordering and network: one seed builds
 * all four, so a seed (plus the commit) reproduces a run byte for byte.
 */
import { VirtualClock } from './clock.js';
import { createRandom, type Random } from './random.js';
import { Scheduler } from './scheduler.js';
import { Network, type NetworkFaults, NO_NETWORK_FAULTS, type FaultSink } from './network.js';

/** Options of {@link createSimEnv}. */
export interface SimEnvOptions {
  readonly seed: number;
  /** Network fault probabilities (default: none). */
  readonly networkFaults?: NetworkFaults;
  /** Where the network reports the faults it injects (default: nowhere). */
  readonly onFault?: FaultSink;
  /** Virtual start time in epoch ms (default 2026-01-01T00:00:00Z). */
  readonly startMs?: number;
}

/** Clock, Random, Scheduler and Network of one simulated world. */
export interface SimEnv {
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly random: Random;
  readonly scheduler: Scheduler;
  readonly network: Network;
}

/** Builds a deterministic world from a seed. */
export function createSimEnv(options: SimEnvOptions): SimEnv {
  const clock = new VirtualClock(options.startMs);
  const random = createRandom(options.seed);
  const scheduler = new Scheduler(clock);
  const network = new Network(
    scheduler,
    random.fork('network'),
    options.networkFaults ?? NO_NETWORK_FAULTS,
    options.onFault ?? (() => {}),
  );
  return { seed: options.seed, clock, random, scheduler, network };
}
