/**
 * Builders for the RFC 9457 problems the core returns (TR §11.1). Statuses follow
 * contracts/schemas/problem.schema.json.
 */
import type { Problem, ProblemName } from './types.js';

/** Base URI of every problem type. */
export const PROBLEM_BASE = 'https://syncproof.dev/problems/';

const DEFAULTS: Record<ProblemName, { status: number; title: string }> = {
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  'validation-failed': { status: 400, title: 'Validation failed' },
  'unknown-aggregate-type': { status: 422, title: 'Unknown aggregate type' },
  'invalid-tenant-id': { status: 400, title: 'Invalid tenant id' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'tenant-mismatch': { status: 403, title: 'Tenant mismatch' },
  'actor-mismatch': { status: 403, title: 'Actor mismatch' },
  'permission-lost': { status: 403, title: 'Permission lost' },
  'not-found': { status: 404, title: 'Not found' },
  'idempotency-key-missing': { status: 400, title: 'Idempotency-Key missing' },
  'idempotency-key-reuse': { status: 422, title: 'Idempotency key reused with a different request' },
  'idempotency-key-in-flight': { status: 409, title: 'Idempotency key still in flight' },
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
};

/** A problem of type `name` with its default status and title, plus `extra` members. */
export function problem(name: ProblemName, detail?: string, extra?: Partial<Problem>): Problem {
  const d = DEFAULTS[name];
  const p: { -readonly [K in keyof Problem]: Problem[K] } = { type: PROBLEM_BASE + name, title: d.title, status: d.status };
  if (detail !== undefined) p.detail = detail;
  if (extra) Object.assign(p, extra);
  return p;
}

/** A `validation-failed` problem naming the offending fields. */
export function validationFailed(errors: readonly { pointer: string; detail: string }[], detail?: string): Problem {
  const first = errors[0];
  return problem('validation-failed', detail ?? (first ? `${first.pointer || '/'}: ${first.detail}` : 'invalid request'), {
    errors: errors.length > 0 ? errors : [{ pointer: '', detail: 'invalid request' }],
  });
}

/** The problem name of a problem's `type` URI (or undefined when foreign). */
export function problemName(p: Problem): string | undefined {
  return p.type.startsWith(PROBLEM_BASE) ? p.type.slice(PROBLEM_BASE.length) : undefined;
}
