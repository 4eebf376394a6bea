/**
 * The machinery catches a planted bug: with the reference core's test-only switch
 * `dedup-ignores-tenant`, the swarm finds a violation within 50 seeds, shrinks it, and the repro
 * file replays to the same failure and the same history hash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runSwarm } from '../src/swarm/swarm.js';
import { parseFaultList } from '../src/faults/fault-menu.js';
import { createReferenceServer } from '../src/target/reference-server.js';
import { makeRepro, readRepro, writeRepro } from '../src/swarm/repro.js';
import { runAndCheck } from '../src/run/run-simulation.js';

const dir = mkdtempSync(join(tmpdir(), 'syncproof-planted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The swarm every case here runs: small scenarios, all faults, against the in-process reference. */
function swarm(seed: number, runs: number, defect?: string) {
  return runSwarm({
    seed,
    runs,
    maxClients: 6,
    maxMutations: 800,
    minMutations: 100,
    faults: parseFaultList('all'),
    ...(defect ? { defect, maxShrinkRuns: 60 } : {}),
    target: createReferenceServer,
  });
}

test.each([1, 2])(
  'swarm seed %i: dedup-ignores-tenant is caught within 50 scenarios and the repro replays exactly',
  async (seed) => {
    const report = await swarm(seed, 50, 'dedup-ignores-tenant');
    expect(report.failure, 'the planted bug went unnoticed').toBeDefined();
    const f = report.failure!;
    expect(f.runIndex).toBeLessThanOrEqual(50);
    const failing = f.shrunk.results.filter((r) => r.verdict === 'fail').map((r) => r.checker);
    // The bug replays another tenant's outcome: an acknowledged write that is not in the tenant's
    // log, carrying the other tenant's change.
    expect(failing).toEqual(expect.arrayContaining(['no-silent-loss', 'tenant-isolation']));
    expect(f.shrunk.scenario.clients).toBeLessThanOrEqual(f.original.clients);
    const path = writeRepro(
      join(dir, String(seed)),
      makeRepro({ seed, options: { runs: 50 }, scenario: f.shrunk.scenario, failing, historyHash: f.shrunk.hash, target: f.shrunk.target }),
    );
    const repro = readRepro(path);
    const again = await runAndCheck(repro.scenario, createReferenceServer);
    expect(again.hash).toBe(repro.historyHash);
    expect(again.results.filter((r) => r.verdict === 'fail').map((r) => r.checker)).toEqual(failing);
  },
  120_000,
);

test('reorder-within-aggregate (the blocked check skipped) is caught by blocked-behind-conflict and the repro replays', async () => {
  const report = await swarm(1, 50, 'reorder-within-aggregate');
  expect(report.failure, 'the planted bug went unnoticed').toBeDefined();
  const f = report.failure!;
  const failing = f.shrunk.results.filter((r) => r.verdict === 'fail').map((r) => r.checker);
  expect(failing).toContain('blocked-behind-conflict');
  const again = await runAndCheck(f.shrunk.scenario, createReferenceServer);
  expect(again.hash).toBe(f.shrunk.hash);
  expect(again.results.filter((r) => r.verdict === 'fail').map((r) => r.checker)).toEqual(failing);
}, 120_000);

test('the same swarm without the planted bug finds nothing', async () => {
  const report = await swarm(1, 20);
  expect(report.failure?.shrunk.results.filter((r) => r.verdict !== 'pass')).toBeUndefined();
  expect(report.runs).toBe(20);
}, 120_000);
