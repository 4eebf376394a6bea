/**
 * A profiling run of the reference server under the bench's batched load (not part of
 * `bench:server`): `BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' tsx
 * bench/server/profile-run.ts [sqlite-file|postgres-url] [pushes] [perPush]`. Prints throughput
 * and server CPU-seconds; the profile is written when the server exits.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { pushBodies } from './bodies.js';
import { drive } from './load.js';
import { startReferenceServer } from './spawn.js';

const db = process.argv[2] || join(mkdtempSync(join(tmpdir(), 'syncproof-prof-')), 'prof.sqlite');
const pushes = Number(process.argv[3] ?? 600);
const perPush = Number(process.argv[4] ?? 50);
const server = await startReferenceServer(db);
try {
  const res = await request(`${server.url}/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 'bench', sub: 'bench-actor', roles: ['clinician'], ttlSeconds: 86_400 }),
  });
  const { token } = (await res.body.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const path = '/v1/sync/clinic/push';
  await drive(server.url, path, headers, pushBodies(Math.min(100, pushes), perPush, 'bench-actor'), 32);
  const bodies = pushBodies(pushes, perPush, 'bench-actor');
  const cpu0 = server.cpuSeconds();
  const r = await drive(server.url, path, headers, bodies, 32);
  const cpu = server.cpuSeconds() - cpu0;
  const n = pushes * perPush;
  process.stdout.write(
    `${n} mutations in ${r.seconds.toFixed(2)} s: ${Math.round(n / r.seconds)} mut/s wall, ${Math.round(n / cpu)} per server CPU-s; statuses ${JSON.stringify(r.statuses)}\n`,
  );
} finally {
  await server.stop();
}
