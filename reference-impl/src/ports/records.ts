/**
 * The rows a {@link Store} keeps. They are plain data: the memory store keeps the objects as they
 * are (no copies, no JSON), the SQLite and PostgreSQL stores map them to columns and JSON text.
 * Every row carries its tenant; every lookup takes the tenant, so isolation is structural.
 */

/** A JSON object as stored in aggregate state, payloads and events. */
export type JsonObject = { [key: string]: JsonValue };
/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** Reference to an aggregate instance. */
export interface AggregateRef {
  readonly type: string;
  readonly id: string;
}

/** Current state of one aggregate instance. */
export interface AggregateRow {
  readonly tenantId: string;
  readonly module: string;
  readonly type: string;
  readonly id: string;
  /** 1 after create, +1 per committed change. */
  readonly version: number;
  /** The aggregate's state. Treated as immutable: a change writes a new object. */
  readonly state: JsonObject;
  /** ISO 8601 time of the last commit. */
  readonly updatedAt: string;
  /**
   * Secondary-index entries of this version (`index name → value`, e.g. `patient.mrn → "M-1"`).
   * The store keeps a (tenant, index, value) → aggregate id lookup in step with the row: writing a
   * row replaces the old entries of that aggregate. Several aggregates may share a value (the core
   * decides uniqueness, the store only answers lookups).
   */
  readonly index?: Readonly<Record<string, string>>;
}

/** What a push or REST write decided, recorded under its idempotency key (TR §3.2, §5.2). */
export interface IdempotencyRecord {
  readonly tenantId: string;
  /**
   * The key inside the tenant: the clientMutationId for sync pushes, `rest:<Idempotency-Key>` for
   * REST writes (so the two namespaces never collide).
   */
  readonly key: string;
  /** Hex SHA-256 of the canonical request fingerprint (TR §3.4). */
  readonly fingerprint: string;
  /** Epoch ms when the decision was recorded; retention runs from here (TR §3.5). */
  readonly recordedAt: number;
  /** The client that pushed it (sync only). */
  readonly clientId?: string;
  /** Its clientSeq (sync only). */
  readonly clientSeq?: number;
  /** HTTP status of the recorded response (REST) or the outcome's nominal status (sync: 200). */
  readonly status: number;
  /**
   * The recorded body, serialised once as canonical JSON: the sync outcome object, or the REST
   * response body. Replays send these bytes (plus the replay marker), never a re-rendering.
   */
  readonly body: string;
  /** Extra response headers to replay (REST: `etag`, `location`). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Optional parsed form of {@link body}, kept by stores that hold objects anyway (memory) so a
   * replay need not parse. Stores that persist only `body` leave it out.
   */
  readonly value?: unknown;
}

/** Per-client sequence state (TR §4). */
export interface ClientSeqRow {
  readonly tenantId: string;
  readonly clientId: string;
  /** Highest clientSeq accounted for (decided, or blocked and kept pending). 0 before the first. */
  readonly lastSeq: number;
  /**
   * Mutations answered `blocked` and not yet decided (TR §4.4). A resend of one of them is
   * processed anew (never `duplicate-expired`), and while one is pending, later mutations of the
   * client on the same aggregate are blocked too. Usually empty.
   */
  readonly pending: readonly PendingSeq[];
}

/** A blocked, undecided mutation of a client. */
export interface PendingSeq {
  readonly seq: number;
  readonly type: string;
  readonly id: string;
  /** The conflict that blocked it. */
  readonly blockedBy: string;
}

/** A conflict resource (TR §6.6) with its storage keys. */
export interface ConflictRow {
  readonly tenantId: string;
  readonly module: string;
  readonly conflictId: string;
  readonly aggregate: AggregateRef;
  readonly policy: ConflictPolicyName;
  readonly status: 'open' | 'resolved';
  readonly clientId: string;
  readonly clientMutationId: string;
  readonly actorId: string;
  /** The mutation's op (`create`, `update`, …) — resolution needs it. */
  readonly op: string;
  /** The mutation's baseVersion (audit detail). */
  readonly baseVersion?: number;
  readonly serverVersion: number;
  readonly serverState: JsonObject;
  /** The client's payload that could not be applied. */
  readonly proposed: JsonObject;
  readonly phi: boolean;
  /** Aggregate the server matched against (patient duplicate / MRN taken); absent for stale writes. */
  readonly matched?: AggregateRef;
  readonly createdAt: string;
  readonly resolvedAt?: string;
  readonly resolution?: ConflictResolution;
  readonly resolvedBy?: string;
}

/** Conflict policies of TR §6. */
export type ConflictPolicyName = 'reject-stale' | 'merge-append' | 'manual' | 'server-authoritative';
/** How a conflict was resolved. */
export type ConflictResolution = 'keep-server' | 'take-client' | 'merged';

/**
 * One committed state change: the pull change log entry (TR §7) and the outbox row (TR §8.1) in one.
 * Each applied mutation and each state-changing resolution writes exactly one, in the same
 * transaction as the state. `seq` is assigned by the store, strictly increasing in commit order
 * per tenant (the pull cursor and the outbox order).
 */
export interface ChangeRow {
  /** Assigned by the store on append; ignored on input. */
  readonly seq: number;
  readonly tenantId: string;
  readonly module: string;
  readonly aggregate: AggregateRef;
  readonly version: number;
  /** `create|update|append|adjust|resolve`. */
  readonly op: string;
  /** `created|updated|appended|adjusted|resolved` (CloudEvent type suffix). */
  readonly eventType: string;
  readonly state: JsonObject;
  /** ISO 8601 commit time (CloudEvent `time`). */
  readonly committedAt: string;
  /** Deterministic event id (TR §8.3), the `Nats-Msg-Id`. */
  readonly eventId: string;
  /** The mutation's id, or `resolve:<conflictId>` / `rest:<key>` for non-sync changes. */
  readonly clientMutationId: string;
  readonly actorId: string;
  /** Null until the relay marked it published. */
  readonly publishedAt: string | null;
}

/** A hash-chained audit entry as stored (TR §9.3); the chain and event shape belong to `src/audit`. */
export interface AuditEntryRow {
  readonly tenantId: string;
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  /** The FHIR AuditEvent (object). */
  readonly event: JsonObject;
  /** Audit action token for the subject `audit.<tenantId>.<module>.<action>`. */
  readonly module: string;
  readonly action: string;
  /** Id of what caused it (e.g. `conflict:<id>`, `permission-lost:<clientMutationId>`): unique per tenant. */
  readonly sourceId: string;
  readonly publishedAt: string | null;
}

/** A registered offline-audit device (TR §10.2) and its accepted chain head. */
export interface DeviceRow {
  readonly tenantId: string;
  readonly deviceId: string;
  readonly publicKeyJwk: JsonObject;
  /** 0 before the first accepted envelope. */
  readonly headSeq: number;
  /** Hex SHA-256 of the last accepted payload; 64 zeros at genesis. */
  readonly headHash: string;
  readonly registeredAt: string;
}

/** An accepted offline-audit envelope. */
export interface EnvelopeRow {
  readonly tenantId: string;
  readonly deviceId: string;
  readonly seq: number;
  /** The DSSE envelope as uploaded. */
  readonly envelope: JsonObject;
  readonly acceptedAt: string;
}
