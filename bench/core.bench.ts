/**
 * Raw throughput of the reference domain core (no HTTP): pushes of 50 mutations through
 * `createCore` on the memory store and on SQLite (file, WAL), plus replays of already-applied
 * pushes. Prints the median of several runs. Run: `npm run bench:core -- [--runs N]`.
 *
 * Workload per client (deterministic): creates 5 encounters, 20 notes and 2 stock items, then a
 * mix of note appends (40 %), encounter updates at the current version (30 %) and stock
 * adjustments (30 %) — every mutation applies. Figures are per wall-clock second and per CPU-second
 * of the process (the latter is steadier on a shared machine). Replays resend every push and must
 * all come back `replayed`. `BENCH_ONLY=memory|sqlite-memory|sqlite-file` runs one variant;
 * `BENCH_IDS=random` uses random-looking ids (see {@link uuid}).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicModule } from '../reference-impl/src/domain/clinic/clinic-module.js';
import { createCore } from '../reference-impl/src/domain/core.js';
import { moduleRegistry } from '../reference-impl/src/domain/module.js';
import type { RequestContext } from '../reference-impl/src/domain/types.js';
import { ManualClock } from '../reference-impl/src/ports/clock.js';
import type { SyncStore } from '../reference-impl/src/ports/store.js';
import { createMemoryStore } from '../reference-impl/src/stores/memory/memory-store.js';
import { openSqliteStore } from '../reference-impl/src/stores/sqlite/sqlite-store.js';

const BATCH = 50;
/** Notes per client: appends spread over them (a note holds a few dozen entries by the end of a run). */
const NOTES = 20;

/**
 * Ids of the workload. By default ordered (client number, then a counter: one client's keys are
 * neighbours in every index); with `BENCH_IDS=random` they are random-looking, deterministic
 * UUIDs, as real clients send (`crypto.randomUUID()`): every insert then lands on another B-tree
 * page, which is what a SQLite store pays under real traffic.
 */
const RANDOM_IDS = process.env.BENCH_IDS === 'random';

function uuid(a: number, b: number): string {
  if (RANDOM_IDS) {
    const h = createHash('sha256').update(`${a}:${b}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  return `${a.toString(16).padStart(8, '0')}-0000-4000-8000-${b.toString(16).padStart(12, '0')}`;
}

interface Push {
  readonly ctx: RequestContext;
  readonly body: unknown;
}

/** Generates `batches` pushes for each of `clients` clients over `tenants` tenants. */
function workload(clients: number, batches: number, tenants: number): Push[][] {
  const perClient: Push[][] = [];
  for (let c = 0; c < clients; c++) {
    const tenantId = `tenant-${c % tenants}`;
    const actorId = `actor-${c}`;
    const ctx: RequestContext = { tenantId, actorId, roles: ['clinician'] };
    const clientId = uuid(c, 0xffffff);
    const encounters = Array.from({ length: 5 }, (_, i) => ({ id: uuid(c, 0x1000 + i), version: 0 }));
    const notes = Array.from({ length: NOTES }, (_, i) => uuid(c, 0x2000 + i));
    const stock = Array.from({ length: 2 }, (_, i) => uuid(c, 0x3000 + i));
    const patientId = uuid(c, 0x4000);
    let seq = 0;
    let rng = c + 1;
    const next = (): number => {
      rng = (rng * 1103515245 + 12345) & 0x7fffffff;
      return rng / 0x7fffffff;
    };
    const pushes: Push[] = [];
    for (let b = 0; b < batches; b++) {
      const mutations: unknown[] = [];
      for (let k = 0; k < BATCH; k++) {
        seq++;
        // Object literals with one fixed key order (as JSON.parse or a client would build them);
        // spread-built objects are several times slower to read and would measure the bench.
        const mk = (type: string, id: string, op: string, baseVersion: number, payload: unknown) => ({
          clientMutationId: uuid(c, seq),
          clientSeq: seq,
          aggregate: { type, id },
          op,
          baseVersion,
          payload,
          capturedAt: '2026-01-01T00:00:00Z',
          actorId,
        });
        const created = seq - 1;
        if (created < 5) {
          const e = encounters[created]!;
          e.version = 1;
          mutations.push(mk('encounter', e.id, 'create', 0, { patientId, status: 'planned' }));
        } else if (created < 5 + NOTES) {
          mutations.push(mk('note', notes[created - 5]!, 'create', 0, { patientId, title: 'Visit' }));
        } else if (created < 7 + NOTES) {
          mutations.push(mk('stock-item', stock[created - 5 - NOTES]!, 'create', 0, { sku: `SKU-${c}-${created}`, name: 'Paracetamol', quantity: 1000, controlled: false }));
        } else {
          const r = next();
          if (r < 0.4) {
            mutations.push(mk('note', notes[Math.floor(next() * NOTES)]!, 'append', 0, { text: `entry ${seq}`, authoredAt: '2026-01-01T00:00:00Z' }));
          } else if (r < 0.7) {
            const e = encounters[Math.floor(next() * 5)]!;
            mutations.push(mk('encounter', e.id, 'update', e.version, { reason: `update ${seq}` }));
            e.version++;
          } else {
            mutations.push(mk('stock-item', stock[Math.floor(next() * 2)]!, 'adjust', 0, { delta: 1, reason: 'receive' }));
          }
        }
      }
      pushes.push({ ctx, body: { clientId, mutations } });
    }
    perClient.push(pushes);
  }
  // Interleave clients batch by batch, as a server would see them.
  const rounds: Push[][] = [];
  for (let b = 0; b < batches; b++) rounds.push(perClient.map((p) => p[b]!));
  return rounds;
}

interface RunResult {
  readonly applyPerSec: number;
  readonly replayPerSec: number;
  /** Per CPU-second of this process (robust against a loaded machine). */
  readonly applyPerCpuSec: number;
  readonly replayPerCpuSec: number;
}

function cpuSeconds(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}

function run(makeStore: () => SyncStore, clients: number, batches: number): RunResult {
  const rounds = workload(clients, batches, 4);
  const store = makeStore();
  const core = createCore({ store, clock: new ManualClock(), modules: moduleRegistry(clinicModule) });
  const total = clients * batches * BATCH;
  let applied = 0;
  let replayed = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const round of rounds) {
    for (const p of round) {
      const r = core.push(p.ctx, 'clinic', p.body);
      if (!r.ok) throw new Error(`push failed: ${r.problem.detail}`);
      for (const o of r.value.outcomes) if (o.status === 'applied') applied++;
    }
  }
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage(c0);
  const c1b = process.cpuUsage();
  for (const round of rounds) {
    for (const p of round) {
      const r = core.push(p.ctx, 'clinic', p.body);
      if (r.ok) for (const o of r.value.outcomes) if (o.status === 'applied' && o.replayed === true) replayed++;
    }
  }
  const t2 = process.hrtime.bigint();
  const c2 = process.cpuUsage(c1b);
  store.close();
  if (applied !== total) throw new Error(`expected ${total} applied, got ${applied}`);
  if (replayed !== total) throw new Error(`expected ${total} replays, got ${replayed}`);
  return {
    applyPerSec: total / (Number(t1 - t0) / 1e9),
    replayPerSec: total / (Number(t2 - t1) / 1e9),
    applyPerCpuSec: total / cpuSeconds(c1),
    replayPerCpuSec: total / cpuSeconds(c2),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function report(name: string, results: RunResult[]): void {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const m = (f: (r: RunResult) => number): string => fmt(median(results.map(f))).padStart(9);
  const ratio = median(results.map((r) => r.replayPerCpuSec / r.applyPerCpuSec));
  console.log(
    `${name.padEnd(18)} apply ${m((r) => r.applyPerSec)} mutations/s (${m((r) => r.applyPerCpuSec)} per CPU-s)   ` +
      `replay ${m((r) => r.replayPerSec)} mutations/s (${m((r) => r.replayPerCpuSec)} per CPU-s, ${ratio.toFixed(1)}x apply)   median of ${results.length}`,
  );
}

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
/** `memory`, `sqlite-memory` or `sqlite-file` to run one variant only. */
const only = process.env.BENCH_ONLY;
console.log(`domain core, batches of ${BATCH}, ${RANDOM_IDS ? 'random' : 'ordered'} ids, ${runs} runs each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);

// Warm-up (JIT), not reported.
run(() => createMemoryStore(), 50, 4);

if (only === undefined || only === 'memory') {
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) results.push(run(() => createMemoryStore(), 200, 20));
  report('memory', results);
}

if (only === undefined || only === 'sqlite-memory') {
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) results.push(run(() => openSqliteStore({ filename: ':memory:' }), 100, 10));
  report('sqlite :memory:', results);
}

if (only === undefined || only === 'sqlite-file') {
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-bench-'));
  try {
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) results.push(run(() => openSqliteStore({ filename: join(dir, `bench-${i}.db`) }), 100, 10));
    report('sqlite file (WAL)', results);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
