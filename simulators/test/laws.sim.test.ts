/**
 * Laws of the simulator itself (fast-check style): determinism, fault neutrality, shrinking.
 */
import { describe, expect, test } from 'vitest';
import { runAndCheck } from '../src/run/run-simulation.js';
import { scenarioFromOptions, type Scenario } from '../src/scenario/scenario.js';
import { parseFaultList, NO_FAULTS, FAULT_NAMES } from '../src/faults/fault-menu.js';
import { createReferenceServer } from '../src/target/reference-server.js';
import { createSimEnv } from '../src/env/sim-env.js';
import { NO_NETWORK_FAULTS } from '../src/env/network.js';
import { shrinkScenario, simplerScenarios } from '../src/swarm/shrink-scenario.js';
import { hashEntries } from '../src/history/history.js';

function small(seed: number, faults = 'all'): Scenario {
  return scenarioFromOptions({ seed, clients: 6, hours: 2, mutations: 400, faults: parseFaultList(faults) });
}

describe('determinism', () => {
  test.each([1, 2, 3, 42])('seed %i twice gives a byte-identical history hash (all faults on)', async (seed) => {
    const a = await runAndCheck(small(seed), createReferenceServer);
    const b = await runAndCheck(small(seed), createReferenceServer);
    expect(a.stats.captures).toBeGreaterThan(100);
    expect(a.stats.faults).toBeGreaterThan(0);
    expect(b.hash).toBe(a.hash);
    expect(b.history.toJsonLines()).toBe(a.history.toJsonLines());
    // The hash taken while recording equals one taken from the finished entries: nothing recorded
    // was changed after it was added.
    expect(a.hash).toBe(hashEntries(a.history.entries));
  });

  test('different seeds give different histories', async () => {
    const a = await runAndCheck(small(1), createReferenceServer);
    const b = await runAndCheck(small(2), createReferenceServer);
    expect(a.hash).not.toBe(b.hash);
  });
});

describe('fault neutrality', () => {
  test('every fault class switched on at probability 0 gives the same history as faults off', async () => {
    const off = scenarioFromOptions({ seed: 9, clients: 6, hours: 2, mutations: 300, faults: new Set() });
    const onAtZero: Scenario = { ...scenarioFromOptions({ seed: 9, clients: 6, hours: 2, mutations: 300, faults: parseFaultList('all') }), faults: NO_FAULTS };
    // scenarioFromOptions draws every class's level whatever is enabled, so only the intensities differ.
    expect({ ...onAtZero, faults: off.faults }).toEqual(off);
    const a = await runAndCheck(off, createReferenceServer);
    const b = await runAndCheck(onAtZero, createReferenceServer);
    expect(b.hash).toBe(a.hash);
    expect(a.stats.faults).toBe(0);
  });

  test('turning one class off leaves the intensities of the others unchanged', () => {
    const all = scenarioFromOptions({ seed: 5, clients: 4, hours: 1, faults: parseFaultList('all') });
    for (const name of FAULT_NAMES) {
      const without = scenarioFromOptions({ seed: 5, clients: 4, hours: 1, faults: new Set(FAULT_NAMES.filter((n) => n !== name)) });
      expect(without.faults).toEqual({ ...all.faults, [name]: 0 });
    }
  });

  test('a network link with zero probabilities delivers exactly like a quiet one', async () => {
    const times = async (faulty: boolean): Promise<number[]> => {
      const env = createSimEnv({
        seed: 11,
        networkFaults: faulty
          ? { request: { drop: 0, duplicate: 0, delay: 0, maxExtraDelayMs: 5000 }, response: NO_NETWORK_FAULTS.response, publish: NO_NETWORK_FAULTS.publish, ack: NO_NETWORK_FAULTS.ack }
          : NO_NETWORK_FAULTS,
      });
      const seen: number[] = [];
      for (let i = 0; i < 200; i++) env.network.send('request', `d${i % 5}`, () => void seen.push(env.clock.now()));
      await env.scheduler.run();
      return seen;
    };
    expect(await times(true)).toEqual(await times(false));
  });
});

describe('shrinking', () => {
  test('the greedy shrinker keeps the predicate failing and reduces the scenario', async () => {
    const big = scenarioFromOptions({ seed: 3, clients: 40, hours: 8, faults: parseFaultList('all') });
    // A stand-in failure that needs >= 5 clients and the duplicate fault.
    const fails = async (s: Scenario): Promise<boolean> => s.clients >= 5 && s.faults.duplicate > 0;
    const { scenario } = await shrinkScenario(big, fails, 200);
    expect(await fails(scenario)).toBe(true);
    expect(scenario.clients).toBeLessThan(10);
    expect(scenario.faults['drop-request']).toBe(0);
    for (const c of simplerScenarios(scenario)) expect(await fails(c)).toBe(false);
  });
});
