/**
 * Runs one check body against an environment and turns what it throws into a verdict:
 * {@link ConformanceFailure} or an `expect` failure → fail; {@link NotApplicableError} → skipped;
 * anything else (including {@link InconclusiveError}) → unknown. Free of vitest so the suite's own
 * tests can run a check against a deliberately broken target.
 */
import { ConformanceFailure, NotApplicableError, type ExchangeEvidence } from '../failures.js';
import type { CheckEntry } from '../registry.js';
import type { Verdict } from '../verdict.js';
import { createHarness, type CheckHarness, type HarnessEnvironment } from './check-harness.js';
import type { ContractViolation } from './recording-target.js';

/** One check's title and body. */
export interface CheckDefinition {
  readonly title: string;
  run(h: CheckHarness): Promise<void>;
  /** Per-check timeout in ms. @defaultValue 30000 */
  readonly timeoutMs?: number;
  /**
   * Talk to the target directly, not through the contract proxy: the check sends bytes a proxy
   * would answer itself (malformed JSON), so the answer must come from the target.
   */
  readonly bypassContractProxy?: boolean;
}

/** Check definitions of a family, keyed by registry id. */
export type CheckDefinitions = Readonly<Record<string, CheckDefinition>>;

/** What one run of a check decided. */
export interface CheckRun {
  readonly verdict: Verdict;
  /** What the body threw (absent on pass). */
  readonly error?: unknown;
  /** Contract violations Prism reported on this check's exchanges. */
  readonly violations: readonly ContractViolation[];
  readonly exchanges: readonly ExchangeEvidence[];
}

/** Runs `def` once against `env`. */
export async function runCheckBody(env: HarnessEnvironment, entry: CheckEntry, def: CheckDefinition): Promise<CheckRun> {
  const h = createHarness(env, entry, { direct: def.bypassContractProxy === true });
  const done = (verdict: Verdict, error?: unknown): CheckRun => ({
    verdict,
    ...(error === undefined ? {} : { error }),
    violations: [...h.target.violations],
    exchanges: [...h.target.exchanges],
  });
  try {
    await def.run(h);
    return done('pass');
  } catch (err) {
    if (err instanceof NotApplicableError) return done('skipped', err);
    if (err instanceof ConformanceFailure) {
      if (err.evidence.length === 0) (err as { evidence: readonly ExchangeEvidence[] }).evidence = h.target.exchanges.slice(-3);
      return done('fail', err);
    }
    if ((err as Error | undefined)?.name === 'AssertionError') return done('fail', err);
    return done('unknown', err);
  } finally {
    await h.dispose();
  }
}
