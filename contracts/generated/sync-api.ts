/**
 * GENERATED FILE — DO NOT EDIT. Types of contracts/openapi/sync-api.yaml produced by openapi-typescript.
 * Regenerate with `npm run contracts:generate`; `npm run contracts:check` fails when this file is stale.
 */
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description Answers 200 while the process serves requests; no authentication.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public keys of the dev token issuer (JWKS, RFC 7517)
         * @description Lets verifiers check dev-issued tokens; 404 when the server runs without the dev issuer.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dev/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a token from the dev issuer (development only)
         * @description Enabled only when the server runs with the dev issuer; otherwise 404. Not part of any module contract.
         */
        post: operations["mintDevToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/{module}/push": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The module whose aggregates are synced. */
                module: components["parameters"]["Module"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload queued mutations (TR §2)
         * @description Idempotent per mutation by `(token tenant, clientMutationId)` (TR §3). One outcome per mutation, in order.
         *     Whole-request errors store nothing: malformed JSON or schema violation (400), batch over 500 mutations
         *     or body over 1 MiB (413), unknown aggregate type (422), a mutation of the batch still being processed by a
         *     concurrent request (409 idempotency-key-in-flight, retry later).
         */
        post: operations["pushMutations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/{module}/pull": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The module whose aggregates are synced. */
                module: components["parameters"]["Module"];
            };
            cookie?: never;
        };
        /**
         * The token tenant's changes after a cursor, in commit order (TR §7)
         * @description Changes of the token's tenant after the cursor, in commit order, at most `limit` per page; never another tenant's.
         */
        get: operations["pullChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/{module}/conflicts": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The module whose aggregates are synced. */
                module: components["parameters"]["Module"];
            };
            cookie?: never;
        };
        /**
         * The token tenant's conflicts (TR §6.6)
         * @description Open and resolved conflicts of the token's tenant, filtered by status; never another tenant's.
         */
        get: operations["listConflicts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/{module}/conflicts/{conflictId}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The module whose aggregates are synced. */
                module: components["parameters"]["Module"];
                conflictId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve an open conflict (TR §6.6)
         * @description A one-shot state transition: a retry after a lost response gets 409 conflict-not-open, and the client reads
         *     the recorded resolution from `GET .../conflicts?status=resolved`. Another tenant's conflict is 404.
         *     Resolving a conflict on a PHI aggregate emits exactly one audit event (TR §9.1).
         */
        post: operations["resolveConflict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clinic/patients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a patient (policy manual, PHI)
         * @description A taken MRN or a probable duplicate (same familyName, givenName and birthDate) is 409 business-rule-violation; never auto-merged.
         */
        post: operations["createPatient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clinic/patients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        /**
         * Read a patient
         * @description The current version with its ETag; another tenant's patient is 404.
         */
        get: operations["getPatient"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update a patient (JSON merge patch of its state)
         * @description If-Match must name the current version (412 otherwise, 428 when missing). A taken MRN is 409 business-rule-violation. A replay returns the original response.
         */
        patch: operations["patchPatient"];
        trace?: never;
    };
    "/v1/clinic/encounters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an encounter (policy reject-stale, PHI)
         * @description Creates version 1 with the client-chosen id. A replay with the same Idempotency-Key returns the original 201 and `Idempotent-Replayed: true`.
         */
        post: operations["createEncounter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clinic/encounters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        /**
         * Read an encounter
         * @description The current version with its ETag; another tenant's encounter is 404.
         */
        get: operations["getEncounter"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update an encounter (JSON merge patch of its state)
         * @description Policy reject-stale: If-Match must name the current version (412 otherwise, 428 when missing). A replay with the same Idempotency-Key returns the original response even if the version moved on.
         */
        patch: operations["patchEncounter"];
        trace?: never;
    };
    "/v1/clinic/stock-items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a stock item (policy server-authoritative, not PHI)
         * @description A controlled item needs the pharmacist (or admin) role, else 403 forbidden.
         */
        post: operations["createStockItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clinic/stock-items/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        /**
         * Read a stock item
         * @description The current version with its ETag; another tenant's stock item is 404.
         */
        get: operations["getStockItem"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update a stock item (JSON merge patch of its state)
         * @description A quantity below 0 is 409 insufficient-stock; a controlled item needs the pharmacist role.
         */
        patch: operations["patchStockItem"];
        trace?: never;
    };
    "/v1/clinic/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a note (policy merge-append, PHI)
         * @description Creates version 1 with the client-chosen id and no entries; entries are appended with POST .../entries.
         */
        post: operations["createNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clinic/notes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        /**
         * Read a note with its entries sorted by (authoredAt, entryId)
         * @description The current version with its ETag; another tenant's note is 404.
         */
        get: operations["getNote"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clinic/notes/{id}/entries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Append an entry to a note (appends never conflict, TR §6.3)
         * @description The entry id is derived from the Idempotency-Key, so a replay never appends twice. No If-Match; concurrent appends are both kept.
         */
        post: operations["appendNoteEntry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The token tenant's hash-chained audit log (auditor or admin only, TR §9.4)
         * @description Entries of the token tenant's audit hash chain after afterSeq, plus the chain head so a reader can verify continuity. Any role other than auditor or admin gets 403 forbidden.
         */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/devices/{deviceId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deviceId: string;
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Register a device's Ed25519 audit signing key (TR §10.2)
         * @description Tenant-scoped. Registering the same key again returns 200; a different key for an already registered device is 409 business-rule-violation (no silent key substitution).
         */
        put: operations["registerDeviceKey"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/envelopes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload offline audit DSSE envelopes of one device (TR §10)
         * @description Verifies each Ed25519 signature and the device chain (seq, prevHash) from the head the server holds.
         *     All or nothing. Modified → 422 envelope-signature-invalid; reordered, gap or truncation → 422
         *     envelope-chain-broken; an already accepted head replayed → 409 envelope-replayed; unregistered device → 404.
         */
        post: operations["uploadAuditEnvelopes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * Problem
         * @description RFC 9457 problem details (TR §11). `type` is one of the closed list of syncproof problem types; `status` must be one the type allows (contracts/src/problem-types.ts). Extension members are allowed; the ones the protocol pins are typed here and required for their type.
         */
        Problem: {
            /** @enum {string} */
            type: "https://syncproof.dev/problems/malformed-json" | "https://syncproof.dev/problems/validation-failed" | "https://syncproof.dev/problems/unknown-aggregate-type" | "https://syncproof.dev/problems/invalid-tenant-id" | "https://syncproof.dev/problems/unsupported-media-type" | "https://syncproof.dev/problems/unauthorized" | "https://syncproof.dev/problems/forbidden" | "https://syncproof.dev/problems/tenant-mismatch" | "https://syncproof.dev/problems/actor-mismatch" | "https://syncproof.dev/problems/permission-lost" | "https://syncproof.dev/problems/not-found" | "https://syncproof.dev/problems/idempotency-key-missing" | "https://syncproof.dev/problems/idempotency-key-reuse" | "https://syncproof.dev/problems/idempotency-key-in-flight" | "https://syncproof.dev/problems/precondition-failed" | "https://syncproof.dev/problems/precondition-required" | "https://syncproof.dev/problems/payload-too-large" | "https://syncproof.dev/problems/batch-too-large" | "https://syncproof.dev/problems/out-of-order" | "https://syncproof.dev/problems/insufficient-stock" | "https://syncproof.dev/problems/business-rule-violation" | "https://syncproof.dev/problems/conflict-not-open" | "https://syncproof.dev/problems/envelope-signature-invalid" | "https://syncproof.dev/problems/envelope-chain-broken" | "https://syncproof.dev/problems/envelope-replayed" | "https://syncproof.dev/problems/internal-error" | "https://syncproof.dev/problems/service-unavailable";
            title: string;
            status: number;
            detail?: string;
            instance?: string;
            /** @description validation-failed: one entry per violation, naming the JSON Pointer (RFC 6901) of the offending field in the request body. */
            errors?: {
                pointer: string;
                detail: string;
            }[];
            /** @description out-of-order: the clientSeq the server expected next. */
            expectedSeq?: number;
            /** @description precondition-failed: the resource's current version. */
            currentVersion?: number;
            /** @description insufficient-stock: the quantity on hand. */
            available?: number;
            /** @description payload-too-large / batch-too-large: the limit exceeded (bytes or mutations). */
            limit?: number;
        };
        /**
         * AggregateRef
         * @description Names one aggregate instance: its type (module-defined, e.g. clinic: patient, encounter, note, stock-item) and its client-generated id. The type is a pattern, not an enum, so that an unknown type is reported as unknown-aggregate-type rather than validation-failed (TR §2.4).
         */
        AggregateRef: {
            /** @description Aggregate type; becomes a NATS subject token, so no '.', '*', '>' or whitespace. */
            type: string;
            /** Format: uuid */
            id: string;
        };
        /**
         * Mutation
         * @description One client-captured write in a sync push (TR §2.2). Idempotency scope is (token tenant, clientMutationId); the fingerprint is SHA-256 of canonical JSON of (actorId, aggregate, op, baseVersion, payload) (TR §3.4).
         */
        Mutation: {
            /**
             * Format: uuid
             * @description Stable across every retry of this write (OFS-IDEM-001).
             */
            clientMutationId: string;
            /** @description Per (tenant, clientId), strictly +1, first is 1 (TR §4.1). */
            clientSeq: number;
            aggregate: components["schemas"]["AggregateRef"];
            /** @enum {string} */
            op: "create" | "update" | "append" | "adjust";
            /** @description Version the client based the change on; 0 = create. */
            baseVersion: number;
            /** @description Aggregate-specific payload; open here, checked by the module's business rules (a failure is a rejected outcome, not a whole-request error). */
            payload: Record<string, unknown>;
            /** Format: date-time */
            capturedAt: string;
            /** @description Must equal the uploading token's sub, else outcome rejected actor-mismatch (TR §1.2). */
            actorId: string;
        };
        /**
         * PushRequest
         * @description Body of POST /v1/sync/{module}/push (TR §2.1). More than 500 mutations is 413 batch-too-large (checked before schema validation); a clientMutationId repeated inside one batch is 400 validation-failed.
         */
        PushRequest: {
            /**
             * Format: uuid
             * @description The client installation whose clientSeq numbering the mutations follow.
             */
            clientId: string;
            /** @description Optional and redundant: the tenant comes from the token only. If present it is checked against the token's tenant_id claim; a disagreement is 403 tenant-mismatch, an invalid value 400 invalid-tenant-id (TR §1.2, §1.3). */
            tenantId?: string;
            mutations: components["schemas"]["Mutation"][];
        };
        /**
         * Outcome
         * @description The server's answer for one mutation of a push (TR §2.3), selected by `status`. Decided outcomes (applied, rejected, conflict) are recorded and replayed byte-identical plus `replayed: true`; blocked and not-processed are never recorded and so never carry `replayed`.
         */
        Outcome: components["schemas"]["OutcomeApplied"] | components["schemas"]["OutcomeRejected"] | components["schemas"]["OutcomeConflict"] | components["schemas"]["OutcomeBlocked"] | components["schemas"]["OutcomeDuplicateExpired"] | components["schemas"]["OutcomeNotProcessed"];
        /**
         * PushResponse
         * @description 200 body of a push: exactly one outcome per mutation, in request order (TR §2.3).
         */
        PushResponse: {
            outcomes: components["schemas"]["Outcome"][];
        };
        /**
         * PullResponse
         * @description 200 body of GET /v1/sync/{module}/pull (TR §7): the token tenant's changes after the cursor, in commit order. `op` is the mutation's op, or `resolve` for a change made by resolving a conflict.
         */
        PullResponse: {
            changes: {
                aggregate: components["schemas"]["AggregateRef"];
                version: number;
                /** @enum {string} */
                op: "create" | "update" | "append" | "adjust" | "resolve";
                state: Record<string, unknown>;
                /** Format: date-time */
                committedAt: string;
                /** Format: uuid */
                eventId: string;
            }[];
            /** @description Opaque; pass it back as ?cursor= to continue (also when hasMore is false, to poll for later changes). */
            nextCursor: string;
            hasMore: boolean;
        };
        /**
         * Conflict
         * @description A conflict resource (TR §6.6). Open conflicts carry neither resolvedAt nor resolution; resolved ones carry both.
         */
        Conflict: {
            /** Format: uuid */
            conflictId: string;
            aggregate: components["schemas"]["AggregateRef"];
            /** @enum {string} */
            policy: "reject-stale" | "merge-append" | "manual" | "server-authoritative";
            /** @enum {string} */
            status: "open" | "resolved";
            /** Format: uuid */
            clientId: string;
            /** Format: uuid */
            clientMutationId: string;
            serverVersion: number;
            serverState: Record<string, unknown>;
            /** @description The client's mutation payload that could not be applied. */
            proposed: Record<string, unknown>;
            /** @description Whether the aggregate holds PHI; resolving a PHI conflict emits exactly one audit event (TR §9.1). */
            phi: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            resolvedAt?: string;
            /** @enum {string} */
            resolution?: "keep-server" | "take-client" | "merged";
        };
        /**
         * ConflictList
         * @description 200 body of GET /v1/sync/{module}/conflicts (TR §6.6): the token tenant's conflicts only.
         */
        ConflictList: {
            conflicts: components["schemas"]["Conflict"][];
        };
        /**
         * ConflictResolveRequest
         * @description Body of POST /v1/sync/{module}/conflicts/{id}/resolve (TR §6.6). `merged` needs the merged `state`; the other resolutions take no state.
         */
        ConflictResolveRequest: {
            /** @enum {string} */
            resolution: "keep-server" | "take-client" | "merged";
            state?: Record<string, unknown>;
        };
        /**
         * ConflictResolveResponse
         * @description 200 body of a successful resolve: the resolved conflict and the aggregate's version after resolution.
         */
        ConflictResolveResponse: {
            conflict: components["schemas"]["Conflict"];
            /** @description Version after resolution. 0 when keep-server resolves a conflict whose aggregate was never created (e.g. a probable-duplicate patient that is not admitted). */
            newVersion: number;
            etag: string;
        };
        /**
         * Resource
         * @description Versioned REST representation of an aggregate (TR §5); returned with header ETag: "<version>".
         */
        Resource: {
            /** Format: uuid */
            id: string;
            type: string;
            version: number;
            state: Record<string, unknown>;
            /** Format: date-time */
            updatedAt: string;
        };
        /**
         * AuditEvent
         * @description Subset of a FHIR R4 AuditEvent following IHE Basic Audit Log Patterns (TR §9.2): who (agent), what (entity references), when (recorded), outcome, the patient reference and the versions involved. Closed shapes (additionalProperties false) leave no place for PHI values: entities are references only, never names, MRNs or note text.
         */
        AuditEvent: {
            /** @constant */
            resourceType: "AuditEvent";
            id?: string;
            meta?: {
                profile?: string[];
            };
            type: components["schemas"]["AuditEventCoding"];
            subtype: components["schemas"]["AuditEventCoding"][];
            /** @enum {string} */
            action: "C" | "R" | "U" | "D" | "E";
            /** Format: date-time */
            recorded: string;
            /**
             * @description FHIR R4 AuditEventOutcome: 0 success, 4 minor failure, 8 serious failure, 12 major failure.
             * @enum {string}
             */
            outcome: "0" | "4" | "8" | "12";
            /** @description A problem type URI or short code; never PHI. */
            outcomeDesc?: string;
            agent: {
                type?: components["schemas"]["AuditEventCodeableConcept"];
                role?: components["schemas"]["AuditEventCodeableConcept"][];
                who: {
                    identifier: components["schemas"]["AuditEventIdentifier"];
                };
                requestor: boolean;
            }[];
            source: {
                /** @description The tenant id the event belongs to. */
                site?: string;
                observer: {
                    identifier?: components["schemas"]["AuditEventIdentifier"];
                    display?: string;
                };
                type?: components["schemas"]["AuditEventCoding"][];
            };
            /** @description At least one entity states the versions involved as detail {type: "versions", valueString}. */
            entity: {
                what: {
                    /** @description "Patient/<id>" or "<Type>/<id>"; a reference only. */
                    reference: string;
                };
                type?: components["schemas"]["AuditEventCoding"];
                role?: components["schemas"]["AuditEventCoding"];
                detail?: {
                    type: string;
                    valueString: string;
                }[];
            }[];
        };
        /**
         * AuditChainEntry
         * @description One link of a tenant's audit hash chain (TR §9.3): hash = hex SHA-256(prevHash + canonical JSON of event); the first entry (seq 1) has prevHash of 64 zeros.
         */
        AuditChainEntry: {
            seq: number;
            prevHash: string;
            hash: string;
            event: components["schemas"]["AuditEvent"];
        };
        /**
         * AuditEventsPage
         * @description 200 body of GET /v1/audit/events (TR §9.4): chain entries after afterSeq, and the chain head (seq 0 and 64 zeros for an empty chain).
         */
        AuditEventsPage: {
            entries: components["schemas"]["AuditChainEntry"][];
            head: components["schemas"]["AuditEventsPageHead"];
        };
        /**
         * DsseEnvelope
         * @description DSSE v1 envelope sealing one offline audit record (TR §10.1): Ed25519 signature over PAE(payloadType, payload bytes). payload is standard base64 of the audit-record-payload JSON.
         */
        DsseEnvelope: {
            /** @constant */
            payloadType: "application/vnd.syncproof.audit-record+json";
            payload: string;
            signatures: {
                keyid: string;
                sig: string;
            }[];
        };
        /**
         * AuditRecordPayload
         * @description Decoded payload of an offline audit DSSE envelope (TR §10.1): the device chain link and the record. prevHash = hex SHA-256 of the previous envelope's payload bytes; 64 zeros for seq 1.
         */
        AuditRecordPayload: {
            deviceId: string;
            seq: number;
            prevHash: string;
            /** @description The device-side audit record; module-defined, no PHI values. */
            record: Record<string, unknown>;
        };
        /**
         * DeviceKeyRegistration
         * @description Body of PUT /v1/audit/devices/{deviceId} (TR §10.2): the device's Ed25519 public key as an OKP JWK (RFC 8037). A private key member (d) is refused.
         */
        DeviceKeyRegistration: {
            publicKeyJwk: {
                /** @constant */
                kty: "OKP";
                /** @constant */
                crv: "Ed25519";
                /** @description base64url (no padding) of the 32-byte public key. */
                x: string;
                kid?: string;
                /** @enum {string} */
                alg?: "EdDSA" | "Ed25519";
                /** @constant */
                use?: "sig";
            };
        };
        /**
         * DeviceKey
         * @description A registered device key (response of PUT /v1/audit/devices/{deviceId}), scoped to the token's tenant.
         */
        DeviceKey: {
            deviceId: string;
            publicKeyJwk: components["schemas"]["DeviceKeyRegistration"]["publicKeyJwk"];
            /** @description The device chain head accepted so far (seq 0 before any upload). */
            head?: components["schemas"]["AuditEventsPageHead"];
        };
        /**
         * EnvelopeUploadRequest
         * @description Body of POST /v1/audit/envelopes (TR §10.2): consecutive envelopes of one device's chain, continuing from the head the server holds. All or nothing: a batch with one bad envelope stores nothing.
         */
        EnvelopeUploadRequest: {
            deviceId: string;
            envelopes: components["schemas"]["DsseEnvelope"][];
        };
        /**
         * EnvelopeUploadResponse
         * @description 200 body of POST /v1/audit/envelopes: how many envelopes were accepted and the device chain head after them (hash = hex SHA-256 of the head envelope's payload bytes).
         */
        EnvelopeUploadResponse: {
            accepted: number;
            head: components["schemas"]["AuditEventsPageHead"];
        };
        /**
         * DevTokenRequest
         * @description Body of the dev-only POST /v1/dev/tokens: mint a token from the dev issuer. Not part of a module contract; only enabled with the dev issuer.
         */
        DevTokenRequest: {
            tenantId: string;
            sub: string;
            roles: ("clinician" | "pharmacist" | "auditor" | "admin")[];
            ttlSeconds?: number;
        };
        /**
         * DevTokenResponse
         * @description 201 body of POST /v1/dev/tokens: a compact JWS (JWT) signed by the dev issuer.
         */
        DevTokenResponse: {
            token: string;
        };
        /**
         * SyncDomainEvent
         * @description CloudEvents 1.0 structured JSON envelope of a sync domain event (TR §8.2), published on subject sync.<tenantid>.<module>.<aggregateType>.<eventType>. `id` equals the Nats-Msg-Id header and the applied outcome's eventId (deterministic UUID from tenantId and clientMutationId, TR §8.3). `tenantid` equals data.tenantId. Attribute names follow the CloudEvents naming rule (lower-case a-z0-9, at most 20 characters).
         */
        CloudEvent: {
            /** @constant */
            specversion: "1.0";
            /** Format: uuid */
            id: string;
            source: string;
            type: string;
            /**
             * Format: uuid
             * @description The aggregate id.
             */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @constant */
            datacontenttype: "application/json";
            /** Format: uri */
            dataschema?: string;
            tenantid: string;
            data: {
                tenantId: string;
                aggregate: components["schemas"]["AggregateRef"];
                version: number;
                /**
                 * @description The applied mutation's op; `resolve` for a resolved event.
                 * @enum {string}
                 */
                op: "create" | "update" | "append" | "adjust" | "resolve";
                /**
                 * Format: uuid
                 * @description For a resolved event: the clientMutationId of the conflicting mutation.
                 */
                clientMutationId: string;
                /** @description For a resolved event: the resolver. */
                actorId: string;
                state: Record<string, unknown>;
            };
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        Jwks: {
            keys: {
                kty: string;
                kid?: string;
                alg?: string;
                use?: string;
                crv?: string;
                x?: string;
                y?: string;
            }[];
        };
        PatientCreate: {
            /** Format: uuid */
            id: string;
            mrn: string;
            givenName: string;
            familyName: string;
            /** Format: date */
            birthDate: string;
        };
        PatientPatch: {
            mrn?: string;
            givenName?: string;
            familyName?: string;
            /** Format: date */
            birthDate?: string;
        };
        EncounterCreate: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            patientId: string;
            /** @enum {string} */
            status: "planned" | "in-progress" | "finished";
            reason?: string;
        };
        EncounterPatch: {
            /** @enum {string} */
            status?: "planned" | "in-progress" | "finished";
            reason?: string | null;
        };
        NoteCreate: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            patientId: string;
            title: string;
        };
        NoteEntryAppend: {
            text: string;
            /** Format: date-time */
            authoredAt: string;
        };
        StockItemCreate: {
            /** Format: uuid */
            id: string;
            sku: string;
            name: string;
            quantity: number;
            controlled: boolean;
        };
        StockItemPatch: {
            name?: string;
            quantity?: number;
            controlled?: boolean;
        };
        /** Format: uuid */
        OutcomeClientMutationId: string;
        OutcomeClientSeq: number;
        /**
         * @description Present only on a replay of a recorded decision.
         * @constant
         */
        OutcomeReplayed: true;
        /** AppliedOutcome */
        OutcomeApplied: {
            clientMutationId: components["schemas"]["OutcomeClientMutationId"];
            clientSeq: components["schemas"]["OutcomeClientSeq"];
            /** @constant */
            status: "applied";
            newVersion: number;
            /** @description Entity tag of the new version, as in the ETag header: "<version>". */
            etag: string;
            /**
             * Format: uuid
             * @description Id of the domain event (deterministic from tenantId and clientMutationId, TR §8.3).
             */
            eventId: string;
            replayed?: components["schemas"]["OutcomeReplayed"];
        };
        /** RejectedOutcome */
        OutcomeRejected: {
            clientMutationId: components["schemas"]["OutcomeClientMutationId"];
            clientSeq: components["schemas"]["OutcomeClientSeq"];
            /** @constant */
            status: "rejected";
            problem: components["schemas"]["Problem"];
            replayed?: components["schemas"]["OutcomeReplayed"];
        };
        /** ConflictOutcome */
        OutcomeConflict: {
            clientMutationId: components["schemas"]["OutcomeClientMutationId"];
            clientSeq: components["schemas"]["OutcomeClientSeq"];
            /** @constant */
            status: "conflict";
            /** Format: uuid */
            conflictId: string;
            serverVersion: number;
            serverState: Record<string, unknown>;
            /** @enum {string} */
            policy: "reject-stale" | "merge-append" | "manual" | "server-authoritative";
            replayed?: components["schemas"]["OutcomeReplayed"];
        };
        /** BlockedOutcome */
        OutcomeBlocked: {
            clientMutationId: components["schemas"]["OutcomeClientMutationId"];
            clientSeq: components["schemas"]["OutcomeClientSeq"];
            /** @constant */
            status: "blocked";
            /**
             * Format: uuid
             * @description conflictId of the open conflict of an earlier mutation on the same aggregate.
             */
            blockedBy: string;
        };
        /** DuplicateExpiredOutcome */
        OutcomeDuplicateExpired: {
            clientMutationId: components["schemas"]["OutcomeClientMutationId"];
            clientSeq: components["schemas"]["OutcomeClientSeq"];
            /** @constant */
            status: "duplicate-expired";
            replayed: components["schemas"]["OutcomeReplayed"];
        };
        /** NotProcessedOutcome */
        OutcomeNotProcessed: {
            clientMutationId: components["schemas"]["OutcomeClientMutationId"];
            clientSeq: components["schemas"]["OutcomeClientSeq"];
            /** @constant */
            status: "not-processed";
        };
        AuditEventCoding: {
            /** Format: uri */
            system?: string;
            code: string;
            display?: string;
        };
        AuditEventCodeableConcept: {
            coding?: components["schemas"]["AuditEventCoding"][];
            text?: string;
        };
        AuditEventIdentifier: {
            system?: string;
            value: string;
        };
        AuditEventsPageHead: {
            seq: number;
            hash: string;
        };
    };
    responses: {
        /** @description Created; the versioned representation. */
        ResourceCreated: {
            headers: {
                ETag: components["headers"]["ETag"];
                Location: components["headers"]["Location"];
                "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Resource"];
            };
        };
        /** @description The versioned representation. */
        ResourceOk: {
            headers: {
                ETag: components["headers"]["ETag"];
                "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Resource"];
            };
        };
        /** @description malformed-json, validation-failed (errors[] name the JSON Pointers), invalid-tenant-id (body/header), idempotency-key-missing. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/validation-failed",
                 *       "title": "Request body invalid",
                 *       "status": 400,
                 *       "errors": [
                 *         {
                 *           "pointer": "/mutations/0/clientMutationId",
                 *           "detail": "is required"
                 *         }
                 *       ]
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description unauthorized — missing, expired or forged token, wrong audience or issuer (TR §1.1). */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/unauthorized",
                 *       "title": "Token missing",
                 *       "expired or invalid": null,
                 *       "status": 401
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description forbidden (role), tenant-mismatch, invalid-tenant-id (token claim), permission-lost. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/tenant-mismatch",
                 *       "title": "Tenant does not match the token",
                 *       "status": 403
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description not-found — unknown, or belongs to another tenant. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/not-found",
                 *       "title": "Not found",
                 *       "status": 404
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description idempotency-key-in-flight, conflict-not-open, insufficient-stock, business-rule-violation (taken identifier), envelope-replayed. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/idempotency-key-in-flight",
                 *       "title": "A request with this key is still being processed",
                 *       "status": 409
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description precondition-failed — If-Match is stale; carries currentVersion and the current ETag. */
        PreconditionFailed: {
            headers: {
                ETag: components["headers"]["ETag"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/precondition-failed",
                 *       "title": "If-Match is stale",
                 *       "status": 412,
                 *       "currentVersion": 2
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description payload-too-large (body over 1 MiB) or batch-too-large (over 500 mutations); `limit` names the limit. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/batch-too-large",
                 *       "title": "Too many mutations",
                 *       "status": 413,
                 *       "limit": 500
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description unsupported-media-type. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/unsupported-media-type",
                 *       "title": "Unsupported media type",
                 *       "status": 415
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description idempotency-key-reuse, unknown-aggregate-type, business-rule-violation, envelope-signature-invalid, envelope-chain-broken. */
        UnprocessableContent: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/idempotency-key-reuse",
                 *       "title": "Idempotency key reused with another payload",
                 *       "status": 422
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description precondition-required — If-Match missing. */
        PreconditionRequired: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/precondition-required",
                 *       "title": "If-Match required",
                 *       "status": 428
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description internal-error — nothing was decided or recorded; retry. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/internal-error",
                 *       "title": "Internal error",
                 *       "status": 500
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description service-unavailable — nothing was decided or recorded; retry later. */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "https://syncproof.dev/problems/service-unavailable",
                 *       "title": "Service unavailable",
                 *       "status": 503
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /** @description The module whose aggregates are synced. */
        Module: "clinic";
        ResourceId: string;
        /**
         * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
         *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
         *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
         */
        IdempotencyKey: string;
        /** @description The ETag the change is based on. Missing → 428 precondition-required; stale → 412 precondition-failed. A replay wins over If-Match (TR §5.3–§5.4). */
        IfMatch: string;
    };
    requestBodies: never;
    headers: {
        /** @description Entity tag of the representation's version, `"<version>"`. */
        ETag: string;
        /** @description Present (`true`) when the response replays the recorded response of an earlier request with the same Idempotency-Key. */
        IdempotentReplayed: "true";
        /** @description URL of the created resource. */
        Location: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server is up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JWKS. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
            404: components["responses"]["NotFound"];
        };
    };
    mintDevToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DevTokenRequest"];
            };
        };
        responses: {
            /** @description A signed token. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevTokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    pushMutations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The module whose aggregates are synced. */
                module: components["parameters"]["Module"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PushRequest"];
            };
        };
        responses: {
            /** @description One outcome per mutation, in request order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    pullChanges: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous `nextCursor`; absent = from the beginning. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The module whose aggregates are synced. */
                module: components["parameters"]["Module"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of changes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PullResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    listConflicts: {
        parameters: {
            query?: {
                status?: "open" | "resolved";
            };
            header?: never;
            path: {
                /** @description The module whose aggregates are synced. */
                module: components["parameters"]["Module"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The conflicts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConflictList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    resolveConflict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The module whose aggregates are synced. */
                module: components["parameters"]["Module"];
                conflictId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConflictResolveRequest"];
            };
        };
        responses: {
            /** @description The resolved conflict and the aggregate's new version. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConflictResolveResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    createPatient: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
                 *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
                 *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatientCreate"];
            };
        };
        responses: {
            201: components["responses"]["ResourceCreated"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getPatient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ResourceOk"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    patchPatient: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
                 *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
                 *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
                /** @description The ETag the change is based on. Missing → 428 precondition-required; stale → 412 precondition-failed. A replay wins over If-Match (TR §5.3–§5.4). */
                "If-Match": components["parameters"]["IfMatch"];
            };
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["PatientPatch"];
                "application/json": components["schemas"]["PatientPatch"];
            };
        };
        responses: {
            200: components["responses"]["ResourceOk"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            428: components["responses"]["PreconditionRequired"];
        };
    };
    createEncounter: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
                 *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
                 *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EncounterCreate"];
            };
        };
        responses: {
            201: components["responses"]["ResourceCreated"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getEncounter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ResourceOk"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    patchEncounter: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
                 *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
                 *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
                /** @description The ETag the change is based on. Missing → 428 precondition-required; stale → 412 precondition-failed. A replay wins over If-Match (TR §5.3–§5.4). */
                "If-Match": components["parameters"]["IfMatch"];
            };
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["EncounterPatch"];
                "application/json": components["schemas"]["EncounterPatch"];
            };
        };
        responses: {
            200: components["responses"]["ResourceOk"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            428: components["responses"]["PreconditionRequired"];
        };
    };
    createStockItem: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
                 *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
                 *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StockItemCreate"];
            };
        };
        responses: {
            201: components["responses"]["ResourceCreated"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getStockItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ResourceOk"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    patchStockItem: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
                 *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
                 *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
                /** @description The ETag the change is based on. Missing → 428 precondition-required; stale → 412 precondition-failed. A replay wins over If-Match (TR §5.3–§5.4). */
                "If-Match": components["parameters"]["IfMatch"];
            };
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["StockItemPatch"];
                "application/json": components["schemas"]["StockItemPatch"];
            };
        };
        responses: {
            200: components["responses"]["ResourceOk"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            428: components["responses"]["PreconditionRequired"];
        };
    };
    createNote: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
                 *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
                 *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteCreate"];
            };
        };
        responses: {
            201: components["responses"]["ResourceCreated"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ResourceOk"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    appendNoteEntry: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description IETF Idempotency-Key. Missing → 400 idempotency-key-missing; same key with another fingerprint → 422
                 *     idempotency-key-reuse; same key while the first request is in flight → 409 idempotency-key-in-flight;
                 *     replay → the original status and body plus `Idempotent-Replayed: true` (TR §5.1–§5.2).
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: components["parameters"]["ResourceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteEntryAppend"];
            };
        };
        responses: {
            200: components["responses"]["ResourceOk"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                afterSeq?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Chain entries after afterSeq and the chain head. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventsPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    registerDeviceKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deviceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeviceKeyRegistration"];
            };
        };
        responses: {
            /** @description The key was already registered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceKey"];
                };
            };
            /** @description The key is registered. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    uploadAuditEnvelopes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnvelopeUploadRequest"];
            };
        };
        responses: {
            /** @description All envelopes accepted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnvelopeUploadResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
}
