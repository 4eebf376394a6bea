/**
 * The simulation history: one JSON object per line, Jepsen-style. Client operations are recorded
 * as invocations (`capture`, `push`) and completions (`outcome`, `unknown`, `request-error`);
 * faults are operations in the same history; the run ends with the final states read back from the
 * server and from every device. Keys are short but spelled out; key order is fixed by construction,
 * so the serialisation (and its hash) is byte-stable.
 */

/** An aggregate reference written as `<type>:<id>`. */
export type AggregateKey = string;

/** First line: what was run. */
export interface MetaEntry {
  readonly k: 'meta';
  readonly seed: number;
  readonly tool: string;
  readonly target: string;
  readonly options: unknown;
}

/** A phase boundary: safety (faults on), liveness (faults healed), final (read back). */
export interface PhaseEntry {
  readonly k: 'phase';
  readonly t: number;
  readonly phase: 'safety' | 'liveness' | 'final';
}

/** A user captured a mutation and the device committed it to its durable queue (invocation). */
export interface CaptureEntry {
  readonly k: 'capture';
  readonly t: number;
  /** Device id: one local store per (tenant, actor). */
  readonly dev: string;
  readonly tenant: string;
  readonly actor: string;
  readonly client: string;
  readonly cmid: string;
  readonly seq: number;
  readonly agg: AggregateKey;
  readonly op: string;
  readonly base: number;
}

/** The device crashed while capturing: the user saw the capture fail, nothing was queued. */
export interface CaptureAbortedEntry {
  readonly k: 'capture-aborted';
  readonly t: number;
  readonly dev: string;
  readonly tenant: string;
  readonly cmid: string;
}

/** A push request sent by a device (invocation of a batch). */
export interface PushEntry {
  readonly k: 'push';
  readonly t: number;
  readonly dev: string;
  /** Tenant of the token the request carries. */
  readonly tenant: string;
  readonly req: number;
  readonly cmids: readonly string[];
}

/** One mutation's outcome as the device received it (completion). */
export interface OutcomeEntry {
  readonly k: 'outcome';
  readonly t: number;
  readonly dev: string;
  readonly tenant: string;
  readonly req: number;
  readonly cmid: string;
  readonly status: string;
  readonly version?: number;
  readonly eventId?: string;
  readonly conflictId?: string;
  readonly problem?: string;
  readonly replayed?: boolean;
}

/** A request whose outcome the device never learnt (timeout, crash): indeterminate. */
export interface UnknownEntry {
  readonly k: 'unknown';
  readonly t: number;
  readonly dev: string;
  readonly req: number;
  readonly reason: string;
}

/** A whole-request error (401, 4xx problem, 5xx): nothing decided for its mutations. */
export interface RequestErrorEntry {
  readonly k: 'request-error';
  readonly t: number;
  readonly dev: string;
  readonly req: number;
  readonly status: number;
  readonly problem: string;
}

/** The device showed its user the fate of a mutation that did not apply. */
export interface SurfaceEntry {
  readonly k: 'surface';
  readonly t: number;
  readonly dev: string;
  readonly tenant: string;
  readonly cmid: string;
  /** `rejected:<problem>`, `conflict:<policy>`, `duplicate-expired`. */
  readonly reason: string;
}

/**
 * A conflict resolution request as the admin sends it (invocation). Until the first of these for a
 * conflict, the conflict is certainly still open on the server.
 */
export interface ResolveCallEntry {
  readonly k: 'resolve-call';
  readonly t: number;
  readonly tenant: string;
  readonly conflictId: string;
  readonly resolution: string;
}

/** A conflict resolution attempt by a simulated admin and what came back (completion). */
export interface ResolveEntry {
  readonly k: 'resolve';
  readonly t: number;
  readonly tenant: string;
  readonly conflictId: string;
  readonly resolution: string;
  /** `resolved`, `not-open` (409), `unknown` (lost), or an error code. */
  readonly status: string;
  readonly version?: number;
}

/** A fault the simulator injected. */
export interface FaultEntry {
  readonly k: 'fault';
  readonly t: number;
  readonly fault: string;
  readonly target: string;
  readonly detail?: string | number;
}

/** A device crashed (volatile state lost) or restarted from its durable store. */
export interface LifecycleEntry {
  readonly k: 'crash' | 'restart';
  readonly t: number;
  readonly dev: string;
}

/** A domain event stored by the broker (after Nats-Msg-Id de-duplication). */
export interface EventEntry {
  readonly k: 'event';
  readonly t: number;
  readonly id: string;
  readonly subject: string;
  /** `data.tenantId` of the CloudEvent. */
  readonly tenant: string;
  readonly cmid: string | null;
  readonly agg: AggregateKey;
  readonly version: number;
  readonly type: string;
  /** True when the broker stored a message whose id it had already stored (outside its window). */
  readonly redelivery?: boolean;
}

/** An audit event the server recorded, as read back at the end. */
export interface AuditEntry {
  readonly k: 'audit';
  readonly tenant: string;
  readonly seq: number;
  readonly action: string;
  /** Conflict the audit event is about, when it names one. */
  readonly conflictId: string | null;
  readonly entity: string | null;
}

/** One committed change in the server's per-tenant log, as read back by a full pull at the end. */
export interface LogEntry {
  readonly k: 'log';
  readonly tenant: string;
  readonly agg: AggregateKey;
  readonly version: number;
  readonly op: string;
  readonly eventId: string;
  /**
   * The change's clientMutationId as the server recorded it. A resolution's change carries the
   * conflicted mutation's id (the reference server) or `resolve:<conflictId>` (the checkers accept both).
   */
  readonly cmid: string;
}

/** The server's final version of one aggregate. */
export interface FinalAggregateEntry {
  readonly k: 'final-agg';
  readonly tenant: string;
  readonly agg: AggregateKey;
  readonly version: number;
}

/** A conflict as the server lists it at the end. */
export interface FinalConflictEntry {
  readonly k: 'final-conflict';
  readonly tenant: string;
  readonly conflictId: string;
  readonly cmid: string;
  readonly agg: AggregateKey;
  readonly status: string;
  readonly phi: boolean;
}

/** A device's final replica: size and an order-independent digest of (aggregate, version) pairs. */
export interface FinalReplicaEntry {
  readonly k: 'final-replica';
  readonly dev: string;
  readonly tenant: string;
  readonly n: number;
  readonly digest: string;
}

/** A device's final outbound queue (empty when drained). */
export interface FinalQueueEntry {
  readonly k: 'final-queue';
  readonly dev: string;
  readonly tenant: string;
  readonly pending: readonly string[];
}

/** Every kind of history line. */
export type HistoryEntry =
  | MetaEntry
  | PhaseEntry
  | CaptureEntry
  | CaptureAbortedEntry
  | PushEntry
  | OutcomeEntry
  | UnknownEntry
  | RequestErrorEntry
  | SurfaceEntry
  | ResolveCallEntry
  | ResolveEntry
  | FaultEntry
  | LifecycleEntry
  | EventEntry
  | AuditEntry
  | LogEntry
  | FinalAggregateEntry
  | FinalConflictEntry
  | FinalReplicaEntry
  | FinalQueueEntry;
