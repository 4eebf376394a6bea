/**
 * `npm run bench:server`: throughput of the reference server on this machine, printed, never
 * asserted. The server runs as its own process (as `syncproof serve` does); an undici generator
 * keeps a fixed number of pushes in flight. Medians of several runs:
 *   1. batched durable pushes (50 mutations each, 32 in flight) on a SQLite file — goal ≥ 25,000 mutations/s
 *   2. single-mutation pushes (32 in flight) — goal ≥ 3,000/s
 *   3. replay of already-applied pushes, identical bodies — goal ≥ 1.5× first apply
 *   4. the same generator against a no-op Fastify route — printed as a ratio
 *   5. the same on PostgreSQL (a bench-owned database on 127.0.0.1:5432; skipped with a reason if absent)
 * Beside each wall-clock figure it prints the same work per CPU-second of the server process (read
 * from /proc): on a shared machine the wall clock moves with other load, CPU per mutation much less.
 * Env: BENCH_RUNS (default 5), BENCH_PUSHES (batched pushes per run, default 200),
 * BENCH_SINGLES (single pushes per run, default 3000), BENCH_PG_URL (admin URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_SERVER_NODE_ARGS (extra node options of the
 * server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`; bench/server/profile-run.ts is one
 * profiling run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { pushBodies } from './server/bodies.js';
import { drive, median, type LoadResult } from './server/load.js';
import { startNoopServer, startReferenceServer, type Child } from './server/spawn.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const PUSHES = Number(process.env['BENCH_PUSHES'] ?? 200);
const SINGLES = Number(process.env['BENCH_SINGLES'] ?? 3000);
const PER_PUSH = 50;
const IN_FLIGHT = 32;
const PG_ADMIN = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PUSH_PATH = '/v1/sync/clinic/push';

async function tokenFor(server: Child): Promise<string> {
  const res = await request(`${server.url}/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 'bench', sub: 'bench-actor', roles: ['clinician'], ttlSeconds: 86_400 }),
  });
  const body = (await res.body.json()) as { token: string };
  return body.token;
}

function check(label: string, r: LoadResult): void {
  const bad = Object.entries(r.statuses).filter(([s]) => s !== '200');
  if (bad.length > 0) process.stderr.write(`  warning: ${label} got non-200 answers ${JSON.stringify(r.statuses)}\n`);
}

interface Figures {
  batched: number[];
  replay: number[];
  single: number[];
  batchedRequests: number[];
  /** Mutations per CPU-second of the server process (batched first apply). */
  batchedPerCpu: number[];
  /** Single-mutation pushes per CPU-second of the server process. */
  singlePerCpu: number[];
}

/** Runs `fn` and returns its result with the server CPU-seconds it cost. */
async function withCpu<T>(server: Child, fn: () => Promise<T>): Promise<[T, number]> {
  const before = server.cpuSeconds();
  const r = await fn();
  return [r, server.cpuSeconds() - before];
}

async function measure(label: string, server: Child): Promise<Figures> {
  const token = await tokenFor(server);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const f: Figures = { batched: [], replay: [], single: [], batchedRequests: [], batchedPerCpu: [], singlePerCpu: [] };
  // Warm-up: JIT, prepared statements, connection pool.
  await drive(server.url, PUSH_PATH, headers, pushBodies(Math.min(40, PUSHES), PER_PUSH, 'bench-actor'), IN_FLIGHT);
  await drive(server.url, PUSH_PATH, headers, pushBodies(500, 1, 'bench-actor'), IN_FLIGHT);
  for (let run = 1; run <= RUNS; run += 1) {
    const bodies = pushBodies(PUSHES, PER_PUSH, 'bench-actor');
    const [first, firstCpu] = await withCpu(server, () => drive(server.url, PUSH_PATH, headers, bodies, IN_FLIGHT));
    check(`${label} batched`, first);
    const replay = await drive(server.url, PUSH_PATH, headers, bodies, IN_FLIGHT);
    check(`${label} replay`, replay);
    const singleBodies = pushBodies(SINGLES, 1, 'bench-actor');
    const [singles, singlesCpu] = await withCpu(server, () => drive(server.url, PUSH_PATH, headers, singleBodies, IN_FLIGHT));
    check(`${label} single`, singles);
    f.batched.push((PUSHES * PER_PUSH) / first.seconds);
    f.batchedRequests.push(PUSHES / first.seconds);
    f.replay.push((PUSHES * PER_PUSH) / replay.seconds);
    f.single.push(SINGLES / singles.seconds);
    f.batchedPerCpu.push((PUSHES * PER_PUSH) / firstCpu);
    f.singlePerCpu.push(SINGLES / singlesCpu);
    process.stderr.write(
      `  ${label} run ${run}/${RUNS}: batched ${Math.round(f.batched.at(-1)!)} mut/s (${Math.round(f.batchedPerCpu.at(-1)!)} per server CPU-s), replay ${Math.round(f.replay.at(-1)!)} mut/s, single ${Math.round(f.single.at(-1)!)} push/s (${Math.round(f.singlePerCpu.at(-1)!)} per server CPU-s) · load ${loadavg()[0]!.toFixed(2)}\n`,
    );
  }
  return f;
}

async function noopBaseline(): Promise<number[]> {
  const server = await startNoopServer();
  try {
    const headers = { 'content-type': 'application/json' };
    await drive(server.url, '/noop', headers, pushBodies(40, PER_PUSH, 'x'), IN_FLIGHT);
    const out: number[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const r = await drive(server.url, '/noop', headers, pushBodies(PUSHES, PER_PUSH, 'x'), IN_FLIGHT);
      out.push(PUSHES / r.seconds);
    }
    return out;
  } finally {
    await server.stop();
  }
}

async function postgresFigures(): Promise<Figures | string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  try {
    await admin.connect();
  } catch (err) {
    return `PostgreSQL not reachable at ${PG_ADMIN} (${(err as Error).message})`;
  }
  const db = `syncproof_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${db}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${db}`;
  let server: Child | undefined;
  try {
    server = await startReferenceServer(url.toString());
    return await measure('postgres', server);
  } finally {
    await server?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function main(): Promise<void> {
  process.stderr.write(`server bench: ${RUNS} runs, ${PUSHES}×${PER_PUSH} batched and ${SINGLES} single pushes per run, ${IN_FLIGHT} in flight\n`);
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-bench-'));
  let sqlite: Figures;
  const sqliteServer = await startReferenceServer(join(dir, 'bench.sqlite'));
  try {
    sqlite = await measure('sqlite', sqliteServer);
  } finally {
    await sqliteServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const noop = await noopBaseline();
  const pgFigures = await postgresFigures();

  const batched = median(sqlite.batched);
  const replay = median(sqlite.replay);
  const lines = [
    '',
    `reference server bench (medians of ${RUNS} runs; Node ${process.version})`,
    `  1. batched durable pushes, SQLite file   ${fmt(batched).padStart(9)} mutations/s   (goal ≥ 25,000; ${fmt(median(sqlite.batchedPerCpu))} per server CPU-second)`,
    `  2. single-mutation pushes, SQLite file   ${fmt(median(sqlite.single)).padStart(9)} pushes/s      (goal ≥ 3,000; ${fmt(median(sqlite.singlePerCpu))} per server CPU-second)`,
    `  3. replay of applied pushes, SQLite      ${fmt(replay).padStart(9)} mutations/s   = ${(replay / batched).toFixed(2)}× first apply (goal ≥ 1.5×)`,
    `  4. no-op Fastify route, same generator   ${fmt(median(noop)).padStart(9)} requests/s    push route reaches ${((median(sqlite.batchedRequests) / median(noop)) * 100).toFixed(1)}% of it (${fmt(median(sqlite.batchedRequests))} batched pushes/s)`,
  ];
  if (typeof pgFigures === 'string') {
    lines.push(`  5. PostgreSQL: not measured — ${pgFigures}`);
  } else {
    const pb = median(pgFigures.batched);
    lines.push(
      `  5. PostgreSQL batched                    ${fmt(pb).padStart(9)} mutations/s   (${fmt(median(pgFigures.batchedPerCpu))} per server CPU-second)`,
      `     PostgreSQL single-mutation pushes     ${fmt(median(pgFigures.single)).padStart(9)} pushes/s      (${fmt(median(pgFigures.singlePerCpu))} per server CPU-second)`,
      `     PostgreSQL replay                     ${fmt(median(pgFigures.replay)).padStart(9)} mutations/s   = ${(median(pgFigures.replay) / pb).toFixed(2)}× first apply`,
    );
  }
  lines.push(`  load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (${availableParallelism()} CPUs; other work on the machine moves wall-clock figures)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
