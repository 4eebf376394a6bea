/**
 * Inputs, outputs and dependencies of the core entry points (push, pull, conflicts, REST writes).
 * Every entry point takes a {@link RequestContext} built from the verified token, returns data or
 * an RFC 9457 problem (never throws for bad input), and returns synchronously for a SyncStore
 * and a promise for an AsyncStore — callers just `await`.
 */
import type { Clock } from '../ports/clock.js';
import type { AggregateRef, JsonObject } from '../ports/records.js';
import type { Store, StoreTx } from '../ports/store.js';
import type { DefectSet } from './defects.js';
import type { ModuleRegistry } from './module.js';
import type { AuditDue, Conflict, CoreConfig, Outcome, Problem } from './types.js';

/** Records a due audit event inside the deciding transaction (implemented by `src/audit`). */
export interface AuditRecorder {
  /**
   * Called inside the transaction that decides a permission-lost rejection or resolves a PHI
   * conflict — exactly once per decision (replays do not call it). Typically reads
   * `tx.auditHead(tenant)`, builds the FHIR AuditEvent and `tx.appendAudit(...)`s the next entry,
   * so the audit entry commits atomically with the decision.
   */
  record(tx: StoreTx, due: AuditDue): void;
}

/** What the core needs. */
export interface CoreDeps<S extends Store = Store> {
  readonly store: S;
  readonly clock: Clock;
  readonly modules: ModuleRegistry;
  /** Overrides of DEFAULT_CORE_CONFIG. */
  readonly config?: Partial<CoreConfig>;
  /** Planted defects (tests only; empty in production). */
  readonly defects?: DefectSet;
  /** Audit recorder; when absent the due events are only returned in results. */
  readonly audit?: AuditRecorder;
}

/** Success or an RFC 9457 problem. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

/** Result of a push (TR §2.3). */
export interface PushResponse {
  /** One per mutation, in request order. */
  readonly outcomes: readonly Outcome[];
  /**
   * The same outcomes serialised: fresh decided outcomes are the recorded canonical bytes,
   * replays are the recorded bytes with `"replayed":true` inserted. The HTTP layer sends
   * `pushResponseBody(...)` so replays are byte-identical apart from the marker.
   */
  readonly outcomeJson: readonly string[];
  /** Audit events due from this push (permission-lost), already handed to the AuditRecorder. */
  readonly audits: readonly AuditDue[];
}

/** Pull request (TR §7). */
export interface PullRequest {
  readonly module: string;
  /** Opaque cursor from a previous page; absent = from the beginning. */
  readonly cursor?: string;
  /** 1..500; default 100. */
  readonly limit?: number;
}

/** One pulled change. */
export interface PulledChange {
  readonly aggregate: AggregateRef;
  readonly version: number;
  readonly op: string;
  readonly state: JsonObject;
  readonly committedAt: string;
  readonly eventId: string;
}

/** Pull page (contracts/schemas/pull-response.schema.json). */
export interface PullPage {
  readonly changes: readonly PulledChange[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
}

/** Conflict listing request (TR §6.6). */
export interface ListConflictsRequest {
  readonly module: string;
  /** `open` (the default when undefined) or `resolved`. Any other value → validation-failed. */
  readonly status?: string;
}

/** Conflict resolution request (TR §6.6). */
export interface ResolveConflictRequest {
  readonly module: string;
  readonly conflictId: string;
  /** The raw JSON body `{resolution, state?}`; validated by the core. */
  readonly body: unknown;
  /** Optional `If-Match` header, checked against the aggregate's current version (TR §6.6). */
  readonly ifMatch?: string;
}

/** Conflict resolution response. */
export interface ResolveConflictResponse {
  readonly conflict: Conflict;
  readonly newVersion: number;
  readonly etag: string;
  /** Audit events due (one for a PHI conflict), already handed to the AuditRecorder. */
  readonly audits: readonly AuditDue[];
}

/** Resource representation (TR §5). */
export interface Resource {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly state: JsonObject;
  readonly updatedAt: string;
}

/** A REST write (TR §5). The HTTP layer passes headers through untouched. */
export interface RestWriteRequest {
  readonly module: string;
  /** `create` = POST collection, `patch` = PATCH item, `append` = POST notes/{id}/entries. */
  readonly kind: 'create' | 'patch' | 'append';
  /** Collection name from the path (`patients`, `encounters`, `notes`, `stock-items`). */
  readonly collection: string;
  /** Item id from the path (patch, append); for create the id is in the body. */
  readonly id?: string;
  /** Parsed JSON body. */
  readonly body: unknown;
  /** `Idempotency-Key` header value, if present. */
  readonly idempotencyKey?: string;
  /** `If-Match` header value, if present. */
  readonly ifMatch?: string;
}

/**
 * A complete HTTP answer for a REST write or read: status, JSON body (already serialised) and
 * headers to set (`etag`, `location`, `idempotent-replayed`, `content-type`).
 */
export interface RestResponse {
  readonly status: number;
  /** Parsed body (a Resource or a Problem). */
  readonly body: unknown;
  /** Serialised body to send as is. */
  readonly bodyJson: string;
  /** Lower-case header names. Includes `content-type` (application/json or application/problem+json). */
  readonly headers: Readonly<Record<string, string>>;
  /** True when this is a replay of a recorded response. */
  readonly replayed: boolean;
  /** Audit events due (permission-lost), already handed to the AuditRecorder. */
  readonly audits: readonly AuditDue[];
}

/** Read of one resource. */
export interface GetResourceRequest {
  readonly module: string;
  readonly collection: string;
  readonly id: string;
}
