/**
 * `runRealTargetFromProfile` against the embedded reference listening on 127.0.0.1, described by a
 * profile file: tokens signed with the profile's key, the profile's example payloads as workload,
 * and — when NATS is available — the event and audit checkers decided from the profile's streams.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { newRunId } from '../../../conformance/src/profile/load-profile.js';
import { embeddedNatsOptions, startEmbeddedReference, type EmbeddedReference } from '../../../conformance/src/run/embedded-reference.js';
import { resolveNats, type NatsService } from '../../../conformance/src/run/nats-service.js';
import { runRealTargetFromProfile } from '../../real-target/index.js';
import { systemRealWorld } from '../../cli/system-real-world.js';

let nats: NatsService;
let embedded: EmbeddedReference;
let dir: string;
let profilePath: string;

beforeAll(async () => {
  nats = await resolveNats();
  embedded = await startEmbeddedReference({ listen: true, runId: newRunId(), ...embeddedNatsOptions(nats) });
  dir = mkdtempSync(join(tmpdir(), 'rt-profile-'));
  profilePath = join(dir, 'target.yaml');
  // The embedded profile names its settle time for a busy suite; the run needs less.
  const profile = { ...embedded.profile, nats: { ...embedded.profile.nats!, settleMs: 500 } };
  writeFileSync(profilePath, stringify(profile));
}, 60_000);

afterAll(async () => {
  await embedded?.close();
  await nats?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a profile run passes the decidable invariants; events and audit are decided exactly when NATS is there', async () => {
  const run = await runRealTargetFromProfile(profilePath, { world: systemRealWorld, seed: 3, clients: 6, mutations: 40, timeBudgetMs: 9_000 });
  expect(run.inconclusive).toBeUndefined();
  const verdict = Object.fromEntries(run.results.map((r) => [r.checker, r.verdict]));
  expect(verdict).toMatchObject({ 'no-silent-loss': 'pass', 'exactly-once': 'pass', 'per-aggregate-order': 'pass', convergence: 'pass', 'tenant-isolation': 'pass' });
  const decided = nats.url !== undefined ? 'pass' : 'unknown';
  expect(verdict['event-per-applied']).toBe(decided);
  expect(verdict['audit-per-phi-conflict']).toBe(decided);
  if (nats.url !== undefined) expect(run.stats.events).toBe(run.stats.changes);
}, 60_000);

test('a missing profile file is a usage error', async () => {
  await expect(runRealTargetFromProfile(join(dir, 'nope.yaml'), { world: systemRealWorld })).rejects.toMatchObject({ name: 'UsageError' });
});
