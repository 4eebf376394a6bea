/**
 * The closed list of RFC 9457 problem types of the syncproof protocol (TR §11.1), with the HTTP
 * statuses each may carry. The OpenAPI `Problem.type` enum and `problem.schema.json` must list
 * exactly these (a test in contracts/test checks that), so the server, the suite and the contract
 * cannot drift apart.
 */

/** Base URI every problem type shares. */
export const PROBLEM_TYPE_BASE = 'https://syncproof.dev/problems/' as const;

/**
 * Problem name → statuses it may be sent with (first = the usual one). Where the protocol leaves a
 * status open the contract pins it here: `unknown-aggregate-type` is 422 (a well-formed request
 * naming a type the module does not have), `invalid-tenant-id` is 400 in a body/header but 403 as a
 * token claim (TR §1.3), `business-rule-violation` is 422, or 409 for a taken identifier.
 */
export const PROBLEM_STATUSES = {
  'malformed-json': [400],
  'validation-failed': [400],
  'unknown-aggregate-type': [422],
  'invalid-tenant-id': [400, 403],
  'unsupported-media-type': [415],
  unauthorized: [401],
  forbidden: [403],
  'tenant-mismatch': [403],
  'actor-mismatch': [403],
  'permission-lost': [403],
  'not-found': [404],
  'idempotency-key-missing': [400],
  'idempotency-key-reuse': [422],
  'idempotency-key-in-flight': [409],
  'precondition-failed': [412],
  'precondition-required': [428],
  'payload-too-large': [413],
  'batch-too-large': [413],
  'out-of-order': [409],
  'insufficient-stock': [409],
  'business-rule-violation': [422, 409],
  'conflict-not-open': [409],
  'envelope-signature-invalid': [422],
  'envelope-chain-broken': [422],
  'envelope-replayed': [409],
  'internal-error': [500],
  'service-unavailable': [503],
} as const satisfies Record<string, readonly number[]>;

/** A problem name, e.g. `idempotency-key-reuse`. */
export type ProblemName = keyof typeof PROBLEM_STATUSES;

/** A problem type URI, e.g. `https://syncproof.dev/problems/idempotency-key-reuse`. */
export type ProblemTypeUri = `${typeof PROBLEM_TYPE_BASE}${ProblemName}`;

/** One entry of the closed list. */
export interface ProblemType {
  readonly name: ProblemName;
  readonly uri: ProblemTypeUri;
  /** The usual status. */
  readonly status: number;
  /** Every status this type may be sent with. */
  readonly statuses: readonly number[];
}

/** All problem names, in protocol order. */
export const PROBLEM_NAMES = Object.keys(PROBLEM_STATUSES) as ProblemName[];

/** Builds the URI of a problem name. */
export function problemTypeUri(name: ProblemName): ProblemTypeUri {
  return `${PROBLEM_TYPE_BASE}${name}`;
}

/** The closed list, in protocol order. */
export const PROBLEM_TYPES: readonly ProblemType[] = PROBLEM_NAMES.map((name) => {
  const statuses: readonly number[] = PROBLEM_STATUSES[name];
  return { name, uri: problemTypeUri(name), status: statuses[0] as number, statuses };
});

/** All problem type URIs, in protocol order. */
export const PROBLEM_TYPE_URIS: readonly ProblemTypeUri[] = PROBLEM_TYPES.map((p) => p.uri);

/** Looks a problem type up by URI; `undefined` for a URI outside the closed list. */
export function problemTypeByUri(uri: string): ProblemType | undefined {
  return PROBLEM_TYPES.find((p) => p.uri === uri);
}
