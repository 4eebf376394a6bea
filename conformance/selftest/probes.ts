/**
 * Probes: requirement tests outside the conformance suite and the simulator that the self-test
 * also runs, because they decide requirements neither can reach from outside a running process.
 * Today one: the crash-safety test, which SIGKILLs a child `syncproof serve` mid-push — the only
 * way to see whether state, idempotency record and outbox row commit together (OFS-IDEM-014).
 * The child inherits `SYNCPROOF_SELFTEST_DEFECTS`, which serve-command plants.
 */

/** One probe: a vitest file with one requirement test. */
export interface Probe {
  /** The requirement test's id (its `requirementTest({ id })`). */
  readonly id: string;
  readonly file: string;
  /** Requirement IDs the test declares (kept equal to its declaration; see test/selftest-plan.test.ts). */
  readonly verifies: readonly string[];
  /** Extra environment (a small budget: the self-test wants a verdict, not a soak). */
  readonly env: Readonly<Record<string, string>>;
}

/** Every probe. */
export const PROBES: readonly Probe[] = [
  {
    id: 'process.sigkill-all-or-nothing',
    file: 'reference-impl/test/process/crash-safety.test.ts',
    verifies: ['OFS-IDEM-014', 'OFS-SYNC-014', 'OFS-EVT-002'],
    // Enough kills that, even on a loaded 2-core machine, some land after a commit (the test
    // itself fails when none did); a planted defect is usually caught at the first such kill.
    env: { SYNCPROOF_CRASH_KILLS: '10' },
  },
];
