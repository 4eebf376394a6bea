/**
 * The server's front door in the simulation: what an HTTP layer would do around the core — refuse
 * expired tokens with 401, be unreachable while the process is down — plus the server-side faults:
 * a crash after the core committed and before the answer left (state survives, the answer is
 * lost, the relay's memory is gone). It also counts commits per tenant so the liveness phase can
 * tell when every replica has caught up.
 */
import type { SimEnv } from '../env/sim-env.js';
import type { Random } from '../env/random.js';
import type { History } from '../history/history.js';
import type { MaybePromise, SimContext, SimServer } from '../target/sim-server.js';
import type { OutboxRelayModel } from './outbox-relay-model.js';

/** A bearer token as the simulation models it: who, and until when (true virtual time). */
export interface SimToken {
  readonly ctx: SimContext;
  readonly expiresAt: number;
}

/** What came back for a request. */
export type FrontReply<T> =
  | { readonly status: 200; readonly value: T }
  | { readonly status: 401 }
  /** The core threw: an HTTP layer answers 500 internal-error and nothing is recorded. */
  | { readonly status: 500; readonly message: string };

/** Token lifetime. */
export const TOKEN_TTL_MS = 3_600_000;

/** The simulated front door. */
export class ServerFront {
  private downUntil = 0;
  private readonly crashRandom: Random;
  private crashProbability: number;
  /** Commits (applied changes) per tenant, as the front saw them. */
  readonly commits = new Map<string, number>();
  relay: OutboxRelayModel | undefined;
  readonly stats = { requests: 0, unauthorized: 0, crashes: 0, refusedWhileDown: 0, serverErrors: 0 };

  constructor(
    private readonly env: SimEnv,
    readonly server: SimServer,
    private readonly history: History,
    crashProbability: number,
  ) {
    this.crashRandom = env.random.fork('server-crash');
    this.crashProbability = crashProbability;
  }

  /** Turns the crash fault off (liveness phase). */
  heal(): void {
    this.crashProbability = 0;
    this.downUntil = 0;
  }

  /** Whether the server process is up now. */
  isUp(): boolean {
    return this.env.clock.now() >= this.downUntil;
  }

  /** Issues a token for `ctx` valid from now. */
  issueToken(ctx: SimContext): SimToken {
    return { ctx, expiresAt: this.env.clock.now() + TOKEN_TTL_MS };
  }

  /** Adds `n` commits to a tenant's counter (the core reported applied changes). */
  noteCommits(tenantId: string, n: number): void {
    if (n <= 0) return;
    this.commits.set(tenantId, (this.commits.get(tenantId) ?? 0) + n);
    this.relay?.kick();
  }

  /**
   * Handles one request that reached the server. `call` runs the core; `countCommits` says how
   * many changes its result committed; `reply` sends the answer back (over the network). Returns
   * without replying when the process is down or crashes after committing.
   */
  handle<T>(
    token: SimToken | null,
    call: (ctx: SimContext) => MaybePromise<T>,
    countCommits: (result: T) => number,
    reply: (r: FrontReply<T>) => void,
    canCrash: boolean,
  ): void | Promise<void> {
    this.stats.requests++;
    const now = this.env.clock.now();
    if (now < this.downUntil) {
      this.stats.refusedWhileDown++;
      return;
    }
    if (token === null || token.expiresAt <= now) {
      this.stats.unauthorized++;
      reply({ status: 401 });
      return;
    }
    let pending: MaybePromise<T>;
    try {
      pending = call(token.ctx);
    } catch (err) {
      this.fail(err, reply);
      return;
    }
    // Synchronous cores (the usual case) finish here without a closure per request.
    if (!(pending instanceof Promise)) return this.answer(token, pending, countCommits, reply, canCrash);
    return pending.then(
      (result) => this.answer(token, result, countCommits, reply, canCrash),
      (err: unknown) => this.fail(err, reply),
    );
  }

  /** The core threw: an HTTP layer answers 500 internal-error and nothing is recorded. */
  private fail<T>(err: unknown, reply: (r: FrontReply<T>) => void): void {
    const message = err instanceof Error ? err.message : String(err);
    this.stats.serverErrors++;
    this.history.add({ k: 'fault', t: this.env.clock.now(), fault: 'server-exception', target: 'server', detail: message.slice(0, 200) });
    reply({ status: 500, message });
  }

  /** The core decided: count its commits, maybe crash before answering, else answer. */
  private answer<T>(token: SimToken, result: T, countCommits: (result: T) => number, reply: (r: FrontReply<T>) => void, canCrash: boolean): void {
    this.noteCommits(token.ctx.tenantId, countCommits(result));
    if (canCrash && this.crashRandom.chance(this.crashProbability)) {
      const downFor = this.crashRandom.int(500, 30_000);
      this.downUntil = this.env.clock.now() + downFor;
      this.stats.crashes++;
      this.history.add({ k: 'fault', t: this.env.clock.now(), fault: 'server-crash', target: 'server', detail: downFor });
      this.relay?.crash();
      this.relay?.kick();
      return;
    }
    reply({ status: 200, value: result });
  }
}
