/**
 * Typed failures of conformance checks. A check that finds a server breaking a rule throws a
 * {@link ConformanceFailure} (verdict `fail`); a check that cannot decide throws an
 * {@link InconclusiveError} (verdict `unknown`); a check the profile declares not applicable throws
 * a {@link NotApplicableError} (verdict `skipped`). Reports are built from these fields, never
 * parsed out of message strings.
 */

/** Stable failure codes, one per kind of broken rule. Never renamed; new ones are appended. */
export const FAILURE_CODES = [
  'CONF_E_STATUS',
  'CONF_E_SHAPE',
  'CONF_E_PROBLEM_TYPE',
  'CONF_E_NOT_PROBLEM_JSON',
  'CONF_E_SERVER_ERROR',
  'CONF_E_REPLAY_NOT_IDENTICAL',
  'CONF_E_REPLAY_MARKER_MISSING',
  'CONF_E_APPLIED_TWICE',
  'CONF_E_KEY_REUSE_ACCEPTED',
  'CONF_E_CACHED_BODY_LEAKED',
  'CONF_E_TENANT_LEAK',
  'CONF_E_ORDER',
  'CONF_E_NOT_BLOCKED',
  'CONF_E_WRONGLY_BLOCKED',
  'CONF_E_LOST_UPDATE',
  'CONF_E_PRECONDITION',
  'CONF_E_MERGE_LAW',
  'CONF_E_AUTO_MERGED',
  'CONF_E_CONFLICT_RESOURCE',
  'CONF_E_REASON_MISSING',
  'CONF_E_AUTH_ACCEPTED',
  'CONF_E_ACTOR_SPOOF',
  'CONF_E_PERMISSION',
  'CONF_E_EVENT_COUNT',
  'CONF_E_EVENT_SHAPE',
  'CONF_E_EVENT_MSG_ID',
  'CONF_E_EVENT_PUBLISH_ALLOWED',
  'CONF_E_AUDIT_COUNT',
  'CONF_E_AUDIT_SHAPE',
  'CONF_E_AUDIT_PHI',
  'CONF_E_AUDIT_CHAIN',
  'CONF_E_ENVELOPE_ACCEPTED',
  'CONF_E_CONTRACT_VIOLATION',
  'CONF_E_STORED_REJECTED',
  'CONF_E_DUPLICATE_REAPPLIED',
] as const;

/** One failure code. */
export type FailureCode = (typeof FAILURE_CODES)[number];

/** One HTTP exchange kept as evidence. Bodies are trimmed to keep reports small. */
export interface ExchangeEvidence {
  readonly request: { readonly method: string; readonly path: string; readonly headers?: Record<string, string>; readonly body?: unknown };
  readonly response?: { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown };
}

/** What a failure carries besides its message. */
export interface FailureDetails {
  readonly code: FailureCode;
  /** The requirement ID the observation contradicts (one of the check's `verifies`). */
  readonly requirement: string;
  readonly expected: unknown;
  readonly received: unknown;
  /** The exchanges that show it (most recent last). */
  readonly evidence?: readonly ExchangeEvidence[];
}

/**
 * A server broke a rule. The message has one shape everywhere:
 * `<what>: expected <expected>, but received <received>`.
 */
export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
  /** Read by the results reporters: this error decides the verdict itself. */
  readonly verdict = 'fail' as const;
  readonly code: FailureCode;
  readonly requirement: string;
  readonly expected: unknown;
  readonly received: unknown;
  readonly evidence: readonly ExchangeEvidence[];

  constructor(what: string, details: FailureDetails) {
    super(`${what}: expected ${show(details.expected)}, but received ${show(details.received)} [${details.code} ${details.requirement}]`);
    this.code = details.code;
    this.requirement = details.requirement;
    this.expected = details.expected;
    this.received = details.received;
    this.evidence = details.evidence ?? [];
  }
}

/** The check could not decide (service unavailable, timeout, target misbehaving outside the rule). */
export class InconclusiveError extends Error {
  override name = 'InconclusiveError';
  /** Read by the results reporters: this error decides the verdict itself. */
  readonly verdict = 'unknown' as const;
  /** Stable code for reports. */
  readonly code: string;
  /** True when the cause is a missing service of the environment rather than the target's behaviour. */
  readonly environmental: boolean;
  constructor(reason: string, options: { environmental?: boolean; cause?: unknown } = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.environmental = options.environmental ?? false;
    this.code = this.environmental ? 'service-unavailable' : 'inconclusive';
  }
}

/** The target profile says this check does not apply (e.g. no client NATS credentials given). */
export class NotApplicableError extends Error {
  override name = 'NotApplicableError';
}

/** Short, single-line rendering of a value for failure messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
