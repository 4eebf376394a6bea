/**
 * The target profile: everything the suite needs to know about a server under test (host contract
 * version 2, conformance/TARGET.md; schema contracts/schemas/target-profile.schema.json).
 */

/**
 * Host contract version this suite implements. Changes whenever what a target must expose changes.
 * v2 added the optional test hooks (TARGET.md §5); version 1 profiles are still accepted.
 */
export const HOST_CONTRACT_VERSION = 2;

/** Request header of the hold hook (TARGET.md §5): hold a REST write in flight for n ms. */
export const TEST_HOLD_HEADER = 'Syncproof-Test-Hold-Ms';

/** Test hooks the target instance honours (host contract v2 §5). */
export interface TestHooksSpec {
  /** The target honours {@link TEST_HOLD_HEADER} on REST writes. */
  readonly holdInFlight?: boolean;
}

/** A role of TR §1.5. */
export type Role = 'clinician' | 'pharmacist' | 'auditor' | 'admin';

/** Conflict policy of an aggregate type (TR §6). */
export type ConflictPolicy = 'reject-stale' | 'merge-append' | 'manual' | 'server-authoritative';

/** Names the suite uses for principals; a profile may define more. */
export type PrincipalName = 'clinician' | 'clinician2' | 'pharmacist' | 'auditor' | 'admin' | (string & {});

/** One principal of a tenant. */
export interface PrincipalSpec {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly token?: string;
  readonly tokenEnv?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly clientSecretEnv?: string;
}

/** A tenant and its principals. */
export interface TenantSpec {
  readonly id: string;
  readonly principals: Readonly<Record<string, PrincipalSpec>>;
}

/** The suite signs tokens itself. */
export interface JwtSigningKeyAuth {
  readonly kind: 'jwt-signing-key';
  readonly alg: 'EdDSA' | 'ES256';
  readonly kid?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly privateKeyFile?: string;
  readonly privateKeyEnv?: string;
  readonly privateKeyJwk?: Readonly<Record<string, unknown>>;
}

/** The suite asks an endpoint for tokens. */
export interface TokenEndpointAuth {
  readonly kind: 'token-endpoint';
  readonly url: string;
  readonly grant?: 'dev-token' | 'client-credentials';
  readonly scope?: string;
  readonly audience?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Every principal carries a ready token. */
export interface StaticTokensAuth {
  readonly kind: 'static-tokens';
}

/** How tokens are obtained. */
export type AuthSpec = JwtSigningKeyAuth | TokenEndpointAuth | StaticTokensAuth;

/** Example payloads per op. */
export interface ExamplePayloads {
  readonly create: Readonly<Record<string, unknown>>;
  readonly update?: Readonly<Record<string, unknown>>;
  readonly append?: Readonly<Record<string, unknown>>;
  readonly adjust?: Readonly<Record<string, unknown>>;
  readonly createControlled?: Readonly<Record<string, unknown>>;
}

/** One aggregate type of the module. */
export interface AggregateSpec {
  readonly type: string;
  readonly policy: ConflictPolicy;
  readonly phi: boolean;
  readonly collection?: string;
  readonly phiFields?: readonly string[];
  readonly examplePayloads: ExamplePayloads;
}

/** NATS credentials. */
export interface NatsCredentials {
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  readonly credsFile?: string;
}

/** Where events are observed. */
export interface NatsSpec {
  readonly url: string;
  readonly stream: string;
  readonly auditStream?: string;
  readonly subjectPrefix: string;
  readonly auditSubjectPrefix?: string;
  readonly settleMs?: number;
  readonly credentials?: NatsCredentials;
  readonly clientCredentials?: NatsCredentials;
}

/** A parsed, validated profile. */
export interface TargetProfile {
  readonly profileVersion?: number;
  readonly name?: string;
  readonly baseUrl: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth: AuthSpec;
  readonly tenants: { readonly tenantA: TenantSpec; readonly tenantB: TenantSpec };
  readonly module: string;
  readonly aggregates: readonly AggregateSpec[];
  readonly idempotency: { readonly retentionDays: number; readonly maxOfflineWindowDays: number; readonly testRetentionSeconds?: number };
  readonly nats?: NatsSpec;
  readonly audit: { readonly source: 'http' | 'nats'; readonly eventsPath?: string; readonly envelopes?: boolean };
  readonly testHooks?: TestHooksSpec;
  readonly options?: {
    readonly requestTimeoutMs?: number;
    readonly validateWithPrism?: boolean;
    readonly recordPhi?: boolean;
    readonly concurrency?: number;
  };
}

/** A profile plus where it came from (relative paths resolve against `dir`). */
export interface LoadedProfile {
  readonly profile: TargetProfile;
  /** Directory of the profile file (or the working directory for generated profiles). */
  readonly dir: string;
  /** The run id substituted for `${runId}`. */
  readonly runId: string;
}
