/**
 * Shapes of the sync protocol as the domain core sees them (PROTOCOL TR §2–§7). They mirror the
 * JSON contracts in contracts/schemas; the core neither parses nor serialises HTTP.
 */
import type { AggregateRef, ConflictPolicyName, ConflictResolution, JsonObject } from '../ports/records.js';

export type { AggregateRef, ConflictPolicyName, ConflictResolution, JsonObject, JsonValue } from '../ports/records.js';

/** Roles of TR §1.5. */
export type Role = 'clinician' | 'pharmacist' | 'auditor' | 'admin';

/** Who is asking: tenant and actor from the verified token only (D1). */
export interface RequestContext {
  readonly tenantId: string;
  /** Token `sub`. */
  readonly actorId: string;
  readonly roles: readonly string[];
}

/** Mutation ops (TR §2.2). */
export type MutationOp = 'create' | 'update' | 'append' | 'adjust';

/** One client-captured write (TR §2.2), after envelope validation. */
export interface Mutation {
  readonly clientMutationId: string;
  readonly clientSeq: number;
  readonly aggregate: AggregateRef;
  readonly op: MutationOp;
  readonly baseVersion: number;
  readonly payload: JsonObject;
  readonly capturedAt: string;
  readonly actorId: string;
}

/** A push body after envelope validation (TR §2.1). */
export interface PushRequest {
  readonly clientId: string;
  readonly tenantId?: string;
  readonly mutations: readonly Mutation[];
}

/** RFC 9457 problem (TR §11.1); `type` is `https://syncproof.dev/problems/<name>`. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** validation-failed: the offending fields as JSON pointers. */
  readonly errors?: readonly { readonly pointer: string; readonly detail: string }[];
  readonly expectedSeq?: number;
  readonly currentVersion?: number;
  readonly available?: number;
  readonly limit?: number;
  readonly conflictId?: string;
  /** REST patient duplicate (clinic TR §2): the matched patient and the fields it matched on. */
  readonly candidateId?: string;
  readonly matchedOn?: readonly string[];
}

/** Problem names of the closed list (TR §11.1). */
export type ProblemName =
  | 'malformed-json'
  | 'validation-failed'
  | 'unknown-aggregate-type'
  | 'invalid-tenant-id'
  | 'unsupported-media-type'
  | 'unauthorized'
  | 'forbidden'
  | 'tenant-mismatch'
  | 'actor-mismatch'
  | 'permission-lost'
  | 'not-found'
  | 'idempotency-key-missing'
  | 'idempotency-key-reuse'
  | 'idempotency-key-in-flight'
  | 'precondition-failed'
  | 'precondition-required'
  | 'payload-too-large'
  | 'batch-too-large'
  | 'out-of-order'
  | 'insufficient-stock'
  | 'business-rule-violation'
  | 'conflict-not-open'
  | 'envelope-signature-invalid'
  | 'envelope-chain-broken'
  | 'envelope-replayed'
  | 'internal-error'
  | 'service-unavailable';

interface OutcomeBase {
  readonly clientMutationId: string;
  readonly clientSeq: number;
}
/** `applied` outcome. */
export interface AppliedOutcome extends OutcomeBase {
  readonly status: 'applied';
  readonly newVersion: number;
  /** `"<version>"` (quotes included), as in the ETag header. */
  readonly etag: string;
  readonly eventId: string;
  readonly replayed?: true;
}
/** `rejected` outcome. */
export interface RejectedOutcome extends OutcomeBase {
  readonly status: 'rejected';
  readonly problem: Problem;
  readonly replayed?: true;
}
/** `conflict` outcome. */
export interface ConflictOutcome extends OutcomeBase {
  readonly status: 'conflict';
  readonly conflictId: string;
  readonly serverVersion: number;
  readonly serverState: JsonObject;
  readonly policy: ConflictPolicyName;
  readonly replayed?: true;
}
/** `blocked` outcome (not recorded). */
export interface BlockedOutcome extends OutcomeBase {
  readonly status: 'blocked';
  readonly blockedBy: string;
}
/** `duplicate-expired` outcome (record pruned, seq already taken). */
export interface DuplicateExpiredOutcome extends OutcomeBase {
  readonly status: 'duplicate-expired';
  readonly replayed: true;
}
/** `not-processed` outcome (after an out-of-order mutation in the same batch; not recorded). */
export interface NotProcessedOutcome extends OutcomeBase {
  readonly status: 'not-processed';
}
/** Outcomes that are recorded and replayed. */
export type DecidedOutcome = AppliedOutcome | RejectedOutcome | ConflictOutcome;
/** Any outcome (TR §2.3). */
export type Outcome = DecidedOutcome | BlockedOutcome | DuplicateExpiredOutcome | NotProcessedOutcome;

/** A conflict resource as listed (TR §6.6; contracts/schemas/conflict.schema.json). */
export interface Conflict {
  readonly conflictId: string;
  readonly aggregate: AggregateRef;
  readonly policy: ConflictPolicyName;
  readonly status: 'open' | 'resolved';
  readonly clientId: string;
  readonly clientMutationId: string;
  readonly serverVersion: number;
  readonly serverState: JsonObject;
  readonly proposed: JsonObject;
  readonly phi: boolean;
  readonly createdAt: string;
  readonly resolvedAt?: string;
  readonly resolution?: ConflictResolution;
}

/** An audit event the core decided is due; `src/audit` shapes and chains it (TR §9.1). */
export interface AuditDue {
  readonly kind: 'conflict-resolved' | 'permission-lost';
  readonly tenantId: string;
  readonly module: string;
  /** Who did it (token sub). */
  readonly actorId: string;
  readonly roles: readonly string[];
  readonly aggregate: AggregateRef;
  /** `Patient/<id>` when the aggregate is a patient or refers to one, else undefined. */
  readonly patientRef?: string;
  /** Versions involved (e.g. server version before, new version after). */
  readonly versions: readonly number[];
  /**
   * The same versions, labelled (TR §9.2 `base=<n>;server=<n>;result=<n>`): `base` = the client's
   * baseVersion (permission-lost), `server` = the server version at decision time (0 = absent),
   * `result` = the version committed by a resolution.
   */
  readonly versionDetail: { readonly base?: number; readonly server: number; readonly result?: number };
  /** Conflict policy of the aggregate (conflict-resolved). */
  readonly policy?: ConflictPolicyName;
  /** The mutation's op (permission-lost) or the conflicted mutation's op (conflict-resolved). */
  readonly op?: MutationOp;
  /** ISO time of the decision. */
  readonly recorded: string;
  /** `conflict:<conflictId>` or `permission-lost:<clientMutationId>`: unique per tenant. */
  readonly sourceId: string;
  readonly conflictId?: string;
  readonly resolution?: ConflictResolution;
  readonly clientMutationId?: string;
  /** 0 = success (resolution), 4 = minor failure (permission lost), per FHIR AuditEvent.outcome. */
  readonly outcome: '0' | '4';
}

/** Core configuration. */
export interface CoreConfig {
  /** Idempotency record retention (TR §3.5); default 30 days. */
  readonly idempotencyRetentionMs: number;
  /** Max mutations per push (TR §12); default 500. */
  readonly maxBatch: number;
  /** Max pull page size; default 500. */
  readonly maxPullLimit: number;
  /** Max payload nesting depth (TR §12); default 32. */
  readonly maxDepth: number;
  /** Max string length in a payload (TR §12); default 65536. */
  readonly maxStringLength: number;
}

/** Defaults of {@link CoreConfig}. */
export const DEFAULT_CORE_CONFIG: CoreConfig = Object.freeze({
  idempotencyRetentionMs: 30 * 24 * 60 * 60 * 1000,
  maxBatch: 500,
  maxPullLimit: 500,
  maxDepth: 32,
  maxStringLength: 65536,
});
