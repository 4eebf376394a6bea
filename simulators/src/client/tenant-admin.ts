/**
 * A tenant's admin console: sweeps the open conflicts now and then and resolves some of them
 * (all of them in the liveness phase), over the same faulty network as the devices. A resolution
 * the server refuses on business grounds is retried later with the other choice.
 */
import type { SimEnv } from '../env/sim-env.js';
import type { Random } from '../env/random.js';
import type { History } from '../history/history.js';
import type { TimerHandle } from '../env/scheduler.js';
import type { ServerFront, SimToken } from '../server/server-front.js';
import { type SimConflict, type SimResult, problemName } from '../target/sim-server.js';

const RESOLUTIONS = ['take-client', 'keep-server'] as const;

/** What the admin needs from the world. */
export interface AdminWorld {
  readonly env: SimEnv;
  readonly history: History;
  readonly front: ServerFront;
  phase(): 'safety' | 'liveness' | 'final';
}

/** One tenant's admin. */
export class TenantAdmin {
  private readonly token: SimToken;
  private readonly random: Random;
  private readonly endpoint: string;
  private readonly tries = new Map<string, number>();
  private readonly sent = new Set<string>();
  private dirty = false;
  private idleChecks = 0;
  /** The next sweep (one chain of sweeps per admin). */
  private timer: TimerHandle | undefined;
  /** Open conflicts seen by the last answered sweep, and the tenant's commits at that moment. */
  lastOpen = -1;
  lastCommits = -1;

  constructor(
    readonly tenant: string,
    private readonly world: AdminWorld,
    private readonly resolveRate: number,
  ) {
    this.token = { ctx: { tenantId: tenant, actorId: `admin-${tenant}`, roles: ['admin'] }, expiresAt: Number.POSITIVE_INFINITY };
    this.random = world.env.random.fork(`admin:${tenant}`);
    this.endpoint = `admin:${tenant}`;
  }

  /** Starts sweeping. */
  start(): void {
    this.schedule();
  }

  /** True when the last sweep saw no open conflict and nothing committed since. */
  isQuiet(commits: number): boolean {
    return this.lastOpen === 0 && this.lastCommits === commits;
  }

  /**
   * Liveness phase: the admin opens the console now instead of at the next safety-phase sweep
   * (up to half an hour away, while every device of the tenant polls until the tenant is quiet).
   * The pending sweep is replaced, not doubled, and the first look lists the open conflicts.
   */
  wake(): void {
    if (this.world.phase() === 'final') return;
    this.dirty = true;
    this.timer?.cancel();
    this.timer = this.world.env.scheduler.after(this.random.int(0, 1_000), () => this.sweep());
  }

  /** A user of the tenant reported a conflict or a blocked change (the app's "ask an admin"). */
  notify(): void {
    this.dirty = true;
  }

  private schedule(): void {
    const phase = this.world.phase();
    if (phase === 'final') return;
    const delay = phase === 'safety' ? this.random.int(600_000, 1_800_000) : this.random.int(10_000, 30_000);
    this.timer = this.world.env.scheduler.after(delay, () => this.sweep());
  }

  private sweep(): void {
    const { env, front } = this.world;
    const phase = this.world.phase();
    if (phase === 'final') return;
    // Sweep when users asked for help, when the last look found open conflicts, and otherwise
    // now and then (every ~2 h in safety, every ~2 min in liveness) to catch anything missed.
    this.idleChecks++;
    const due = this.dirty || this.lastOpen !== 0 || this.idleChecks >= 5;
    if (!due) {
      this.schedule();
      return;
    }
    this.dirty = false;
    this.idleChecks = 0;
    this.sent.clear();
    env.network.send('request', this.endpoint, () =>
      front.handle(
        this.token,
        (ctx) => {
          const commits = front.commits.get(this.tenant) ?? 0;
          const r = front.server.listConflicts(ctx, 'open');
          return r instanceof Promise ? r.then((list) => ({ list, commits })) : { list: r, commits };
        },
        () => 0,
        (reply) => env.network.send('response', this.endpoint, () => {
          if (reply.status === 200) this.onList(reply.value.list, reply.value.commits);
        }),
        false,
      ),
    );
    this.schedule();
  }

  private onList(list: SimResult<{ conflicts: readonly SimConflict[] }>, commits: number): void {
    if (!list.ok) return;
    this.lastOpen = list.value.conflicts.length;
    this.lastCommits = commits;
    const all = this.world.phase() !== 'safety';
    for (const c of list.value.conflicts) {
      if (this.sent.has(c.conflictId)) continue;
      if (all || this.random.chance(this.resolveRate)) {
        this.sent.add(c.conflictId);
        this.resolve(c);
      }
    }
  }

  private resolve(c: SimConflict): void {
    const { env, front, history } = this.world;
    const n = this.tries.get(c.conflictId) ?? this.random.int(0, 1);
    this.tries.set(c.conflictId, n + 1);
    const resolution = RESOLUTIONS[n % RESOLUTIONS.length] as string;
    history.add({ k: 'resolve-call', t: env.clock.now(), tenant: this.tenant, conflictId: c.conflictId, resolution });
    env.network.send('request', this.endpoint, () =>
      front.handle(
        this.token,
        (ctx) => front.server.resolve(ctx, c.conflictId, { resolution }),
        (r) => (r.ok ? 1 : 0),
        (reply) =>
          env.network.send('response', this.endpoint, () => {
            if (reply.status === 500) {
              history.add({ k: 'resolve', t: env.clock.now(), tenant: this.tenant, conflictId: c.conflictId, resolution, status: 'internal-error' });
              return;
            }
            if (reply.status !== 200) return;
            const r = reply.value;
            history.add({
              k: 'resolve',
              t: env.clock.now(),
              tenant: this.tenant,
              conflictId: c.conflictId,
              resolution,
              status: r.ok ? 'resolved' : problemName(r.problem),
              ...(r.ok ? { version: r.value.newVersion } : {}),
            });
          }),
        true,
      ),
    );
  }
}
