/**
 * RFC 9457 problem details with the closed list of problem types of PROTOCOL §11.1. Every error the
 * reference server answers with is built here, so a type outside the list cannot be sent.
 */

/** Base URI of every problem type. */
export const PROBLEM_TYPE_BASE = 'https://syncproof.dev/problems/';

/** Default status and title of each problem type (TR §11.1). */
export const PROBLEM_TYPES = {
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  'validation-failed': { status: 400, title: 'Validation failed' },
  'unknown-aggregate-type': { status: 400, title: 'Unknown aggregate type' },
  'invalid-tenant-id': { status: 400, title: 'Invalid tenant id' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'tenant-mismatch': { status: 403, title: 'Tenant mismatch' },
  'actor-mismatch': { status: 403, title: 'Actor mismatch' },
  'permission-lost': { status: 403, title: 'Permission lost' },
  'not-found': { status: 404, title: 'Not found' },
  'idempotency-key-missing': { status: 400, title: 'Idempotency-Key missing' },
  'idempotency-key-reuse': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'idempotency-key-in-flight': { status: 409, title: 'Idempotency-Key still in flight' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'batch-too-large': { status: 413, title: 'Batch too large' },
  'out-of-order': { status: 409, title: 'Out of order' },
  'insufficient-stock': { status: 409, title: 'Insufficient stock' },
  'business-rule-violation': { status: 422, title: 'Business rule violation' },
  'conflict-not-open': { status: 409, title: 'Conflict not open' },
  'envelope-signature-invalid': { status: 422, title: 'Envelope signature invalid' },
  'envelope-chain-broken': { status: 422, title: 'Envelope chain broken' },
  'envelope-replayed': { status: 409, title: 'Envelope replayed' },
  'internal-error': { status: 500, title: 'Internal error' },
  'service-unavailable': { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A problem type name from the closed list. */
export type ProblemName = keyof typeof PROBLEM_TYPES;

/** An RFC 9457 problem document. Extensions sit beside the standard members. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

/** Media type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** True when `name` is on the closed list. */
export function isProblemName(name: string): name is ProblemName {
  return Object.hasOwn(PROBLEM_TYPES, name);
}

/**
 * Builds a problem document. `status` defaults to the type's own; extensions are copied after the
 * standard members so they cannot overwrite them.
 */
export function makeProblem(
  name: ProblemName,
  detail?: string,
  extensions: Readonly<Record<string, unknown>> = {},
  status?: number,
): Problem {
  const def = PROBLEM_TYPES[name];
  return {
    ...extensions,
    type: PROBLEM_TYPE_BASE + name,
    title: def.title,
    status: status ?? def.status,
    ...(detail === undefined ? {} : { detail }),
  };
}

/** A failure that the HTTP layer answers with its problem document. */
export class ProblemError extends Error {
  override name = 'ProblemError';
  /** The problem sent to the client. */
  readonly problem: Problem;
  /** Extra response headers (e.g. `ETag` on 412, `WWW-Authenticate` on 401). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(problem: Problem, headers: Readonly<Record<string, string>> = {}) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
    this.headers = headers;
  }

  /** The problem's HTTP status. */
  get status(): number {
    return this.problem.status;
  }

  /** Shorthand for `new ProblemError(makeProblem(...))`. */
  static of(
    name: ProblemName,
    detail?: string,
    extensions?: Readonly<Record<string, unknown>>,
    headers?: Readonly<Record<string, string>>,
  ): ProblemError {
    return new ProblemError(makeProblem(name, detail, extensions), headers);
  }
}
