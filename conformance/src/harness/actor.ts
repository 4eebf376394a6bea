/**
 * A principal talking to the target: attaches its bearer token, builds mutations with fresh ids and
 * per-client sequence numbers, and reads push outcomes. Every check acts through actors.
 */
import { randomUUID } from 'node:crypto';
import type { TargetRequest, TargetResponse } from '../target/target.js';
import type { RecordingTarget } from './recording-target.js';
import type { PrincipalSpec, Role } from '../profile/target-profile.js';
import type { TenantKey } from '../profile/token-source.js';
import { expectStatus, fail } from './assertions.js';
import type { JsonObject } from './payloads.js';

/** Aggregate reference. */
export interface AggregateRef {
  readonly type: string;
  readonly id: string;
}

/** A mutation as sent (TR §2.2). */
export interface Mutation {
  readonly clientMutationId: string;
  readonly clientSeq: number;
  readonly aggregate: AggregateRef;
  readonly op: string;
  readonly baseVersion: number;
  readonly payload: JsonObject;
  readonly capturedAt: string;
  readonly actorId: string;
}

/** What a check states about a mutation; the rest is filled in. */
export interface MutationInit {
  readonly aggregate: AggregateRef;
  readonly op: string;
  readonly baseVersion: number;
  readonly payload: JsonObject;
  readonly clientMutationId?: string;
  readonly clientSeq?: number;
  readonly actorId?: string;
}

/** One outcome (TR §2.3); fields depend on `status`. */
export interface Outcome {
  readonly clientMutationId: string;
  readonly clientSeq: number;
  readonly status: 'applied' | 'rejected' | 'conflict' | 'blocked' | 'duplicate-expired' | 'not-processed' | string;
  readonly replayed?: boolean;
  readonly newVersion?: number;
  readonly etag?: string;
  readonly eventId?: string;
  readonly problem?: { type?: string; status?: number; title?: string; detail?: string; [k: string]: unknown };
  readonly conflictId?: string;
  readonly serverVersion?: number;
  readonly serverState?: JsonObject;
  readonly policy?: string;
  readonly blockedBy?: string;
}

/** A push and what came back. */
export interface PushResult {
  readonly res: TargetResponse;
  /** Outcomes when the push was answered 200 with an outcome list; empty otherwise. */
  readonly outcomes: readonly Outcome[];
}

/** Options of a push. */
export interface PushOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra top-level body members (e.g. a disagreeing `tenantId`). */
  readonly extraBody?: JsonObject;
  /** Token to use instead of the actor's own. */
  readonly token?: string;
}

/** A principal of one tenant. */
export class Actor {
  constructor(
    private readonly target: RecordingTarget,
    private readonly tokenFn: () => Promise<string>,
    readonly tenant: TenantKey,
    readonly tenantId: string,
    readonly name: string,
    readonly spec: PrincipalSpec,
    readonly module: string,
  ) {}

  /** The actor id (token `sub`). */
  get sub(): string {
    return this.spec.sub;
  }

  /** The roles the profile says the actor has. */
  get roles(): readonly Role[] {
    return this.spec.roles;
  }

  /** The actor's bearer token. */
  token(): Promise<string> {
    return this.tokenFn();
  }

  /** Sends a request with the actor's token (unless `authorization` is given). */
  async request(req: TargetRequest, token?: string): Promise<TargetResponse> {
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.authorization = `Bearer ${token ?? (await this.token())}`;
    }
    return this.target.request({ ...req, headers });
  }

  /** GET with the actor's token. */
  get(path: string, headers?: Record<string, string>): Promise<TargetResponse> {
    return this.request({ method: 'GET', path, ...(headers ? { headers } : {}) });
  }

  /** POST JSON with the actor's token. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<TargetResponse> {
    return this.request({ method: 'POST', path, body, ...(headers ? { headers } : {}) });
  }

  /** PATCH JSON with the actor's token. */
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<TargetResponse> {
    return this.request({ method: 'PATCH', path, body, headers: { 'content-type': 'application/merge-patch+json', ...(headers ?? {}) } });
  }

  /** A fresh offline client of this actor (new clientId, clientSeq from 1). */
  client(): SyncClient {
    return new SyncClient(this, randomUUID());
  }

  /** Path of the module's sync endpoints. */
  syncPath(rest: string): string {
    return `/v1/sync/${this.module}/${rest}`;
  }

  /** Path of a REST collection of the module. */
  restPath(collection: string, id?: string): string {
    return `/v1/${this.module}/${collection}${id === undefined ? '' : `/${id}`}`;
  }
}

/** One offline client: a clientId and its next clientSeq. */
export class SyncClient {
  private seq = 1;

  constructor(
    readonly actor: Actor,
    readonly clientId: string,
  ) {}

  /** The next clientSeq this client would use. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Builds a mutation with a fresh clientMutationId and the next clientSeq. */
  mutation(init: MutationInit): Mutation {
    const clientSeq = init.clientSeq ?? this.seq;
    this.seq = Math.max(this.seq, clientSeq + 1);
    return {
      clientMutationId: init.clientMutationId ?? randomUUID(),
      clientSeq,
      aggregate: init.aggregate,
      op: init.op,
      baseVersion: init.baseVersion,
      payload: init.payload,
      capturedAt: new Date().toISOString(),
      actorId: init.actorId ?? this.actor.sub,
    };
  }

  /** Pushes mutations (as built; a retry passes the same objects again). */
  async push(mutations: readonly Mutation[], options: PushOptions = {}): Promise<PushResult> {
    const body = { clientId: this.clientId, mutations, ...(options.extraBody ?? {}) };
    const res = await this.actor.request(
      { method: 'POST', path: this.actor.syncPath('push'), body, ...(options.headers ? { headers: options.headers } : {}) },
      options.token,
    );
    const outcomes = res.status === 200 ? (res.body as { outcomes?: unknown } | undefined)?.outcomes : undefined;
    return { res, outcomes: Array.isArray(outcomes) ? (outcomes as Outcome[]) : [] };
  }

  /**
   * Pushes and insists on a well-formed answer: 200 with exactly one outcome per mutation, in
   * order (OFS-SYNC-005). Returns the outcomes.
   */
  async pushOk(mutations: readonly Mutation[], options: PushOptions = {}): Promise<readonly Outcome[]> {
    const r = await this.push(mutations, options);
    expectStatus(r.res, 200, 'OFS-SYNC-004', 'push');
    expectOutcomeList(r, mutations);
    return r.outcomes;
  }

  /** Pushes one mutation and returns its outcome. */
  async pushOne(mutation: Mutation, options: PushOptions = {}): Promise<Outcome> {
    return (await this.pushOk([mutation], options))[0] as Outcome;
  }
}

/** The push answered one outcome per mutation, same order, echoing clientMutationId and clientSeq. */
export function expectOutcomeList(r: PushResult, mutations: readonly Mutation[]): void {
  const list = (r.res.body as { outcomes?: unknown } | undefined)?.outcomes;
  if (!Array.isArray(list) || list.length !== mutations.length) {
    fail('CONF_E_SHAPE', 'OFS-SYNC-005', 'push response outcomes', `${mutations.length} outcome(s)`, Array.isArray(list) ? `${list.length} outcome(s)` : r.res.rawBody.slice(0, 200));
  }
  mutations.forEach((m, i) => {
    const o = list[i] as Outcome | undefined;
    if (o?.clientMutationId !== m.clientMutationId || o.clientSeq !== m.clientSeq) {
      fail('CONF_E_ORDER', 'OFS-SYNC-005', `outcome #${i + 1}`, { clientMutationId: m.clientMutationId, clientSeq: m.clientSeq }, o ? { clientMutationId: o.clientMutationId, clientSeq: o.clientSeq } : undefined);
    }
  });
}
