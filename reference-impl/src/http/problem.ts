/**
 * RFC 9457 problem details with the closed list of problem types of PROTOCOL §11.1. Every error the
 * reference server answers with is built here, so a type outside the list cannot be sent.
 */

import { PROBLEM_STATUSES, problemTypeUri, type ProblemName } from '../../../contracts/src/problem-types.js';

export type { ProblemName };

/** Human titles of the problem types (the status comes from the contract's closed list). */
const TITLES: Readonly<Record<ProblemName, string>> = {
  'malformed-json': 'Malformed JSON',
  'validation-failed': 'Validation failed',
  'unknown-aggregate-type': 'Unknown aggregate type',
  'invalid-tenant-id': 'Invalid tenant id',
  'unsupported-media-type': 'Unsupported media type',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'tenant-mismatch': 'Tenant mismatch',
  'actor-mismatch': 'Actor mismatch',
  'permission-lost': 'Permission lost',
  'not-found': 'Not found',
  'idempotency-key-missing': 'Idempotency-Key missing',
  'idempotency-key-reuse': 'Idempotency-Key reused with a different request',
  'idempotency-key-in-flight': 'Idempotency-Key still in flight',
  'precondition-failed': 'Precondition failed',
  'precondition-required': 'Precondition required',
  'payload-too-large': 'Payload too large',
  'batch-too-large': 'Batch too large',
  'out-of-order': 'Out of order',
  'insufficient-stock': 'Insufficient stock',
  'business-rule-violation': 'Business rule violation',
  'conflict-not-open': 'Conflict not open',
  'envelope-signature-invalid': 'Envelope signature invalid',
  'envelope-chain-broken': 'Envelope chain broken',
  'envelope-replayed': 'Envelope replayed',
  'internal-error': 'Internal error',
  'service-unavailable': 'Service unavailable',
};

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
  return Object.hasOwn(PROBLEM_STATUSES, name);
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance']);

/**
 * Builds a problem document. `status` defaults to the type's usual one
 * (contracts/src/problem-types.ts); extensions follow the standard members and never overwrite them.
 */
export function makeProblem(
  name: ProblemName,
  detail?: string,
  extensions: Readonly<Record<string, unknown>> = {},
  status?: number,
): Problem {
  const ext: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extensions)) if (!STANDARD_MEMBERS.has(k)) ext[k] = v;
  return {
    type: problemTypeUri(name),
    title: TITLES[name],
    status: status ?? PROBLEM_STATUSES[name][0],
    ...(detail === undefined ? {} : { detail }),
    ...ext,
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
