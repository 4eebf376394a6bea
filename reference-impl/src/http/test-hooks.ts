/**
 * Test hooks of the host contract (conformance/TARGET.md §5): request behaviour a conformance run
 * needs to decide a rule that timing alone cannot show, honoured only when the server was started
 * with them (`buildApp({ testHooks: true })`, `syncproof serve --test-hooks`). Without that flag
 * the hook header is ignored like any unknown header, so a production server cannot be slowed
 * down by a client.
 *
 * The one hook: `Syncproof-Test-Hold-Ms: <n>` on a REST write claims the request's
 * (tenant, Idempotency-Key) as in flight, waits n ms, then decides the write. A duplicate sent
 * meanwhile observes 409 `idempotency-key-in-flight` (TR §5.2), which a synchronous store (SQLite)
 * otherwise never shows because it decides every write within one event-loop turn.
 */
import type { Principal } from '../auth/principal.js';
import { ProblemError } from './problem.js';

/** Request header of the hold hook (lower case, as Node presents headers). */
export const TEST_HOLD_HEADER = 'syncproof-test-hold-ms';

/** Longest hold honoured; a longer one is refused so a run cannot wedge the server. */
export const MAX_TEST_HOLD_MS = 10_000;

/** What the hook needs from the core. */
export interface KeyHolder {
  /** Marks the key in flight; `undefined` when it already is (or is not a valid key). */
  holdIdempotencyKey(ctx: Principal, idempotencyKey: string): (() => void) | undefined;
}

/**
 * The hold a request asks for, in ms; `undefined` when hooks are off or the header is absent.
 * Throws a 400 `validation-failed` problem for a malformed value (hooks on only).
 */
export function requestedHoldMs(enabled: boolean, raw: string | string[] | undefined): number | undefined {
  if (!enabled || raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (!/^\d{1,6}$/.test(value.trim()) || Number(value) > MAX_TEST_HOLD_MS) {
    throw ProblemError.of('validation-failed', `Syncproof-Test-Hold-Ms must be an integer 0..${MAX_TEST_HOLD_MS}`, {
      errors: [{ pointer: '', detail: `header Syncproof-Test-Hold-Ms: must be an integer 0..${MAX_TEST_HOLD_MS}` }],
    });
  }
  return Number(value);
}

/**
 * Runs `write` after holding the request's key in flight for `holdMs`. When the key is already
 * held (a concurrent duplicate that also asked for a hold) or absent, `write` runs at once and the
 * core answers as it would (409 in flight, 400 missing key).
 */
export async function afterHold<T>(
  core: KeyHolder,
  principal: Principal,
  idempotencyKey: string | undefined,
  holdMs: number | undefined,
  write: () => Promise<T>,
): Promise<T> {
  if (holdMs === undefined || idempotencyKey === undefined) return write();
  const release = core.holdIdempotencyKey(principal, idempotencyKey);
  if (!release) return write();
  try {
    await new Promise((resolve) => setTimeout(resolve, holdMs));
  } finally {
    release();
  }
  return write();
}
