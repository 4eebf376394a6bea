/**
 * Real-target mode: the simulator's offline devices against a real server — over HTTP to a base
 * URL, or through any {@link Target} — with faults injected by undici interceptors, in real time,
 * every choice seeded.
 *
 * A run has the simulator's three phases:
 * 1. **safety** — devices capture mutations into their durable queues and sync while requests are
 *    dropped, delayed (reordered), duplicated, answered into the void, and devices are partitioned;
 * 2. **liveness** — faults healed: every queue must drain, conflicts get resolved, and every replica
 *    must catch up, within the time budget (the run stops by itself when the world is quiet);
 * 3. **read-back** — each tenant's changes and conflicts are pulled and compared with the replicas.
 *
 * The history has the simulator's format, and the simulator's checkers judge it: no silent loss,
 * exactly-once as observable through pull and outcomes, per-aggregate order, convergence, tenant
 * isolation. Event and audit checkers run only when an {@link EventReader} is given; otherwise
 * their verdict is `unknown`, never `pass`.
 *
 * The devices are the simulator's {@link OfflineDevice} unchanged — same queue, sequencing,
 * reconciliation and backoff — on a real-time env ({@link RealTimeEnv}, compressed by `timeScale`)
 * and an HTTP link ({@link HttpDeviceLink}).
 */
import type { RealWorld } from './real-world.js';
import { Agent, type Dispatcher } from 'undici';
import type { Target } from '../../conformance/src/target/target.js';
import { OfflineDevice, REQUEST_TIMEOUT_MS, type DeviceSpec, type LinkedDeviceWorld, type MutationPlanner } from '../src/client/offline-device.js';
import { planMutation } from '../src/client/workload.js';
import { createRandom } from '../src/env/random.js';
import { History } from '../src/history/history.js';
import type { HistoryEntry } from '../src/history/history-entry.js';
import { type Checker, type CheckResult, runChecker } from '../src/checkers/checker.js';
import { overallVerdict } from '../src/checkers/index.js';
import { noSilentLoss } from '../src/checkers/no-silent-loss.js';
import { exactlyOnce } from '../src/checkers/exactly-once.js';
import { perAggregateOrder } from '../src/checkers/per-aggregate-order.js';
import { convergence } from '../src/checkers/convergence.js';
import { tenantIsolation } from '../src/checkers/tenant-isolation.js';
import { eventPerApplied } from '../src/checkers/event-per-applied.js';
import { auditPerPhiConflict } from '../src/checkers/audit-per-phi-conflict.js';
import { TOOL_VERSION } from '../src/run/tool-version.js';
import { ConflictResolver } from './conflict-resolver.js';
import { examplePlanner, type WorkloadAggregate } from './example-planner.js';
import { HttpDeviceLink, type Principal, type PushExchange, type TokenProvider } from './http-device-link.js';
import { faultInterceptors, type LinkFaultSettings } from './interceptors/fault-interceptors.js';
import type { PartitionWindow } from './interceptors/partition.js';
import { safeSetTimeout } from './interceptors/_internals/handlers.js';
import { type Endpoint, endpointOf, failureReason, jsonRequest } from './json-http.js';
import { RealTimeEnv } from './real-time-env.js';
import { type EventReader, readBack } from './read-back.js';
import { TargetDispatcher } from './target-dispatcher.js';
import { writeActivity, writeTracker } from './write-tracker.js';

export type { Principal, TokenProvider, PushExchange } from './http-device-link.js';
export type { EventReader, ObservedMessage } from './read-back.js';
export type { WorkloadAggregate } from './example-planner.js';

/** An actor devices capture as. */
export interface RealActor {
  readonly actor: string;
  readonly roles: readonly string[];
}

/** A tenant of the run and who works in it. */
export interface RealTenant {
  readonly id: string;
  /** Device users, round-robin over the tenant's devices (at least one). */
  readonly actors: readonly RealActor[];
  /** Resolves any conflict of the tenant; without one, each conflict is resolved by its owner. */
  readonly admin?: RealActor;
}

/** Fault intensities of a run (0 = off). */
export interface RealTargetFaults {
  /** Probability that a request is lost before the server sees it. */
  readonly dropRequest: number;
  /** Probability that an answer is lost after the server produced it. */
  readonly dropResponseAfterForward: number;
  /** Probability that a request is sent twice. */
  readonly duplicate: number;
  /** Probability that a request or its answer is held back (reordering). */
  readonly delay: number;
  /** Upper bound of delays and of the gap between duplicate copies, real ms. */
  readonly delayMsMax: number;
  /** Expected partition windows per device during the safety phase. */
  readonly partitionsPerClient: number;
  /** Length bounds of a partition window, real ms. */
  readonly partitionMsMin: number;
  readonly partitionMsMax: number;
  /** Probability that a device crashes right after committing a capture (its queue survives). */
  readonly clientCrash: number;
}

/** Every fault class on at a moderate level. */
export const DEFAULT_REAL_TARGET_FAULTS: RealTargetFaults = {
  dropRequest: 0.08,
  dropResponseAfterForward: 0.08,
  duplicate: 0.08,
  delay: 0.15,
  delayMsMax: 40,
  partitionsPerClient: 1,
  partitionMsMin: 200,
  partitionMsMax: 1_000,
  clientCrash: 0,
};

/** No faults at all. */
export const NO_REAL_TARGET_FAULTS: RealTargetFaults = {
  dropRequest: 0,
  dropResponseAfterForward: 0,
  duplicate: 0,
  delay: 0,
  delayMsMax: 0,
  partitionsPerClient: 0,
  partitionMsMin: 0,
  partitionMsMax: 0,
  clientCrash: 0,
};

/** Options of {@link runRealTarget}. */
export interface RealTargetOptions {
  /** The server: a base URL (HTTP through undici) or a {@link Target} (e.g. an in-process one). */
  readonly target: string | Target;
  /** Sync module in the URL (`/v1/sync/<module>/…`). */
  readonly module: string;
  /** Tenants devices are spread over (round-robin). */
  readonly tenants: readonly RealTenant[];
  readonly tokens: TokenProvider;
  /** What users do: the clinic workload, or example payloads per aggregate type. @defaultValue 'clinic' */
  readonly workload?: 'clinic' | readonly WorkloadAggregate[];
  /** Drives every choice: workload, fault decisions, partition windows, backoff jitter. */
  readonly seed: number;
  /** Real time and the ids' fresh salt (the caller's; {@link RealWorld}). */
  readonly world: RealWorld;
  /** Number of devices. */
  readonly clients: number;
  /**
   * Devices enrolled in a second tenant as clones of a device of the first (same actor name, same
   * mutation ids): exercises the idempotency scope (tenantId, clientMutationId). Needs tenants
   * whose actors share names. @defaultValue 0
   */
  readonly clones?: number;
  /** Cap on captured mutations over all devices. */
  readonly mutations: number;
  /** Fault intensities; missing classes take {@link DEFAULT_REAL_TARGET_FAULTS}. */
  readonly faults?: Partial<RealTargetFaults>;
  /** Wall-time bound of safety + liveness + read-back, ms. */
  readonly timeBudgetMs: number;
  /** Length of the safety phase, ms. @defaultValue 40% of the budget */
  readonly safetyMs?: number;
  /**
   * `tenant`: the run owns its tenants (fresh ids), so every change in them is the run's.
   * `own-aggregates`: shared tenants — devices see, and the read-back judges, only aggregates this
   * run created. @defaultValue 'tenant'
   */
  readonly scope?: 'tenant' | 'own-aggregates';
  /** Reads the target's events (and audit events) for the event and audit checkers. */
  readonly events?: EventReader;
  /**
   * Virtual ms per real ms for the devices' own timings (debounce, backoff, request timeout).
   * @defaultValue calibrated from the target's round-trip time: 100 for a local server, less for a far one
   */
  readonly timeScale?: number;
  /** Headers sent with every request (a gateway key). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Mixed into mutation and client ids so a shared target sees fresh ones on every run; `''`
   * reuses the seed's ids exactly (only against a fresh target). @defaultValue random per run
   */
  readonly idSalt?: string;
  /** Per-request transport timeout, real ms. @defaultValue 5000 */
  readonly requestTimeoutMs?: number;
  /** Probability that a tenant's resolver settles an open conflict per safety sweep. @defaultValue 0.5 */
  readonly resolveRate?: number;
  /** Progress lines (phase changes, the verdicts). */
  readonly onProgress?: (line: string) => void;
}

/** Counters of a run. */
export interface RealTargetStats {
  readonly wallMs: number;
  readonly safetyMs: number;
  readonly livenessMs: number;
  readonly readBackMs: number;
  readonly livenessConverged: boolean;
  readonly devices: number;
  readonly captures: number;
  readonly pushes: number;
  readonly outcomes: number;
  readonly faults: number;
  readonly resolutions: number;
  /** Requests the target answered with any HTTP status. */
  readonly answered: number;
  /** Transport failures that were not injected. */
  readonly realFailures: number;
  readonly changes: number;
  readonly unattributedChanges: number;
  readonly events: number | null;
  readonly audit: number | null;
}

/** The result of a run. */
export interface RealTargetRun {
  readonly target: string;
  readonly seed: number;
  readonly history: History;
  readonly results: readonly CheckResult[];
  /** fail if any checker failed, else unknown if any is unknown, else pass. */
  readonly verdict: 'pass' | 'fail' | 'unknown';
  readonly hash: string;
  readonly stats: RealTargetStats;
  /**
   * Why the run cannot judge the target (unreachable, no tokens, read-back failed, nothing
   * captured); when set, treat every verdict as unknown.
   */
  readonly inconclusive?: string;
  /** The push exchanges behind a witness (its requests, or the pushes of its mutations), at most `max`. */
  evidenceFor(witness: readonly HistoryEntry[], max?: number): PushExchange[];
}

/** The checkers a run applies without server internals. */
export const REAL_TARGET_CHECKERS: readonly Checker[] = [noSilentLoss, exactlyOnce, perAggregateOrder, convergence, tenantIsolation];

const MIN_READ_BACK_RESERVE_MS = 500;
/** Shortest real time a device waits for an answer, ms. */
const MIN_REAL_TIMEOUT_MS = 100;
const MAX_TIME_SCALE = 100;
const WARM_UP_PULLS = 3;
const PULSE_MS = 10;

function unknownResult(c: Checker, message: string): CheckResult {
  return { checker: c.name, verdict: 'unknown', witness: [], requirements: [...c.requirements], message, violations: 0 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => safeSetTimeout(resolve, ms));
}

function validate(o: RealTargetOptions): void {
  const bad = (msg: string): never => {
    throw new RangeError(`runRealTarget: ${msg}`);
  };
  if (!Number.isInteger(o.clients) || o.clients < 1) bad(`clients must be an integer >= 1, got ${o.clients}`);
  if (!Number.isInteger(o.mutations) || o.mutations < 0) bad(`mutations must be an integer >= 0, got ${o.mutations}`);
  if (!(o.timeBudgetMs > 0)) bad(`timeBudgetMs must be > 0, got ${o.timeBudgetMs}`);
  if (o.tenants.length === 0) bad('at least one tenant is needed');
  for (const t of o.tenants) if (t.actors.length === 0) bad(`tenant ${t.id} has no actors`);
  if (o.safetyMs !== undefined && !(o.safetyMs > 0 && o.safetyMs < o.timeBudgetMs)) bad(`safetyMs must be in (0, timeBudgetMs), got ${o.safetyMs}`);
}

/** Partition windows of one device, drawn from its stream; all end before the liveness phase. */
function partitionWindows(f: RealTargetFaults, random: ReturnType<typeof createRandom>, safetyMs: number): PartitionWindow[] {
  const whole = Math.floor(f.partitionsPerClient);
  const count = whole + (random.chance(f.partitionsPerClient - whole) ? 1 : 0);
  const out: PartitionWindow[] = [];
  for (let i = 0; i < count; i++) {
    const fromMs = random.int(0, Math.max(0, safetyMs - 1));
    const toMs = Math.min(safetyMs, fromMs + random.int(Math.max(1, f.partitionMsMin), Math.max(1, f.partitionMsMin, f.partitionMsMax)));
    if (toMs > fromMs) out.push({ fromMs, toMs });
  }
  return out;
}

/**
 * Virtual ms per real ms such that a device's request timeout ({@link REQUEST_TIMEOUT_MS}, virtual)
 * lasts at least {@link MIN_REAL_TIMEOUT_MS} and 20 round trips plus the longest injected delays in
 * real time: a far-away target gets a slower device clock, never timeouts on every request.
 */
export function timeScaleFor(rttMs: number, delayMsMax: number): number {
  const realTimeoutMs = Math.max(MIN_REAL_TIMEOUT_MS, 20 * rttMs + 2 * delayMsMax);
  return Math.max(1, Math.min(MAX_TIME_SCALE, Math.floor(REQUEST_TIMEOUT_MS / realTimeoutMs)));
}

/** Pulls once per tenant: reachability, tokens, round-trip time; or why the run cannot start. */
async function warmUp(o: RealTargetOptions, tokens: TokenProvider, dispatcher: Dispatcher, endpoint: Endpoint): Promise<{ rttMs: number } | string> {
  let rttMs = Number.POSITIVE_INFINITY;
  for (const [i, t] of o.tenants.entries()) {
    const who = { tenant: t.id, ...(t.admin ?? (t.actors[0] as RealActor)) };
    let token: string;
    try {
      token = await tokens(who);
    } catch (err) {
      return `no token for ${who.actor} in tenant ${t.id}: ${err instanceof Error ? err.message : String(err)}`;
    }
    for (let k = 0; k < (i === 0 ? WARM_UP_PULLS : 1); k++) {
      const t0 = o.world.monotonicMs();
      let status: number;
      try {
        status = (await jsonRequest(dispatcher, endpoint, { method: 'GET', path: `/v1/sync/${o.module}/pull?limit=1`, token })).status;
      } catch (err) {
        return `the target is unreachable (${failureReason(err)})`;
      }
      rttMs = Math.min(rttMs, o.world.monotonicMs() - t0);
      if (status === 401 || status === 403) return `the target refused the token of ${who.actor} in tenant ${t.id} (HTTP ${status})`;
      if (status !== 200) return `the target answered a pull of tenant ${t.id} with HTTP ${status}`;
    }
  }
  return { rttMs };
}

/** A run that could not start: every verdict unknown. */
function inconclusiveRun(o: RealTargetOptions, target: string, reason: string, wallMs: number): RealTargetRun {
  const history = new History();
  history.add({ k: 'meta', seed: o.seed, tool: `syncproof ${TOOL_VERSION} real-target`, target, options: { module: o.module, tenants: o.tenants.map((t) => t.id), inconclusive: reason } });
  const results = [...REAL_TARGET_CHECKERS, eventPerApplied, auditPerPhiConflict].map((c) => unknownResult(c, reason));
  return {
    target,
    seed: o.seed,
    history,
    results,
    verdict: 'unknown',
    hash: history.hash(),
    inconclusive: reason,
    stats: {
      wallMs: Math.round(wallMs),
      safetyMs: 0,
      livenessMs: 0,
      readBackMs: 0,
      livenessConverged: false,
      devices: 0,
      captures: 0,
      pushes: 0,
      outcomes: 0,
      faults: 0,
      resolutions: 0,
      answered: 0,
      realFailures: 0,
      changes: 0,
      unattributedChanges: 0,
      events: null,
      audit: null,
    },
    evidenceFor: () => [],
  };
}

/** Runs the devices against the target and checks the history. Never throws for the target's behaviour. */
export async function runRealTarget(o: RealTargetOptions): Promise<RealTargetRun> {
  validate(o);
  const now = (): number => o.world.monotonicMs();
  const started = now();
  const since = new Date(o.world.epochMs() - 1_000);
  const progress = o.onProgress ?? (() => undefined);
  const faults: RealTargetFaults = { ...DEFAULT_REAL_TARGET_FAULTS, ...(o.faults ?? {}) };
  const safetyMs = o.safetyMs ?? Math.round(o.timeBudgetMs * 0.4);
  const readBackReserveMs = Math.max(MIN_READ_BACK_RESERVE_MS, Math.round(o.timeBudgetMs * 0.15));
  const livenessDeadline = started + Math.max(safetyMs + 1, o.timeBudgetMs - readBackReserveMs);
  const scope = o.scope ?? 'tenant';
  const salt = o.idSalt ?? o.world.freshSalt(4);
  const targetName = typeof o.target === 'string' ? o.target : o.target.name;

  const endpoint: Endpoint =
    typeof o.target === 'string'
      ? endpointOf(o.target, o.headers ?? {}, o.requestTimeoutMs ?? 5_000)
      : { origin: 'http://target.invalid', prefix: '', headers: o.headers ?? {}, timeoutMs: o.requestTimeoutMs ?? 5_000 };
  const base: Dispatcher = typeof o.target === 'string' ? new Agent({ connections: 64 }) : new TargetDispatcher(o.target);
  const activity = writeActivity(now);
  const clean = base.compose(writeTracker(activity));

  // --- tokens (cached; a failed acquisition is retried on the next refresh)
  const tokenCache = new Map<string, Promise<string>>();
  const tokens: TokenProvider = (who) => {
    const key = `${who.tenant}\u0000${who.actor}`;
    let hit = tokenCache.get(key);
    if (hit === undefined) {
      hit = o.tokens(who);
      hit.catch(() => tokenCache.delete(key));
      tokenCache.set(key, hit);
    }
    return hit;
  };

  // --- warm-up: the target answers, accepts the tokens, and is this far away
  const warm = await warmUp(o, tokens, clean, endpoint);
  if (typeof warm === 'string') {
    await base.destroy().catch(() => undefined);
    return inconclusiveRun(o, targetName, warm, now() - started);
  }
  const timeScale = o.timeScale ?? timeScaleFor(warm.rttMs, faults.delayMsMax);
  /** Partition windows count from here (the safety phase starts right after the set-up below). */
  const safetyOrigin = now();

  // --- history, with the aggregates this run creates tracked for the shared-tenant scope
  const own = new Set<string>();
  const history = new History();
  const add = history.add.bind(history);
  history.add = (e: HistoryEntry): void => {
    if (e.k === 'capture' && e.op === 'create') own.add(e.agg);
    add(e);
  };
  const inScope = (aggKey: string): boolean => scope === 'tenant' || own.has(aggKey);
  history.add({
    k: 'meta',
    seed: o.seed,
    tool: `syncproof ${TOOL_VERSION} real-target`,
    target: targetName,
    options: {
      module: o.module,
      tenants: o.tenants.map((t) => t.id),
      clients: o.clients,
      clones: o.clones ?? 0,
      mutations: o.mutations,
      faults,
      timeBudgetMs: o.timeBudgetMs,
      safetyMs,
      scope,
      timeScale,
      rttMs: Math.round(warm.rttMs * 10) / 10,
      idSalt: salt,
      workload: o.workload === undefined || o.workload === 'clinic' ? 'clinic' : o.workload.map((a) => a.type),
    },
  });

  // --- the world
  const env = new RealTimeEnv({ seed: o.seed, timeScale, world: o.world });
  const root = createRandom(o.seed);
  let phase: 'safety' | 'liveness' | 'final' = 'safety';
  let epoch = 0;
  let captures = 0;
  let reqCounter = 0;
  let faultCount = 0;


  // --- devices
  const specs: DeviceSpec[] = [];
  const clientIds = root.fork(`client-ids:${salt}`);
  const tenantCount = o.tenants.length;
  const clones = tenantCount > 1 ? Math.min(o.clones ?? 0, Math.max(0, o.clients - 1)) : 0;
  const originals = o.clients - clones;
  for (let i = 0; i < originals; i++) {
    const tenant = o.tenants[i % tenantCount] as RealTenant;
    const actor = tenant.actors[Math.floor(i / tenantCount) % tenant.actors.length] as RealActor;
    specs.push({ id: `d${i}`, tenant: tenant.id, actor: actor.actor, roles: actor.roles, clientId: clientIds.uuid(), skewMs: 0, streamKey: `device-${i}${salt ? `:${salt}` : ''}` });
  }
  for (let c = 0; c < clones; c++) {
    const original = specs[c % originals] as DeviceSpec;
    const home = o.tenants.findIndex((t) => t.id === original.tenant);
    const other = o.tenants[(home + 1) % tenantCount] as RealTenant;
    specs.push({ ...original, id: `d${specs.length}`, tenant: other.id });
  }
  const dispatchers = new Map<string, Dispatcher>();
  for (const s of specs) {
    const settings: LinkFaultSettings = {
      dropRequest: faults.dropRequest,
      dropResponseAfterForward: faults.dropResponseAfterForward,
      duplicate: faults.duplicate,
      delay: faults.delay,
      delayMsMax: faults.delayMsMax,
      partitions: partitionWindows(faults, root.fork(`partitions:${s.id}`), safetyMs),
    };
    for (const w of settings.partitions) {
      env.after(w.fromMs * env.timeScale, () =>
        history.add({ k: 'fault', t: env.now(), fault: 'partition-client', target: s.id, detail: w.toMs - w.fromMs }),
      );
    }
    const interceptors = faultInterceptors(settings, {
      random: root.fork(`network:${s.id}`),
      active: () => phase === 'safety',
      now,
      origin: safetyOrigin,
      onFault: (f) => {
        if (phase === 'final') return;
        faultCount++;
        history.add({ k: 'fault', t: env.now(), fault: f.fault, target: s.id, ...(f.delayMs !== undefined ? { detail: f.delayMs } : {}) });
      },
    });
    dispatchers.set(s.id, base.compose(writeTracker(activity), ...interceptors));
  }
  const link = new HttpDeviceLink({
    endpoint,
    module: o.module,
    tokens,
    dispatcherFor: (dev) => dispatchers.get(dev) ?? clean,
    epoch: () => epoch,
    inScope: (type, id) => inScope(`${type}:${id}`),
  });
  const planner: MutationPlanner = o.workload === undefined || o.workload === 'clinic' ? planMutation : examplePlanner(o.workload);
  const resolvers = new Map<string, ConflictResolver>();
  const world: LinkedDeviceWorld = {
    env,
    link,
    planner,
    history,
    phase: () => phase,
    takeCaptureSlot: () => {
      if (captures >= o.mutations) return false;
      captures++;
      return true;
    },
    nextReq: () => ++reqCounter,
    askAdmin: (tenant) => resolvers.get(tenant)?.notify(),
  };
  // Mean virtual gap between one device's captures such that the devices together would capture
  // about 1.3 × `mutations` in the safety phase; the cap stops them at `mutations`.
  const captureGapMs = Math.max(1, Math.round((specs.length * safetyMs * env.timeScale) / Math.max(1, o.mutations * 1.3)));
  const devices = specs.map(
    (s) => new OfflineDevice(s, world, { captureGapMs, crashBeforeCommit: 0, crashAfterCommit: faults.clientCrash, mrnPool: 400 }),
  );
  const principalOfClient = new Map<string, Principal>();
  for (const s of specs) principalOfClient.set(`${s.tenant}\u0000${s.clientId}`, { tenant: s.tenant, actor: s.actor, roles: s.roles });
  for (const t of o.tenants) {
    const first = t.actors[0] as RealActor;
    resolvers.set(
      t.id,
      new ConflictResolver({
        tenant: t.id,
        lister: t.admin ? { tenant: t.id, ...t.admin } : { tenant: t.id, ...first },
        ...(t.admin ? { admin: { tenant: t.id, ...t.admin } } : {}),
        ownerOf: (clientId) => principalOfClient.get(`${t.id}\u0000${clientId}`),
        tokens,
        dispatcher: clean,
        endpoint,
        module: o.module,
        env,
        random: root.fork(`resolver:${t.id}`),
        history,
        phase: () => phase,
        epoch: () => epoch,
        resolveRate: o.resolveRate ?? 0.5,
      }),
    );
  }

  // --- safety
  history.add({ k: 'phase', t: env.now(), phase: 'safety' });
  progress(`real-target: ${specs.length} devices over ${tenantCount} tenants of ${targetName}, seed ${o.seed}; safety phase ${safetyMs} ms`);
  for (const d of devices) d.start();
  for (const r of resolvers.values()) r.start();
  await sleep(safetyMs);

  // --- liveness
  phase = 'liveness';
  const livenessStart = now();
  const failuresBefore = link.realFailures.count;
  history.add({ k: 'phase', t: env.now(), phase: 'liveness' });
  for (const d of devices) d.wake();
  for (const r of resolvers.values()) r.wake();
  const quietGapMs = faults.delayMsMax + 30;
  let armedWrites = -1;
  let converged = false;
  while (now() < livenessDeadline) {
    await sleep(PULSE_MS);
    const drained = devices.every((d) => d.queued === 0);
    const netQuiet = activity.inFlight === 0 && now() - activity.lastAt >= quietGapMs;
    if (!drained || !netQuiet) continue;
    if (armedWrites !== activity.writes) {
      // Nothing written since the last look: open an epoch; every replica and resolver must now
      // complete a pull or sweep sent in it, with no write in between.
      epoch++;
      armedWrites = activity.writes;
      for (const r of resolvers.values()) r.wake();
      continue;
    }
    if (devices.every((d) => d.isQuiet(epoch)) && [...resolvers.values()].every((r) => r.isQuiet(epoch))) {
      converged = true;
      break;
    }
  }
  const livenessMs = now() - livenessStart;
  progress(`real-target: liveness ${converged ? 'converged' : 'did not converge'} after ${Math.round(livenessMs)} ms`);

  // --- read-back
  phase = 'final';
  history.add({ k: 'phase', t: env.now(), phase: 'final' });
  env.dispose();
  link.close();
  const readStart = now();
  let readBackError: string | undefined;
  let summary: Awaited<ReturnType<typeof readBack>> | undefined;
  try {
    summary = await readBack({
      tenants: o.tenants.map((t) => t.id),
      module: o.module,
      token: (tenant) => {
        const t = o.tenants.find((x) => x.id === tenant) as RealTenant;
        return tokens({ tenant, ...(t.admin ?? (t.actors[0] as RealActor)) });
      },
      dispatcher: clean,
      endpoint,
      history,
      inScope,
      sharedTenants: scope !== 'tenant',
      ...(o.events ? { events: o.events } : {}),
      since,
    });
  } catch (err) {
    readBackError = `read-back failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  for (const d of devices) {
    const f = d.finalState();
    history.add({ k: 'final-replica', dev: d.spec.id, tenant: d.spec.tenant, n: f.n, digest: f.digest });
    history.add({ k: 'final-queue', dev: d.spec.id, tenant: d.spec.tenant, pending: f.pending });
  }
  const readBackMs = now() - readStart;
  await base.destroy().catch(() => undefined);

  // --- verdicts
  let pushes = 0;
  let outcomes = 0;
  let committed = 0;
  let resolutions = 0;
  for (const e of history.entries) {
    if (e.k === 'push') pushes++;
    else if (e.k === 'outcome') outcomes++;
    else if (e.k === 'capture') committed++;
    else if (e.k === 'resolve' && e.status === 'resolved') resolutions++;
  }
  // Why nothing can be judged, most telling reason first.
  const failuresInLiveness = link.realFailures.count - failuresBefore;
  const inconclusive: string | undefined =
    env.errors.length > 0
      ? `the client model threw: ${env.errors[0] instanceof Error ? (env.errors[0] as Error).message : String(env.errors[0])}`
      : link.answered === 0
        ? `the target answered no request${link.realFailures.count > 0 ? ` (last failure: ${link.realFailures.last})` : ''}`
        : !converged && failuresInLiveness > 0
          ? `the target stopped answering during the liveness phase (${failuresInLiveness} transport failures, last: ${link.realFailures.last})`
          : (readBackError ?? (committed === 0 ? 'no mutation was captured (time budget too short?)' : undefined));

  let results: CheckResult[];
  if (inconclusive !== undefined) {
    results = [...REAL_TARGET_CHECKERS, eventPerApplied, auditPerPhiConflict].map((c) => unknownResult(c, inconclusive as string));
  } else {
    results = REAL_TARGET_CHECKERS.map((c) => runChecker(c, history));
    results.push(o.events ? runChecker(eventPerApplied, history) : unknownResult(eventPerApplied, 'no event observer given'));
    results.push(
      summary?.audit !== null && summary?.audit !== undefined
        ? runChecker(auditPerPhiConflict, history)
        : unknownResult(auditPerPhiConflict, o.events ? 'the event observer reads no audit stream' : 'no event observer given'),
    );
  }
  const verdict = overallVerdict(results);
  progress(`real-target: ${results.map((r) => `${r.checker} ${r.verdict}`).join(', ')}`);

  const pushReqsOf = (cmid: string): number[] => {
    const out: number[] = [];
    for (const e of history.entries) if (e.k === 'push' && e.cmids.includes(cmid)) out.push(e.req);
    return out;
  };
  return {
    target: targetName,
    seed: o.seed,
    history,
    results,
    verdict,
    hash: history.hash(),
    ...(inconclusive !== undefined ? { inconclusive } : {}),
    stats: {
      wallMs: Math.round(now() - started),
      safetyMs,
      livenessMs: Math.round(livenessMs),
      readBackMs: Math.round(readBackMs),
      livenessConverged: converged,
      devices: devices.length,
      captures: committed,
      pushes,
      outcomes,
      faults: faultCount,
      resolutions,
      answered: link.answered,
      realFailures: link.realFailures.count,
      changes: summary?.changes ?? 0,
      unattributedChanges: summary?.unattributed ?? 0,
      events: summary?.events ?? null,
      audit: summary?.audit ?? null,
    },
    evidenceFor(witness, max = 3) {
      const reqs: number[] = [];
      for (const e of witness) {
        if ('req' in e && typeof e.req === 'number') reqs.push(e.req);
        else if (e.k === 'capture') reqs.push(...pushReqsOf(e.cmid).slice(-2));
      }
      const out: PushExchange[] = [];
      for (const r of new Set(reqs)) {
        const ex = link.exchange(r);
        if (ex !== undefined) out.push(ex);
        if (out.length >= max) break;
      }
      return out;
    },
  };
}
