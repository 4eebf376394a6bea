/**
 * An offline-first client device: one local store per (tenant, actor). It captures mutations into
 * a durable outbound queue (per-client clientSeq, capture order kept per aggregate), pushes the
 * queue head in batches, reconciles every outcome (applied → replica; rejected and conflict →
 * surfaced to the user; blocked → waits and retries; out-of-order → renumbers and resends;
 * duplicate-expired → done), pulls the tenant's changes into its replica, refreshes its token, and
 * backs off with seeded jitter. A crash loses only volatile state (in-flight request, token,
 * timers); the queue, sequence counter, replica and cursor are durable.
 *
 * The device is network-agnostic: time, randomness and timers come from a {@link DeviceEnv} and
 * requests go through a {@link DeviceLink}. In the simulator those are the SimEnv and the simulated
 * network to the server front; the real-target mode (simulators/real-target) gives it real timers
 * and undici.
 */
import type { SimEnv } from '../env/sim-env.js';
import type { Clock } from '../env/clock.js';
import type { Random } from '../env/random.js';
import type { TimerHandle } from '../env/scheduler.js';
import type { History } from '../history/history.js';
import type { OutcomeEntry } from '../history/history-entry.js';
import { ReplicaDigest } from '../history/replica-digest.js';
import { Replica, aggregateNumbering } from './replica.js';
import type { ServerFront } from '../server/server-front.js';
import { type SimContext, type SimMutation, type SimOutcome, problemName } from '../target/sim-server.js';
import { type DeviceEnv, type DeviceLink, type LinkReply, type PullReplyValue, type PushResult, simulatedDeviceLink } from './device-link.js';
import { type KnownAggregates, type PlannedMutation, planMutation } from './workload.js';

/**
 * Plans a user's next action (the shape of {@link planMutation}): choices from `w`, identifiers from
 * `ids`, aggregates the device knows in `known`, the device's clock reading as `authoredAt`.
 */
export type MutationPlanner = (w: Random, ids: Random, known: KnownAggregates, authoredAt: string, mrnPool: number) => PlannedMutation;

/** Identity and quirks of one device. */
export interface DeviceSpec {
  readonly id: string;
  readonly tenant: string;
  readonly actor: string;
  readonly roles: readonly string[];
  readonly clientId: string;
  /** Device clock offset from true time, ms. */
  readonly skewMs: number;
  /** Random-stream key; clones share it with their original. */
  readonly streamKey: string;
}

/** Knobs shared by all devices of a run. */
export interface DeviceSettings {
  readonly captureGapMs: number;
  readonly crashBeforeCommit: number;
  readonly crashAfterCommit: number;
  readonly mrnPool: number;
}

/** What every device world offers, simulated or real. */
export interface DeviceWorldBase {
  readonly history: History;
  /** Current phase. */
  phase(): 'safety' | 'liveness' | 'final';
  /** Asks for permission to capture one more mutation (global cap). */
  takeCaptureSlot(): boolean;
  /** Next request number (history correlation). */
  nextReq(): number;
  /** The user asks the tenant admin to look at a conflict or a blocked change. */
  askAdmin(tenant: string): void;
}

/** What the device needs from the simulated world: the SimEnv and the server front it reaches over the simulated network. */
export interface DeviceWorld extends DeviceWorldBase {
  readonly env: SimEnv;
  readonly front: ServerFront;
}

/** A world with its own env and transport (real-target mode). */
export interface LinkedDeviceWorld extends DeviceWorldBase {
  readonly env: DeviceEnv;
  readonly link: DeviceLink;
  /** What users do (default: the clinic workload of {@link planMutation}). */
  readonly planner?: MutationPlanner;
}

interface Queued {
  readonly cmid: string;
  readonly aggKey: string;
  mutation: SimMutation;
  done: boolean;
}

interface Inflight {
  readonly req: number;
  readonly kind: 'push' | 'pull' | 'refresh';
  readonly timer: TimerHandle;
}

const BATCH = 50;
const PULL_LIMIT = 500;
/** How long a device waits for an answer before it counts the request as lost (virtual ms). */
export const REQUEST_TIMEOUT_MS = 10_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 300_000;
const LIVENESS_BACKOFF_MAX_MS = 5_000;
const TOKEN_MARGIN_MS = 60_000;
/** Mean captures per user session. */
const MEAN_BURST = 4;
/** After a push, pull only if the last complete pull is older than this (safety phase). */
const PULL_AFTER_PUSH_MS = 30_000;

/** One simulated device. */
export class OfflineDevice {
  // --- durable local store
  private queue: Queued[] = [];
  private queueHead = 0;
  private live = 0;
  private readonly byCmid = new Map<string, Queued>();
  private nextSeq = 1;
  /** The replica: the version held of each aggregate. */
  private readonly replica: Replica;
  private readonly known = new Map<string, string[]>();
  private readonly pendingByAgg = new Map<string, number>();
  private cursor: string | undefined;
  /** Changes pulled so far: the log position of the next one (durable, advances with the cursor). */
  private pulled = 0;
  // --- volatile
  /** Opaque to the device; the link made it. */
  private token: unknown = null;
  /** When the device believes its token expires, on its own clock (from `expires_in` at receipt). */
  private tokenLocalExpiry = 0;
  private inflight: Inflight | null = null;
  private syncTimer: TimerHandle | undefined;
  private syncAt = 0;
  private attempt = 0;
  private incarnation = 0;
  private down = false;
  private pullDue = true;
  private burstLeft = 0;
  private lastPullAt = Number.NEGATIVE_INFINITY;
  /** Tenant commits this device's replica has caught up with (last complete pull). */
  syncedCommits = -1;

  private readonly ctx: SimContext;
  private readonly env: DeviceEnv;
  private readonly link: DeviceLink;
  private readonly planner: MutationPlanner;
  private readonly clock: Clock;
  private readonly workload: Random;
  private readonly ids: Random;
  private readonly timing: Random;
  private readonly faults: Random;

  constructor(
    readonly spec: DeviceSpec,
    private readonly world: DeviceWorld | LinkedDeviceWorld,
    private readonly settings: DeviceSettings,
  ) {
    const env = world.env;
    this.env = env;
    this.link = 'link' in world ? world.link : simulatedDeviceLink(world.env, world.front);
    this.planner = ('planner' in world ? world.planner : undefined) ?? planMutation;
    this.ctx = { tenantId: spec.tenant, actorId: spec.actor, roles: spec.roles };
    this.replica = new Replica(aggregateNumbering(world, spec.tenant));
    this.clock = { now: () => env.clock.now() + spec.skewMs };
    this.workload = env.random.fork(`workload:${spec.streamKey}`);
    this.ids = env.random.fork(`ids:${spec.streamKey}`);
    this.timing = env.random.fork(`timing:${spec.streamKey}`);
    this.faults = env.random.fork(`device-faults:${spec.id}`);
  }

  /** Starts capturing and syncing. */
  start(): void {
    this.scheduleCapture();
    this.requestSync(this.timing.int(0, 5_000));
  }

  /** Liveness phase: forget backoff and sync now. */
  wake(): void {
    this.attempt = 0;
    if (!this.down) this.requestSync(this.timing.int(0, 1_000));
  }

  /**
   * True when nothing is queued and the replica caught up with `commits`. A periodic pull in
   * flight does not count: with many devices one is almost always mid-request.
   */
  isQuiet(commits: number): boolean {
    return !this.down && this.live === 0 && this.syncedCommits === commits;
  }

  /** Number of queued mutations. */
  get queued(): number {
    return this.live;
  }

  /** Final read-back: replica digest and the queue. */
  finalState(): { n: number; digest: string; pending: string[] } {
    const d = new ReplicaDigest();
    this.replica.digestInto(d);
    const pending: string[] = [];
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const q = this.queue[i] as Queued;
      if (!q.done) pending.push(q.cmid);
    }
    return { n: d.n, digest: d.toString(), pending };
  }

  // ------------------------------------------------------------------ capture

  private scheduleCapture(): void {
    // Users work in sessions: a burst of a few edits seconds apart, then a pause. Sessions arrive
    // as a Poisson stream whose rate keeps the mean gap per capture at `captureGapMs`.
    let gap: number;
    if (this.burstLeft > 0) {
      this.burstLeft--;
      gap = this.timing.int(1_000, 15_000);
    } else {
      this.burstLeft = this.timing.int(0, 2 * (MEAN_BURST - 1));
      const sessionGap = this.settings.captureGapMs * MEAN_BURST;
      gap = Math.max(1, Math.round(-Math.log(1 - this.timing.float()) * sessionGap));
    }
    this.env.scheduler.after(gap, () => this.capture());
  }

  private capture(): void {
    if (this.world.phase() !== 'safety') return;
    if (this.down) {
      this.scheduleCapture();
      return;
    }
    if (!this.world.takeCaptureSlot()) return;
    // One reading of the device clock serves as the plan's authoring time and the capture time.
    const capturedAt = new Date(this.clock.now()).toISOString();
    const plan = this.planner(this.workload, this.ids, this.known, capturedAt, this.settings.mrnPool);
    const cmid = this.ids.uuid();
    const env = this.env;
    if (this.faults.chance(this.settings.crashBeforeCommit)) {
      this.world.history.add({ k: 'capture-aborted', t: env.clock.now(), dev: this.spec.id, tenant: this.spec.tenant, cmid });
      this.crash('client-crash-before-commit');
      this.scheduleCapture();
      return;
    }
    const aggKey = plan.type + ':' + plan.id;
    const pending = this.pendingByAgg.get(aggKey) ?? 0;
    const base = plan.creates ? 0 : (this.versionOf(plan.type, plan.id) ?? 0) + pending;
    const seq = this.nextSeq++;
    const mutation: SimMutation = {
      clientMutationId: cmid,
      clientSeq: seq,
      aggregate: { type: plan.type, id: plan.id },
      op: plan.op,
      baseVersion: base,
      payload: plan.payload,
      capturedAt,
      actorId: this.spec.actor,
    };
    // The local commit: queue entry, sequence counter and pending count change together.
    const q: Queued = { cmid, aggKey, mutation, done: false };
    this.queue.push(q);
    this.byCmid.set(cmid, q);
    this.live++;
    this.pendingByAgg.set(aggKey, pending + 1);
    if (plan.creates && pending === 0 && this.versionOf(plan.type, plan.id) === undefined) this.learn(plan.type, plan.id);
    this.world.history.add({
      k: 'capture',
      t: env.clock.now(),
      dev: this.spec.id,
      tenant: this.spec.tenant,
      actor: this.spec.actor,
      client: this.spec.clientId,
      cmid,
      seq,
      agg: aggKey,
      op: plan.op,
      base,
    });
    if (this.faults.chance(this.settings.crashAfterCommit)) {
      this.crash('client-crash-after-commit');
    } else if (this.attempt === 0) {
      // Debounced: a burst of edits goes out in one push.
      this.requestSync(this.timing.int(2_000, 20_000));
    }
    this.scheduleCapture();
  }

  private versionOf(type: string, id: string): number | undefined {
    return this.replica.versionOf(type, id);
  }

  /** Moves the replica's version of an aggregate up to `version`; true if it was unknown before. */
  private raise(type: string, id: string, version: number): boolean {
    return this.replica.raise(type, id, version);
  }

  private learn(type: string, id: string): void {
    let list = this.known.get(type);
    if (list === undefined) this.known.set(type, (list = []));
    list.push(id);
  }

  // ------------------------------------------------------------------ crash

  private crash(fault: string): void {
    const env = this.env;
    const now = env.clock.now();
    this.world.history.add({ k: 'fault', t: now, fault, target: this.spec.id });
    this.world.history.add({ k: 'crash', t: now, dev: this.spec.id });
    this.incarnation++;
    this.down = true;
    this.token = null;
    if (this.inflight !== null) {
      this.inflight.timer.cancel();
      this.world.history.add({ k: 'unknown', t: now, dev: this.spec.id, req: this.inflight.req, reason: 'crash' });
      this.inflight = null;
    }
    this.syncTimer?.cancel();
    this.syncTimer = undefined;
    this.attempt = 0;
    this.pullDue = true;
    env.scheduler.after(this.faults.int(1_000, 120_000), () => {
      this.down = false;
      this.world.history.add({ k: 'restart', t: env.clock.now(), dev: this.spec.id });
      this.requestSync(0);
    });
  }

  // ------------------------------------------------------------------ sync loop

  private requestSync(delayMs: number): void {
    if (this.down) return;
    const scheduler = this.env.scheduler;
    const at = this.env.clock.now() + delayMs;
    if (this.syncTimer !== undefined && !this.syncTimer.cancelled && this.syncAt <= at) return;
    this.syncTimer?.cancel();
    this.syncAt = at;
    this.syncTimer = scheduler.after(delayMs, () => {
      this.syncTimer = undefined;
      this.sync();
    });
  }

  private periodMs(): number {
    return this.world.phase() === 'safety' ? this.timing.int(30_000, 300_000) : this.timing.int(2_000, 5_000);
  }

  private backoff(): void {
    this.attempt++;
    this.requestSync(this.backoffDelay());
  }

  /** Exponential backoff with seeded jitter for the current attempt count. */
  private backoffDelay(): number {
    const cap = this.world.phase() === 'safety' ? BACKOFF_MAX_MS : LIVENESS_BACKOFF_MAX_MS;
    const raw = Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.min(this.attempt, 20));
    return Math.round(raw * (0.5 + 0.5 * this.timing.float()));
  }

  private sync(): void {
    if (this.down || this.inflight !== null || this.world.phase() === 'final') return;
    if (this.token === null || this.clock.now() >= this.tokenLocalExpiry - TOKEN_MARGIN_MS) {
      this.refresh();
      return;
    }
    if (!this.pullDue && this.live > 0) this.push();
    else this.pull();
  }

  private startRequest(kind: Inflight['kind']): number {
    const req = this.world.nextReq();
    const timer = this.env.scheduler.after(REQUEST_TIMEOUT_MS, () => this.onTimeout(req));
    this.inflight = { req, kind, timer };
    return req;
  }

  private finish(): void {
    if (this.inflight !== null) this.inflight.timer.cancel();
    this.inflight = null;
  }

  private onTimeout(req: number): void {
    if (this.inflight === null || this.inflight.req !== req) return;
    if (this.inflight.kind === 'push') {
      this.world.history.add({ k: 'unknown', t: this.env.clock.now(), dev: this.spec.id, req, reason: 'timeout' });
    }
    this.inflight = null;
    this.backoff();
  }

  // ------------------------------------------------------------------ token

  private refresh(): void {
    const req = this.startRequest('refresh');
    const inc = this.incarnation;
    this.link.refresh(this.spec.id, this.ctx, req, (reply) => {
      if (inc !== this.incarnation || this.inflight === null || this.inflight.req !== req) return;
      if (reply.status !== 200) {
        // No token this time (identity provider unreachable): like a lost answer, try again later.
        this.finish();
        this.backoff();
        return;
      }
      this.token = reply.value.token;
      // Like OAuth `expires_in`: relative to the device's own clock, so a skewed clock cannot
      // make a fresh token look expired (or an expired one look fresh for long).
      this.tokenLocalExpiry = this.clock.now() + reply.value.expiresInMs;
      this.finish();
      this.attempt = 0;
      this.sync();
    });
  }

  // ------------------------------------------------------------------ push

  private push(): void {
    const batch: SimMutation[] = [];
    const cmids: string[] = [];
    let skipped = 0;
    for (let i = this.queueHead; i < this.queue.length && batch.length < BATCH; i++) {
      const q = this.queue[i] as Queued;
      if (q.done) {
        skipped++;
        continue;
      }
      batch.push(q.mutation);
      cmids.push(q.cmid);
    }
    // A blocked mutation at the head keeps settled ones behind it in the queue, and every push
    // would walk them again: drop them once they outnumber what the push took.
    if (skipped > 64 && skipped > batch.length) this.compactQueue();
    const req = this.startRequest('push');
    const inc = this.incarnation;
    const token = this.token;
    const env = this.env;
    this.world.history.add({ k: 'push', t: env.clock.now(), dev: this.spec.id, tenant: this.spec.tenant, req, cmids });
    const body = { clientId: this.spec.clientId, mutations: batch };
    this.link.push(this.spec.id, req, token, body, (reply) => this.onPushReply(inc, req, reply));
  }

  private onPushReply(inc: number, req: number, reply: LinkReply<PushResult>): void {
    if (inc !== this.incarnation) return; // the process that sent it is gone
    const now = this.env.clock.now();
    const current = this.inflight !== null && this.inflight.req === req;
    const history = this.world.history;
    if (reply.status === 0) {
      // No answer (network error): the outcome is unknown, as after a timeout.
      if (current) {
        history.add({ k: 'unknown', t: now, dev: this.spec.id, req, reason: reply.reason });
        this.finish();
        this.backoff();
      }
      return;
    }
    if (reply.status === 500) {
      history.add({ k: 'request-error', t: now, dev: this.spec.id, req, status: 500, problem: 'internal-error' });
      if (current) {
        this.finish();
        this.backoff();
      }
      return;
    }
    if (reply.status === 401) {
      history.add({ k: 'request-error', t: now, dev: this.spec.id, req, status: 401, problem: 'unauthorized' });
      if (current) {
        this.token = null;
        this.finish();
        this.requestSync(0);
      }
      return;
    }
    const result = reply.value;
    if (!result.ok) {
      history.add({ k: 'request-error', t: now, dev: this.spec.id, req, status: result.problem.status, problem: problemName(result.problem) });
      if (current) {
        this.finish();
        this.backoff();
      }
      return;
    }
    let progress = 0;
    for (const o of result.value.outcomes) {
      history.add(outcomeEntry(now, this.spec.id, this.spec.tenant, req, o));
      const q = this.byCmid.get(o.clientMutationId);
      if (q === undefined || q.done) continue;
      switch (o.status) {
        case 'applied': {
          this.settle(q);
          if (o.newVersion !== undefined) this.raise(q.mutation.aggregate.type, q.mutation.aggregate.id, o.newVersion);
          progress++;
          break;
        }
        case 'rejected':
          if (problemName(o.problem) === 'out-of-order') {
            if (current) this.renumber(q, o.problem?.expectedSeq);
            break;
          }
          this.settle(q);
          this.surface(q, `rejected:${problemName(o.problem)}`);
          progress++;
          break;
        case 'conflict':
          this.world.askAdmin(this.spec.tenant);
          this.settle(q);
          this.surface(q, `conflict:${o.policy ?? 'unknown'}`);
          progress++;
          break;
        case 'duplicate-expired':
          this.settle(q);
          this.surface(q, 'duplicate-expired');
          progress++;
          break;
        case 'blocked':
          this.world.askAdmin(this.spec.tenant);
          break; // stays queued until the conflict is resolved
        default:
          break; // not-processed: stays queued
      }
    }
    if (!current) return;
    this.finish();
    const now2 = this.env.clock.now();
    if (this.world.phase() !== 'safety' || now2 - this.lastPullAt >= PULL_AFTER_PUSH_MS) this.pullDue = true;
    if (progress > 0) {
      this.attempt = 0;
      this.requestSync(this.live > 0 || this.pullDue ? 10 : this.periodMs());
    } else {
      this.backoff(); // everything blocked: wait for the conflict's resolution
    }
  }

  private settle(q: Queued): void {
    q.done = true;
    this.byCmid.delete(q.cmid);
    this.live--;
    const n = (this.pendingByAgg.get(q.aggKey) ?? 1) - 1;
    if (n <= 0) this.pendingByAgg.delete(q.aggKey);
    else this.pendingByAgg.set(q.aggKey, n);
    while (this.queueHead < this.queue.length && (this.queue[this.queueHead] as Queued).done) this.queueHead++;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  /** Removes settled entries from the queue, keeping the order of the others. */
  private compactQueue(): void {
    const kept: Queued[] = [];
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const q = this.queue[i] as Queued;
      if (!q.done) kept.push(q);
    }
    this.queue = kept;
    this.queueHead = 0;
  }

  private surface(q: Queued, reason: string): void {
    this.world.history.add({ k: 'surface', t: this.env.clock.now(), dev: this.spec.id, tenant: this.spec.tenant, cmid: q.cmid, reason });
  }

  /**
   * Out-of-order: the server expects `expectedSeq` but got a later number, so a number was lost
   * (never sent). Renumber the not-yet-accepted tail of the queue from `expectedSeq`, keeping order.
   */
  private renumber(from: Queued, expectedSeq: number | undefined): void {
    if (expectedSeq === undefined || expectedSeq >= from.mutation.clientSeq) return;
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const q = this.queue[i] as Queued;
      if (!q.done && q.mutation.clientSeq >= expectedSeq && q.mutation.clientSeq < from.mutation.clientSeq) return;
    }
    let seq = expectedSeq;
    let started = false;
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const q = this.queue[i] as Queued;
      if (q === from) started = true;
      if (!started || q.done) continue;
      q.mutation = { ...q.mutation, clientSeq: seq++ };
    }
    this.nextSeq = seq;
    this.world.history.add({ k: 'fault', t: this.env.clock.now(), fault: 'client-renumber', target: this.spec.id, detail: expectedSeq });
  }

  // ------------------------------------------------------------------ pull

  private pull(): void {
    const req = this.startRequest('pull');
    const inc = this.incarnation;
    const token = this.token;
    const cursor = this.cursor;
    this.link.pull(this.spec.id, this.spec.tenant, req, token, cursor, PULL_LIMIT, (reply) => this.onPullReply(inc, req, reply));
  }

  private onPullReply(inc: number, req: number, reply: LinkReply<PullReplyValue>): void {
    if (inc !== this.incarnation || this.inflight === null || this.inflight.req !== req) return; // stale page
    if (reply.status === 500 || reply.status === 0) {
      this.finish();
      this.backoff();
      return;
    }
    if (reply.status === 401) {
      this.token = null;
      this.finish();
      this.requestSync(0);
      return;
    }
    const { page, commits } = reply.value;
    if (!page.ok) {
      this.world.history.add({
        k: 'request-error',
        t: this.env.clock.now(),
        dev: this.spec.id,
        req,
        status: page.problem.status,
        problem: problemName(page.problem),
      });
      this.finish();
      this.backoff();
      return;
    }
    const changes = page.value.changes;
    for (let k = 0; k < changes.length; k++) {
      const c = changes[k] as (typeof changes)[number];
      const { type, id } = c.aggregate;
      if (!this.replica.raisePulled(this.pulled + k, type, id, c.version)) continue;
      // First sight of an aggregate someone else created: users may now work on it.
      if (!this.pendingByAgg.has(type + ':' + id)) this.learn(type, id);
    }
    this.pulled += changes.length;
    this.cursor = page.value.nextCursor;
    this.finish();
    if (page.value.hasMore) {
      this.requestSync(1);
      return;
    }
    this.pullDue = false;
    this.lastPullAt = this.env.clock.now();
    this.syncedCommits = commits;
    // A queue that only holds blocked mutations keeps its backoff; a pull is not progress.
    if (this.live === 0) {
      this.attempt = 0;
      this.requestSync(this.periodMs());
    } else {
      this.requestSync(this.attempt > 0 ? this.backoffDelay() : 10);
    }
  }
}

function outcomeEntry(t: number, dev: string, tenant: string, req: number, o: SimOutcome): OutcomeEntry {
  // Optional members assigned in the order the history lists them (its JSON lines are hashed),
  // rather than spread from temporary objects: one allocation per outcome.
  const e: Mutable<OutcomeEntry> = { k: 'outcome', t, dev, tenant, req, cmid: o.clientMutationId, status: o.status };
  if (o.newVersion !== undefined) e.version = o.newVersion;
  if (o.eventId !== undefined) e.eventId = o.eventId;
  if (o.conflictId !== undefined) e.conflictId = o.conflictId;
  if (o.problem !== undefined) e.problem = problemName(o.problem);
  if (o.replayed === true) e.replayed = true;
  return e;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
