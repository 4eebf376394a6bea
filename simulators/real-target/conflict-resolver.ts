/**
 * The humans who resolve conflicts in a real-target run, one per tenant (the real-time counterpart
 * of the simulator's TenantAdmin): lists the tenant's open conflicts (TR §6.6) when a user asked
 * for help and now and then, and resolves some of them during the safety phase and all of them in
 * the liveness phase — as the tenant's admin, or, without one, as the user whose mutation opened
 * the conflict (Deviation 7 allows both). A refused resolution is retried with the other choice.
 * Its requests take the fault-free path: it helps the run make progress, it is not under test.
 */
import type { Dispatcher } from 'undici';
import type { Random } from '../src/env/random.js';
import type { History } from '../src/history/history.js';
import type { RealTimeEnv } from './real-time-env.js';
import type { Principal, TokenProvider } from './http-device-link.js';
import { type Endpoint, failureReason, jsonRequest } from './json-http.js';

const RESOLUTIONS = ['take-client', 'keep-server'] as const;
/** Sweep intervals in virtual ms (the env compresses them). */
const SAFETY_SWEEP_MS: readonly [number, number] = [60_000, 180_000];
const LIVENESS_SWEEP_MS: readonly [number, number] = [2_000, 5_000];

/** Options of {@link ConflictResolver}. */
export interface ConflictResolverOptions {
  readonly tenant: string;
  /** Lists conflicts (any member of the tenant may). */
  readonly lister: Principal;
  /** Resolves any conflict; without it each conflict is resolved by its owner. */
  readonly admin?: Principal;
  /** The principal whose device has this client id. */
  ownerOf(clientId: string): Principal | undefined;
  readonly tokens: TokenProvider;
  readonly dispatcher: Dispatcher;
  readonly endpoint: Endpoint;
  readonly module: string;
  readonly env: RealTimeEnv;
  readonly random: Random;
  readonly history: History;
  phase(): 'safety' | 'liveness' | 'final';
  epoch(): number;
  /** Probability that an open conflict is resolved on one safety-phase sweep. */
  readonly resolveRate: number;
}

interface OpenConflict {
  readonly conflictId: string;
  readonly clientId: string;
}

/** One tenant's conflict resolver. */
export class ConflictResolver {
  private dirty = false;
  private sweeping = false;
  private idleSweeps = 0;
  private readonly tries = new Map<string, number>();
  /** Open conflicts seen by the last complete sweep, and the epoch it started in. */
  private lastOpen = -1;
  private lastEpoch = -1;

  constructor(private readonly o: ConflictResolverOptions) {}

  /** Starts the sweep loop. */
  start(): void {
    this.schedule();
  }

  /** A user reported a conflict or a blocked change. */
  notify(): void {
    this.dirty = true;
  }

  /** Liveness: sweep now. */
  wake(): void {
    this.dirty = true;
    this.o.env.after(0, () => void this.sweep());
  }

  /** True when a sweep started in `epoch` found no open conflict. */
  isQuiet(epoch: number): boolean {
    return this.lastOpen === 0 && this.lastEpoch === epoch;
  }

  private schedule(): void {
    const phase = this.o.phase();
    if (phase === 'final') return;
    const [min, max] = phase === 'safety' ? SAFETY_SWEEP_MS : LIVENESS_SWEEP_MS;
    this.o.env.after(this.o.random.int(min, max), () => {
      void this.sweep().finally(() => this.schedule());
    });
  }

  private async sweep(): Promise<void> {
    const phase = this.o.phase();
    if (phase === 'final' || this.sweeping) return;
    this.idleSweeps++;
    if (phase === 'safety' && !this.dirty && this.lastOpen === 0 && this.idleSweeps < 4) return;
    this.sweeping = true;
    this.dirty = false;
    this.idleSweeps = 0;
    const epoch = this.o.epoch();
    try {
      const open = await this.listOpen();
      if (open === undefined) return;
      const all = this.o.phase() !== 'safety';
      await Promise.all(open.filter(() => all || this.o.random.chance(this.o.resolveRate)).map((c) => this.resolve(c)));
      this.lastOpen = open.length;
      this.lastEpoch = epoch;
    } finally {
      this.sweeping = false;
    }
  }

  private async listOpen(): Promise<OpenConflict[] | undefined> {
    try {
      const token = await this.o.tokens(this.o.lister);
      const a = await jsonRequest(this.o.dispatcher, this.o.endpoint, { method: 'GET', path: `/v1/sync/${this.o.module}/conflicts?status=open`, token });
      const list = (a.body as { conflicts?: unknown } | undefined)?.conflicts;
      if (a.status !== 200 || !Array.isArray(list)) return undefined;
      return (list as { conflictId?: unknown; clientId?: unknown; status?: unknown }[])
        .filter((c) => typeof c.conflictId === 'string' && c.status !== 'resolved')
        .map((c) => ({ conflictId: c.conflictId as string, clientId: String(c.clientId) }));
    } catch {
      return undefined;
    }
  }

  private async resolve(c: OpenConflict): Promise<void> {
    const who = this.o.admin ?? this.o.ownerOf(c.clientId);
    if (who === undefined) return;
    const n = this.tries.get(c.conflictId) ?? this.o.random.int(0, 1);
    this.tries.set(c.conflictId, n + 1);
    const resolution = RESOLUTIONS[n % RESOLUTIONS.length] as string;
    const record = (status: string, version?: number): void =>
      this.o.history.add({
        k: 'resolve',
        t: this.o.env.now(),
        tenant: this.o.tenant,
        conflictId: c.conflictId,
        resolution,
        status,
        ...(version !== undefined ? { version } : {}),
      });
    try {
      const token = await this.o.tokens(who);
      this.o.history.add({ k: 'resolve-call', t: this.o.env.now(), tenant: this.o.tenant, conflictId: c.conflictId, resolution });
      const a = await jsonRequest(this.o.dispatcher, this.o.endpoint, {
        method: 'POST',
        path: `/v1/sync/${this.o.module}/conflicts/${encodeURIComponent(c.conflictId)}/resolve`,
        token,
        body: { resolution },
      });
      if (this.o.phase() === 'final') return;
      if (a.status === 200) {
        const v = (a.body as { newVersion?: unknown } | undefined)?.newVersion;
        record('resolved', typeof v === 'number' ? v : undefined);
      } else {
        const type = (a.body as { type?: unknown } | undefined)?.type;
        record(typeof type === 'string' ? type.slice(type.lastIndexOf('/') + 1) : `http-${a.status}`);
      }
    } catch (err) {
      if (this.o.phase() !== 'final') record(`unknown:${failureReason(err)}`);
    }
  }
}
