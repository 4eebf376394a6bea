/**
 * The requests of the pact consumer, built the way the simulator's offline client builds them:
 * payloads come from the simulator's workload model (`planMutation`, the same function a simulated
 * device calls when its user edits something), and mutations are numbered and enveloped the way
 * `OfflineDevice` queues and pushes them (clientSeq from 1 per client, baseVersion 0 for a create,
 * else the version the replica holds; body `{clientId, mutations}`). The device's queue and push
 * are private to its class, so the envelope is rebuilt here against the contract's generated types.
 *
 * Everything is derived from fixed seeds so the pact files come out byte-identical on every run.
 */
import type { components } from '../../../contracts/generated/sync-api.js';
import { planMutation, type KnownAggregates, type PlannedMutation } from '../../../simulators/src/client/workload.js';
import { createRandom, type Random } from '../../../simulators/src/env/random.js';
import type { SimMutation } from '../../../simulators/src/target/sim-server.js';

/** A mutation as the contract names it. */
export type Mutation = components['schemas']['Mutation'];
/** A push body as the contract names it. */
export type PushRequest = components['schemas']['PushRequest'];

const OPS: readonly Mutation['op'][] = ['create', 'update', 'append', 'adjust'];
/** The simulator's device bounds MRNs per tenant; any pool works for the plans drawn here. */
const MRN_POOL = 50;
/** Draws tried before {@link drawPlan} gives up: the workload makes every kind within a few dozen. */
const MAX_DRAWS = 10_000;

/** No plan of the wanted kind came out of the workload model. */
export class PlanNotFoundError extends Error {
  override name = 'PlanNotFoundError';
}

/**
 * Draws user actions from the simulator's workload model, one seed after another starting at
 * `seed`, until one satisfies `wanted`. The result depends only on the arguments.
 */
export function drawPlan(
  seed: number,
  wanted: (plan: PlannedMutation) => boolean,
  known: KnownAggregates = new Map(),
  authoredAt = '2026-11-20T09:30:00.000Z',
): PlannedMutation {
  for (let s = seed; s < seed + MAX_DRAWS; s++) {
    const root = createRandom(s);
    const plan = planMutation(root.fork('workload'), root.fork('ids'), known, authoredAt, MRN_POOL);
    if (wanted(plan)) return plan;
  }
  throw new PlanNotFoundError(`the workload model produced no wanted plan in ${MAX_DRAWS} draws from seed ${seed}`);
}

/** Converts a simulator mutation to the contract type, refusing an op the contract does not know. */
export function toContractMutation(m: SimMutation): Mutation {
  const op = OPS.find((o) => o === m.op);
  if (!op) throw new TypeError(`mutation ${m.clientMutationId}: op '${m.op}' is not in the contract`);
  return { ...m, aggregate: { ...m.aggregate }, op, payload: { ...m.payload } };
}

/** Identity of the simulated client installation. */
export interface ClientIdentity {
  /** Token subject of the user; every captured mutation carries it as `actorId`. */
  readonly actorId: string;
  /** Seed of the id stream (clientId and clientMutationIds). */
  readonly seed: number;
  /** Device clock reading stamped on captures. */
  readonly capturedAt: string;
}

/**
 * The outbound queue of one offline client: captures plans into numbered mutations and hands out
 * push bodies, as `OfflineDevice` does.
 */
export class OfflineClientQueue {
  readonly clientId: string;
  private readonly ids: Random;
  private nextSeq = 1;
  private readonly queued: Mutation[] = [];

  constructor(private readonly identity: ClientIdentity) {
    this.ids = createRandom(identity.seed).fork('client-ids');
    this.clientId = this.ids.uuid();
  }

  /**
   * Queues a planned mutation. `replicaVersion` is the version the client's replica holds for the
   * aggregate (ignored for a create, whose baseVersion is 0).
   */
  capture(plan: PlannedMutation, replicaVersion = 0): Mutation {
    const mutation = toContractMutation({
      clientMutationId: this.ids.uuid(),
      clientSeq: this.nextSeq++,
      aggregate: { type: plan.type, id: plan.id },
      op: plan.op,
      baseVersion: plan.creates ? 0 : replicaVersion,
      payload: plan.payload,
      capturedAt: this.identity.capturedAt,
      actorId: this.identity.actorId,
    });
    this.queued.push(mutation);
    return mutation;
  }

  /** The push body of everything queued (the device pushes its queue head in one batch). */
  pushBody(): PushRequest {
    return { clientId: this.clientId, mutations: this.queued.map((m) => ({ ...m })) };
  }
}
