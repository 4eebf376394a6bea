/**
 * The simulated world's single source of time, randomness, ordering and network: one seed builds
 * all four, so a seed (plus the commit) reproduces a run byte for byte.
 */
import { VirtualClock } from './clock.js';
import { createRandom } from './random.js';
import { Scheduler } from './scheduler.js';
import { Network, NO_NETWORK_FAULTS } from './network.js';
/** Builds a deterministic world from a seed. */
export function createSimEnv(options) {
    const clock = new VirtualClock(options.startMs);
    const random = createRandom(options.seed);
    const scheduler = new Scheduler(clock);
    const network = new Network(scheduler, random.fork('network'), options.networkFaults ?? NO_NETWORK_FAULTS, options.onFault ?? (() => { }));
    return { seed: options.seed, clock, random, scheduler, network };
}
