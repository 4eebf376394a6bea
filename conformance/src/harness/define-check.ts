/**
 * Turns check definitions into vitest tests. Each test is declared with `requirementTest` (id and
 * verifies from the registry), gets a fresh {@link CheckHarness}, and maps what the body throws to
 * a verdict: {@link ConformanceFailure} or an `expect` failure → fail; {@link NotApplicableError}
 * → skipped; {@link InconclusiveError} or any other error → unknown (a crashed check never passes).
 */
import { afterAll, inject } from 'vitest';
import { requirementTest } from '../dsl/requirement-test.js';
import { ConformanceFailure, InconclusiveError, type ExchangeEvidence } from '../failures.js';
import { checkEntry, idGlob } from '../registry.js';
import type { Verdict } from '../verdict.js';
import type { HarnessEnvironment } from './check-harness.js';
import { runCheckBody, type CheckDefinitions } from './run-check-body.js';
import { providedEnvironment } from './provided-environment.js';
import type { ContractViolation } from './recording-target.js';
import './provided-target.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Verdict the check decided (the runner prefers it over vitest's state). */
    verdict?: Verdict;
    /** Why a check was skipped or unknown. */
    reason?: string;
    /** Typed failure of a failed check. */
    failure?: { code: string; requirement: string; expected: unknown; received: unknown; evidence: readonly ExchangeEvidence[] };
    /** Prism contract violations seen by this check's requests. */
    contractViolations?: readonly ContractViolation[];
    /** Number of HTTP exchanges the check made (up to the evidence cap). */
    exchangeCount?: number;
  }
}

export type { CheckDefinition, CheckDefinitions } from './run-check-body.js';

let environment: Promise<HarnessEnvironment> | undefined;
let cleanupRegistered = false;

/** The environment of this check file: provided by `syncproof run`, else the embedded reference. */
function fileEnvironment(): Promise<HarnessEnvironment> {
  environment ??= (async () => {
    const provided = inject('syncproofTarget');
    if (provided) return providedEnvironment(provided);
    // Self-test under `npm test`: the reference server in-process, loaded only when needed.
    const { selfTestEnvironment } = await import('./self-test-environment.js');
    return selfTestEnvironment();
  })();
  return environment;
}

/**
 * Declares the checks of a family as vitest tests. Under `syncproof run --only <glob>`, checks
 * outside the glob are not declared at all.
 */
export function defineChecks(defs: CheckDefinitions): void {
  const provided = inject('syncproofTarget');
  const only = provided?.only ? idGlob(provided.only) : undefined;
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(async () => {
      if (environment) await (await environment.catch(() => undefined))?.close();
    });
  }
  for (const [id, def] of Object.entries(defs)) {
    const entry = checkEntry(id);
    if (only && !only(id)) continue;
    requirementTest({ id, verifies: entry.verifies, timeout: def.timeoutMs ?? 30_000 }, def.title, async (ctx) => {
      const env = await fileEnvironment();
      const { verdict, error, violations, exchanges } = await runCheckBody(env, entry, def);
      const meta = ctx.task.meta;
      meta.contractViolations = violations;
      meta.exchangeCount = exchanges.length;
      meta.verdict = verdict;
      if (verdict === 'pass') return;
      const reason = (error as Error).message;
      meta.reason = reason;
      if (verdict === 'skipped') ctx.skip(reason);
      if (error instanceof ConformanceFailure) {
        meta.failure = { code: error.code, requirement: error.requirement, expected: error.expected, received: error.received, evidence: error.evidence };
        for (const ex of error.evidence) await ctx.annotate(JSON.stringify(ex), 'exchange');
      }
      // Under plain `npm test` an undecidable check (a missing service, a rule the reference cannot
      // exhibit) is not a defect of the code: shown as skipped, marked unknown. Crashes still fail.
      if (error instanceof InconclusiveError && env.selfTest) ctx.skip(`unknown: ${reason}`);
      throw error;
    });
  }
}
