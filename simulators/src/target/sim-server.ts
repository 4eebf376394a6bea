/**
 * The server as the deterministic simulator drives it: the sync entry points called in-process
 * with a request context (no HTTP, no JSON), the outbox the relay drains, the maintenance purge,
 * and read-backs for the final state. The reference core implements it through an adapter; tests
 * use a small fake. Results may be promises (an async store); the simulator awaits them one at a
 * time, which keeps runs deterministic.
 */

/** `T` or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** Who is asking (from the verified token in a real server). */
export interface SimContext {
  readonly tenantId: string;
  readonly actorId: string;
  readonly roles: readonly string[];
}

/** An RFC 9457 problem as the simulator reads it. */
export interface SimProblem {
  readonly type: string;
  readonly status: number;
  readonly title?: string;
  readonly expectedSeq?: number;
}

/** Success or a whole-request problem. */
export type SimResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: SimProblem };

/** Aggregate reference. */
export interface SimAggregateRef {
  readonly type: string;
  readonly id: string;
}

/** A mutation as pushed (TR §2.2). */
export interface SimMutation {
  readonly clientMutationId: string;
  readonly clientSeq: number;
  readonly aggregate: SimAggregateRef;
  readonly op: string;
  readonly baseVersion: number;
  readonly payload: Record<string, unknown>;
  readonly capturedAt: string;
  readonly actorId: string;
}

/** One outcome (TR §2.3). */
export interface SimOutcome {
  readonly clientMutationId: string;
  readonly clientSeq: number;
  readonly status: string;
  readonly newVersion?: number;
  readonly eventId?: string;
  readonly conflictId?: string;
  readonly policy?: string;
  readonly blockedBy?: string;
  readonly problem?: SimProblem;
  readonly replayed?: boolean;
}

/** One pulled change (TR §7). */
export interface SimChange {
  readonly aggregate: SimAggregateRef;
  readonly version: number;
  readonly op: string;
  readonly eventId: string;
}

/** A pull page. */
export interface SimPullPage {
  readonly changes: readonly SimChange[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
}

/** A conflict (TR §6.6). */
export interface SimConflict {
  readonly conflictId: string;
  readonly aggregate: SimAggregateRef;
  readonly policy: string;
  readonly status: string;
  readonly clientMutationId: string;
  readonly phi: boolean;
}

/** An unpublished outbox row rendered as the message the relay publishes. */
export interface SimOutboxMessage {
  /** Outbox sequence (what `markPublished` takes). */
  readonly seq: number;
  /** `Nats-Msg-Id` = CloudEvent id. */
  readonly msgId: string;
  readonly subject: string;
  /** CloudEvent `data.tenantId`. */
  readonly tenantId: string;
  readonly clientMutationId: string | null;
  readonly aggregate: SimAggregateRef;
  readonly version: number;
  /** CloudEvent `type`. */
  readonly type: string;
}

/** One committed change as the store keeps it (final read-back). */
export interface SimLogRow {
  readonly aggregate: SimAggregateRef;
  readonly version: number;
  readonly op: string;
  readonly eventId: string;
  readonly clientMutationId: string;
}

/** One audit entry (final read-back). */
export interface SimAuditRow {
  readonly seq: number;
  readonly action: string;
  /** e.g. `conflict:<id>`. */
  readonly sourceId: string;
}

/** The server, in-process. */
export interface SimServer {
  /** Names the target in the history and reports. */
  readonly name: string;
  push(ctx: SimContext, body: { clientId: string; mutations: readonly SimMutation[] }): MaybePromise<SimResult<{ outcomes: readonly SimOutcome[] }>>;
  pull(ctx: SimContext, cursor: string | undefined, limit: number): MaybePromise<SimResult<SimPullPage>>;
  listConflicts(ctx: SimContext, status: 'open' | 'resolved' | undefined): MaybePromise<SimResult<{ conflicts: readonly SimConflict[] }>>;
  resolve(ctx: SimContext, conflictId: string, body: { resolution: string }): MaybePromise<SimResult<{ newVersion: number }>>;
  /** Up to `limit` unpublished outbox rows, oldest first. */
  claimOutbox(limit: number): MaybePromise<readonly SimOutboxMessage[]>;
  markPublished(seqs: readonly number[], atIso: string): MaybePromise<void>;
  /** The maintenance job: drop idempotency records recorded before `olderThanMs`. */
  purgeIdempotency(olderThanMs: number): MaybePromise<number>;
  /** A tenant's whole change log, commit order. */
  readLog(tenantId: string): MaybePromise<readonly SimLogRow[]>;
  /** A tenant's audit entries. */
  readAudit(tenantId: string): MaybePromise<readonly SimAuditRow[]>;
}

/**
 * Resolves `v` and continues with `f`, staying synchronous when `v` is not a promise. (Not named
 * `then`: a module exporting `then` has a thenable namespace, which breaks dynamic imports.)
 */
export function andThen<T, R>(v: MaybePromise<T>, f: (x: T) => R | Promise<R>): R | Promise<R> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** Problem name from its type URI (`https://syncproof.dev/problems/<name>`). */
export function problemName(p: SimProblem | undefined): string {
  if (p === undefined) return 'unknown';
  const i = p.type.lastIndexOf('/');
  return i === -1 ? p.type : p.type.slice(i + 1);
}
