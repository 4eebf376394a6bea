/**
 * Assertions of the suite. Each throws a {@link ConformanceFailure} with a stable code, the
 * requirement it contradicts and the expected/received values, in one message shape.
 */
import { ConformanceFailure, type FailureCode } from '../failures.js';
import type { TargetResponse } from '../target/target.js';

/** Base URI of every protocol problem type (TR §11.1). */
export const PROBLEM_BASE = 'https://syncproof.dev/problems/';

/** Throws a failure. */
export function fail(code: FailureCode, requirement: string, what: string, expected: unknown, received: unknown): never {
  throw new ConformanceFailure(what, { code, requirement, expected, received });
}

/** The response status is one of `expected`; a 5xx is reported as a server error. */
export function expectStatus(res: TargetResponse, expected: number | readonly number[], requirement: string, what: string): void {
  const list = typeof expected === 'number' ? [expected] : expected;
  if (list.includes(res.status)) return;
  const code: FailureCode = res.status >= 500 ? 'CONF_E_SERVER_ERROR' : 'CONF_E_STATUS';
  fail(code, requirement, `${what}: status`, list.join(' or '), `${res.status} ${summary(res)}`);
}

/** Short description of a response body for messages. */
export function summary(res: TargetResponse): string {
  const body = res.body as { type?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.type === 'string') return body.type.replace(PROBLEM_BASE, '');
  return res.rawBody.length > 120 ? `${res.rawBody.slice(0, 117)}...` : res.rawBody;
}

/** The name of a problem type URI, or undefined when it is not a protocol problem. */
export function problemName(body: unknown): string | undefined {
  const type = (body as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && type.startsWith(PROBLEM_BASE) ? type.slice(PROBLEM_BASE.length) : undefined;
}

/**
 * The response is `application/problem+json` of type `name`, with a status in `statuses` (when
 * given) and a body `status` equal to the HTTP status.
 */
export function expectProblem(
  res: TargetResponse,
  name: string | readonly string[],
  requirement: string,
  what: string,
  statuses?: number | readonly number[],
): void {
  if (statuses !== undefined) expectStatus(res, statuses, requirement, what);
  const names = typeof name === 'string' ? [name] : name;
  const ct = res.headers['content-type'] ?? '';
  if (!ct.toLowerCase().startsWith('application/problem+json')) {
    fail('CONF_E_NOT_PROBLEM_JSON', requirement, `${what}: content-type`, 'application/problem+json', ct || '(none)');
  }
  const got = problemName(res.body);
  if (got === undefined || !names.includes(got)) {
    fail('CONF_E_PROBLEM_TYPE', requirement, `${what}: problem type`, names.map((n) => PROBLEM_BASE + n).join(' or '), (res.body as { type?: unknown } | undefined)?.type ?? res.rawBody.slice(0, 200));
  }
  const bodyStatus = (res.body as { status?: unknown }).status;
  if (bodyStatus !== res.status) {
    fail('CONF_E_SHAPE', requirement, `${what}: problem status member`, res.status, bodyStatus);
  }
}

/** Two values are deeply equal (JSON semantics). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** Canonical JSON (keys sorted), used to compare bodies structurally. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
