/**
 * What an {@link OfflineDevice} runs on, kept apart from the device's logic: a clock, seeded
 * randomness and timers ({@link DeviceEnv}), and a transport for its three requests
 * ({@link DeviceLink}: token refresh, push, pull). The deterministic simulator supplies the SimEnv
 * and {@link simulatedDeviceLink} (the simulated network to the in-process server front); the
 * real-target mode (simulators/real-target) supplies real timers and a link over undici. The
 * device's queue, sequencing, reconciliation and backoff are the same code in both.
 */
import type { Clock } from '../env/clock.js';
import type { Random } from '../env/random.js';
import type { SimEnv } from '../env/sim-env.js';
import type { TimerHandle } from '../env/scheduler.js';
import { type FrontReply, type ServerFront, TOKEN_TTL_MS } from '../server/server-front.js';
import type { SimContext, SimMutation, SimOutcome, SimPullPage, SimResult } from '../target/sim-server.js';

/** Timers as a device uses them. */
export interface DeviceScheduler {
  /** Runs `action` after `delayMs` of the env's time; the handle cancels it. */
  after(delayMs: number, action: () => void): TimerHandle;
}

/** Clock, randomness and timers of a device (the SimEnv satisfies it). */
export interface DeviceEnv {
  readonly clock: Clock;
  readonly random: Random;
  readonly scheduler: DeviceScheduler;
}

/**
 * A reply as the device sees it: the server front's replies, plus `status: 0` — no answer at all
 * (connection refused or reset, a lost response surfaced as a network error). The simulated link
 * never produces it: a lost simulated message is silence, found by the device's request timeout.
 */
export type LinkReply<T> = FrontReply<T> | { readonly status: 0; readonly reason: string };

/** A push request body (TR §2.1). */
export interface PushBody {
  readonly clientId: string;
  readonly mutations: readonly SimMutation[];
}

/** What a push answers: outcomes or a whole-request problem. */
export type PushResult = SimResult<{ outcomes: readonly SimOutcome[] }>;

/**
 * What a pull answers: the page, and `commits` — a marker of how far the tenant's log had got when
 * the request was served, which the runner compares with {@link OfflineDevice.isQuiet} to tell
 * when a replica has caught up (the simulator counts commits; real-target mode uses an epoch).
 */
export interface PullReplyValue {
  readonly page: SimResult<SimPullPage>;
  readonly commits: number;
}

/** A fresh token and its lifetime (like OAuth `expires_in`, relative to the receiver's clock). */
export interface TokenGrant {
  /** Opaque to the device: handed back to the link on every request. */
  readonly token: unknown;
  readonly expiresInMs: number;
}

/**
 * The transport of one run's devices. Each call sends one request on behalf of device `endpoint`
 * and calls `onReply` when (and as often as) an answer arrives — possibly never.
 */
export interface DeviceLink {
  refresh(endpoint: string, ctx: SimContext, req: number, onReply: (reply: LinkReply<TokenGrant>) => void): void;
  push(endpoint: string, req: number, token: unknown, body: PushBody, onReply: (reply: LinkReply<PushResult>) => void): void;
  pull(
    endpoint: string,
    tenant: string,
    req: number,
    token: unknown,
    cursor: string | undefined,
    limit: number,
    onReply: (reply: LinkReply<PullReplyValue>) => void,
  ): void;
}

function countApplied(r: PushResult): number {
  if (!r.ok) return 0;
  let n = 0;
  for (const o of r.value.outcomes) if (o.status === 'applied' && o.replayed !== true) n++;
  return n;
}

/**
 * The simulator's link: requests and answers travel the SimEnv network (latency, drops, duplicates,
 * partitions) to the simulated server front, which calls the in-process server.
 */
export function simulatedDeviceLink(env: SimEnv, front: ServerFront): DeviceLink {
  const { network } = env;
  return {
    refresh(endpoint, ctx, _req, onReply) {
      network.send('request', endpoint, () => {
        if (!front.isUp()) return;
        const token = front.issueToken(ctx);
        network.send('response', endpoint, () => onReply({ status: 200, value: { token, expiresInMs: TOKEN_TTL_MS } }));
      });
    },
    push(endpoint, _req, token, body, onReply) {
      network.send('request', endpoint, () =>
        front.handle(
          token as Parameters<ServerFront['handle']>[0],
          (ctx) => front.server.push(ctx, body),
          countApplied,
          (reply) => network.send('response', endpoint, () => onReply(reply)),
          true,
        ),
      );
    },
    pull(endpoint, tenant, _req, token, cursor, limit, onReply) {
      network.send('request', endpoint, () =>
        front.handle(
          token as Parameters<ServerFront['handle']>[0],
          (ctx) => {
            const commits = front.commits.get(tenant) ?? 0;
            const r = front.server.pull(ctx, cursor, limit);
            return r instanceof Promise ? r.then((page) => ({ page, commits })) : { page: r, commits };
          },
          () => 0,
          (reply) => network.send('response', endpoint, () => onReply(reply)),
          false,
        ),
      );
    },
  };
}
