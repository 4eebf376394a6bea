/**
 * Runs one scenario against a target and records its history: the safety phase (faults on, users
 * capturing), then the liveness phase (faults healed, no new captures: queues must drain, conflicts
 * get resolved, replicas must catch up within the scenario's virtual-time bound), then the final
 * read-back of server and device state. Every choice comes from the scenario's seed.
 */
import { createSimEnv, type SimEnv } from '../env/sim-env.js';
import type { Clock } from '../env/clock.js';
import type { Link, NetworkFaultReport, NetworkFaults } from '../env/network.js';
import { History } from '../history/history.js';
import type { Scenario } from '../scenario/scenario.js';
import type { FaultSettings } from '../faults/fault-menu.js';
import { OfflineDevice, type DeviceSpec, type DeviceWorld } from '../client/offline-device.js';
import { TenantAdmin } from '../client/tenant-admin.js';
import { ServerFront } from '../server/server-front.js';
import { SimBroker, DEFAULT_DUPLICATE_WINDOW_MS } from '../server/sim-broker.js';
import { OutboxRelayModel } from '../server/outbox-relay-model.js';
import type { MaybePromise, SimServer } from '../target/sim-server.js';
import { checkHistory, type CheckResult } from '../checkers/index.js';
import { TOOL_VERSION } from './tool-version.js';

/** Builds the target for a run, bound to the run's virtual clock. */
export type TargetFactory = (deps: { clock: Clock; defect: string | null; retentionMs: number }) => MaybePromise<SimServer>;

/** Idempotency retention the simulated server is configured with (TR §3.5 default). */
export const SIM_RETENTION_MS = 30 * 24 * 3_600_000;

/**
 * How often the server's maintenance job purges idempotency records. Records only age out after
 * {@link SIM_RETENTION_MS} (30 days), which a run reaches through its time warps — and each warp
 * purges at once — so a frequent job would only rescan every record for nothing.
 */
export const PURGE_INTERVAL_MS = 6 * 3_600_000;

/** Counters of a run. */
export interface SimulationStats {
  /** Mutations captured and committed to a device queue (aborted captures excluded). */
  captures: number;
  pushes: number;
  outcomes: number;
  events: number;
  faults: number;
  serverCrashes: number;
  /** Requests on which the target threw (an HTTP layer would answer 500). */
  serverErrors: number;
  warps: number;
  simulatedMs: number;
  schedulerEvents: number;
  livenessMs: number;
  livenessConverged: boolean;
}

/** The result of one run. */
export interface SimulationRun {
  readonly scenario: Scenario;
  readonly target: string;
  readonly history: History;
  readonly stats: SimulationStats;
}

/** A run plus its verdicts and history hash. */
export interface CheckedRun extends SimulationRun {
  readonly results: CheckResult[];
  readonly hash: string;
}

const HOUR = 3_600_000;

/** History label of each network fault on each link (`drop-request`, …), built once. */
const FAULT_LABEL = Object.fromEntries(
  (['drop', 'duplicate', 'delay', 'partitioned'] as const).map((f) => [
    f,
    Object.fromEntries((['request', 'response', 'publish', 'ack'] as const).map((l) => [l, `${f}-${l}`])) as Record<Link, string>,
  ]),
) as Record<NetworkFaultReport['fault'], Record<Link, string>>;

function networkFaults(f: FaultSettings): NetworkFaults {
  const dup = f.duplicate;
  const delay = f.delay;
  const extra = delay > 0 ? 5_000 : 0;
  return {
    request: { drop: f['drop-request'], duplicate: dup, delay, maxExtraDelayMs: extra },
    response: { drop: f['drop-response'], duplicate: dup, delay, maxExtraDelayMs: extra },
    publish: { drop: f['drop-request'] / 2, duplicate: dup, delay, maxExtraDelayMs: extra },
    ack: { drop: f['drop-response'] / 2, duplicate: dup, delay, maxExtraDelayMs: extra },
  };
}

/** Count of time warps for an intensity: the integer part plus one more with the fractional chance. */
function warpCount(env: SimEnv, label: string, intensity: number): number {
  const r = env.random.fork(label);
  const whole = Math.floor(intensity);
  return whole + (r.chance(intensity - whole) ? 1 : 0);
}

/** Log-uniform duration in [min, max]. */
function logUniform(r: { float(): number }, min: number, max: number): number {
  return Math.round(Math.exp(Math.log(min) + r.float() * (Math.log(max) - Math.log(min))));
}

/** Device specs of a scenario: devices round-robin over tenants, clones appended. */
export function deviceSpecs(scenario: Scenario, env: SimEnv): DeviceSpec[] {
  const r = env.random.fork('devices');
  const specs: DeviceSpec[] = [];
  const originals = Math.max(1, scenario.clients - scenario.clones);
  for (let i = 0; i < originals; i++) {
    const skewed = r.chance(scenario.faults['clock-skew']);
    const skew = r.int(60_000, 3 * HOUR) * (r.chance(0.5) ? -1 : 1);
    specs.push({
      id: `d${i}`,
      tenant: `tenant-${i % scenario.tenants}`,
      actor: `user-${i}`,
      roles: r.chance(0.25) ? ['pharmacist'] : ['clinician'],
      clientId: r.uuid(),
      skewMs: skewed ? skew : 0,
      streamKey: `device-${i}`,
    });
  }
  for (let c = 0; c < scenario.clones && specs.length < Math.max(scenario.clients, originals + 1) && scenario.tenants > 1; c++) {
    const original = specs[c % originals] as DeviceSpec;
    const home = Number(original.tenant.slice('tenant-'.length));
    const other = (home + 1 + (c % (scenario.tenants - 1))) % scenario.tenants;
    specs.push({ ...original, id: `d${specs.length}`, tenant: `tenant-${other}` });
  }
  return specs;
}

/** Runs a scenario against a target; the history is complete when this resolves. */
export async function runSimulation(scenario: Scenario, factory: TargetFactory): Promise<SimulationRun> {
  const history = new History();
  let faultCount = 0;
  const env = createSimEnv({
    seed: scenario.seed,
    networkFaults: networkFaults(scenario.faults),
    onFault: (f) => {
      faultCount++;
      const fault = FAULT_LABEL[f.fault][f.link];
      const t = env.clock.now();
      history.add(
        f.extraDelayMs === undefined
          ? { k: 'fault', t, fault, target: f.endpoint }
          : { k: 'fault', t, fault, target: f.endpoint, detail: f.extraDelayMs },
      );
    },
  });
  const server = await factory({ clock: env.clock, defect: scenario.defect, retentionMs: SIM_RETENTION_MS });
  history.add({ k: 'meta', seed: scenario.seed, tool: `syncproof ${TOOL_VERSION}`, target: server.name, options: scenario });
  const front = new ServerFront(env, server, history, scenario.faults['server-crash']);
  const broker = new SimBroker(history, DEFAULT_DUPLICATE_WINDOW_MS);
  const relay = new OutboxRelayModel(env, server, broker, () => front.isUp());
  front.relay = relay;

  let phase: 'safety' | 'liveness' | 'final' = 'safety';
  let captures = 0;
  let reqCounter = 0;
  let warps = 0;
  const world: DeviceWorld = {
    env,
    history,
    front,
    phase: () => phase,
    takeCaptureSlot: () => {
      if (captures >= scenario.mutations) return false;
      captures++;
      return true;
    },
    nextReq: () => ++reqCounter,
    askAdmin: (tenant) => adminByTenant.get(tenant)?.notify(),
  };
  const adminByTenant = new Map<string, TenantAdmin>();
  const settings = {
    captureGapMs: scenario.captureGapMs,
    crashBeforeCommit: scenario.faults['client-crash-before-commit'],
    crashAfterCommit: scenario.faults['client-crash-after-commit'],
    mrnPool: 400,
  };
  const devices = deviceSpecs(scenario, env).map((s) => new OfflineDevice(s, world, settings));
  const tenants = [...new Set(devices.map((d) => d.spec.tenant))].sort();
  const admins = tenants.map((t) => new TenantAdmin(t, world, scenario.resolveRate));
  for (const a of admins) adminByTenant.set(a.tenant, a);
  const { scheduler, clock, network } = env;
  const startMs = clock.now();
  history.add({ k: 'phase', t: startMs, phase: 'safety' });

  // --- fault schedules (safety phase only)
  const faultRandom = env.random.fork('fault-schedule');
  const partitionRate = scenario.faults['partition-client'];
  if (partitionRate > 0) {
    for (const d of devices) {
      const r = faultRandom.fork(`partition:${d.spec.id}`);
      const next = (): void => {
        const gap = Math.round(-Math.log(1 - r.float()) * (HOUR / partitionRate));
        scheduler.after(gap, () => {
          if (phase !== 'safety') return;
          const len = logUniform(r, 10_000, 2 * HOUR);
          network.partition(d.spec.id, clock.now() + len);
          history.add({ k: 'fault', t: clock.now(), fault: 'partition-client', target: d.spec.id, detail: len });
          next();
        });
      };
      next();
    }
  }
  const natsRate = scenario.faults['partition-nats'] * 4;
  if (natsRate > 0) {
    const r = faultRandom.fork('partition-nats');
    const next = (): void => {
      const gap = Math.round(-Math.log(1 - r.float()) * (HOUR / natsRate));
      scheduler.after(gap, () => {
        if (phase !== 'safety') return;
        const len = logUniform(r, 5_000, 600_000);
        network.partition('nats', clock.now() + len);
        history.add({ k: 'fault', t: clock.now(), fault: 'partition-nats', target: 'nats', detail: len });
        next();
      });
    };
    next();
  }
  const purge = (): MaybePromise<number> => server.purgeIdempotency(clock.now() - SIM_RETENTION_MS);
  const warp = (fault: string, delta: number) => (): void | Promise<void> => {
    if (phase !== 'safety') return;
    warps++;
    history.add({ k: 'fault', t: clock.now(), fault, target: 'world', detail: delta });
    scheduler.warp(delta);
    // The server's maintenance job ran while the world slept.
    const n = purge();
    if (n instanceof Promise) return n.then(() => undefined);
  };
  const wr = faultRandom.fork('warps');
  for (let i = warpCount(env, 'warps:retention', scenario.faults['retention-expiry']); i > 0; i--) {
    scheduler.after(wr.int(0, scenario.safetyMs - 1), warp('retention-expiry', SIM_RETENTION_MS + wr.int(HOUR, 2 * HOUR)));
  }
  for (let i = warpCount(env, 'warps:dedup', scenario.faults['dedup-window-expiry']); i > 0; i--) {
    scheduler.after(wr.int(0, scenario.safetyMs - 1), warp('dedup-window-expiry', DEFAULT_DUPLICATE_WINDOW_MS + wr.int(1_000, 180_000)));
  }
  const purgeJob = (): void | Promise<void> => {
    if (phase === 'final') return;
    scheduler.after(PURGE_INTERVAL_MS, purgeJob);
    const n = purge();
    if (n instanceof Promise) return n.then(() => undefined);
  };
  scheduler.after(PURGE_INTERVAL_MS, purgeJob);

  // --- phases
  let livenessStart = 0;
  let converged = false;
  const quiet = (): boolean => {
    if (!relay.idle) return false;
    for (const d of devices) if (!d.isQuiet(front.commits.get(d.spec.tenant) ?? 0)) return false;
    for (const a of admins) if (!a.isQuiet(front.commits.get(a.tenant) ?? 0)) return false;
    return true;
  };
  const probe = (): void => {
    if (phase !== 'liveness') return;
    if (quiet()) {
      converged = true;
      scheduler.stop();
      return;
    }
    scheduler.after(1_000, probe);
  };
  scheduler.after(scenario.safetyMs, () => {
    phase = 'liveness';
    livenessStart = clock.now();
    history.add({ k: 'phase', t: livenessStart, phase: 'liveness' });
    network.setFaults(networkFaults({ ...scenario.faults, 'drop-request': 0, 'drop-response': 0, duplicate: 0, delay: 0 }));
    network.healAll();
    front.heal();
    relay.kick();
    for (const d of devices) d.wake();
    // Admins open their consoles too (their next safety-phase sweep may be half an hour away, and
    // every device polls until the tenant is quiet).
    for (const a of admins) a.wake();
    scheduler.after(1_000, probe);
    scheduler.after(scenario.livenessMs, () => scheduler.stop());
  });

  for (const d of devices) d.start();
  for (const a of admins) a.start();
  await scheduler.run();

  // --- final read-back
  phase = 'final';
  const endMs = clock.now();
  history.add({ k: 'phase', t: endMs, phase: 'final' });
  const adminCtx = (tenantId: string) => ({ tenantId, actorId: `admin-${tenantId}`, roles: ['admin'] });
  for (const tenant of tenants) {
    const log = await server.readLog(tenant);
    const last = new Map<string, number>();
    for (const c of log) {
      const agg = c.aggregate.type + ':' + c.aggregate.id;
      history.add({ k: 'log', tenant, agg, version: c.version, op: c.op, eventId: c.eventId, cmid: c.clientMutationId });
      last.set(agg, c.version);
    }
    for (const [agg, version] of last) history.add({ k: 'final-agg', tenant, agg, version });
    // Both statuses, asked for explicitly (TR §6.6 lists open conflicts by default).
    for (const status of ['open', 'resolved'] as const) {
      const conflicts = await server.listConflicts(adminCtx(tenant), status);
      if (!conflicts.ok) throw new Error(`final read-back: listing ${status} conflicts of ${tenant} failed: ${conflicts.problem.type}`);
      for (const c of conflicts.value.conflicts) {
        history.add({
          k: 'final-conflict',
          tenant,
          conflictId: c.conflictId,
          cmid: c.clientMutationId,
          agg: c.aggregate.type + ':' + c.aggregate.id,
          status: c.status,
          phi: c.phi,
        });
      }
    }
    for (const a of await server.readAudit(tenant)) {
      const conflictId = a.sourceId.startsWith('conflict:') ? a.sourceId.slice('conflict:'.length) : null;
      history.add({ k: 'audit', tenant, seq: a.seq, action: a.action, conflictId, entity: null });
    }
  }
  for (const d of devices) {
    const f = d.finalState();
    history.add({ k: 'final-replica', dev: d.spec.id, tenant: d.spec.tenant, n: f.n, digest: f.digest });
    history.add({ k: 'final-queue', dev: d.spec.id, tenant: d.spec.tenant, pending: f.pending });
  }

  const pushes = history.countOf('push');
  const outcomes = history.countOf('outcome');
  const committed = history.countOf('capture');
  return {
    scenario,
    target: server.name,
    history,
    stats: {
      captures: committed,
      pushes,
      outcomes,
      events: broker.stats.stored,
      faults: faultCount,
      serverCrashes: front.stats.crashes,
      serverErrors: front.stats.serverErrors,
      warps,
      simulatedMs: endMs - startMs,
      schedulerEvents: scheduler.executed,
      livenessMs: endMs - livenessStart,
      livenessConverged: converged,
    },
  };
}

/** Runs a scenario and checks its history with every invariant. */
export async function runAndCheck(scenario: Scenario, factory: TargetFactory): Promise<CheckedRun> {
  const run = await runSimulation(scenario, factory);
  const results = checkHistory(run.history);
  return { ...run, results, hash: run.history.hash() };
}
