/**
 * The checker contract: one invariant per checker, one linear pass (plus hash-map look-ups) over
 * the history, a verdict, the few history entries that prove a violation, and the requirement IDs
 * the invariant verifies. A checker that throws, or that lacks the data to decide, says `unknown` —
 * never `pass`.
 */
import type { HistoryEntry } from '../history/history-entry.js';
import type { HistorySource } from './history-index.js';

/** Outcome of a check. */
export type Verdict = 'pass' | 'fail' | 'unknown';

/** What a checker reports. */
export interface CheckResult {
  /** Checker name (kebab-case, as in its file name). */
  readonly checker: string;
  readonly verdict: Verdict;
  /** The minimal set of entries proving the first violation found (empty on pass/unknown). */
  readonly witness: HistoryEntry[];
  /** Requirement IDs (specs/offline-first/TRACEABILITY_MATRIX.md) the invariant verifies. */
  readonly requirements: string[];
  /** One line: why it failed, why it could not decide, or what it covered when it passed. */
  readonly message: string;
  /** Number of violations found (0 on pass). */
  readonly violations: number;
}

/** What a checker's body returns; {@link runChecker} adds the name and requirements. */
export interface CheckFinding {
  readonly verdict: Verdict;
  readonly witness?: HistoryEntry[];
  readonly message: string;
  readonly violations?: number;
}

/** One invariant. */
export interface Checker {
  readonly name: string;
  readonly requirements: readonly string[];
  /** Judges a history: a bare array of entries, or a recorded `History` (read through its index). */
  check(history: HistorySource): CheckFinding;
}

/** Runs a checker; a thrown error becomes `unknown` with the error's message. */
export function runChecker(checker: Checker, history: HistorySource): CheckResult {
  try {
    const f = checker.check(history);
    return {
      checker: checker.name,
      verdict: f.verdict,
      witness: f.verdict === 'fail' ? (f.witness ?? []) : [],
      requirements: [...checker.requirements],
      message: f.message,
      violations: f.verdict === 'fail' ? Math.max(1, f.violations ?? 1) : 0,
    };
  } catch (err) {
    return {
      checker: checker.name,
      verdict: 'unknown',
      witness: [],
      requirements: [...checker.requirements],
      message: `checker threw: ${err instanceof Error ? err.message : String(err)}`,
      violations: 0,
    };
  }
}

/** Collects violations: keeps the first witness, counts the rest. */
export class Violations {
  count = 0;
  witness: HistoryEntry[] = [];
  message = '';

  /** Records one violation; only the first one's witness and message are kept. */
  add(message: string, ...witness: (HistoryEntry | undefined)[]): void {
    if (this.count === 0) {
      this.message = message;
      this.witness = witness.filter((w): w is HistoryEntry => w !== undefined);
    }
    this.count++;
  }

  /** The finding: fail with the first witness, or pass with `passMessage`. */
  finding(passMessage: string): CheckFinding {
    if (this.count === 0) return { verdict: 'pass', message: passMessage };
    const more = this.count > 1 ? ` (+${this.count - 1} more)` : '';
    return { verdict: 'fail', witness: this.witness, message: this.message + more, violations: this.count };
  }
}

/** Key of a mutation inside its tenant. */
export function mutationKey(tenant: string, cmid: string): string {
  return tenant + '\u0000' + cmid;
}

/** Whether the history reached its final read-back (needed by checkers that look at end states). */
export function hasFinalPhase(entries: readonly HistoryEntry[]): boolean {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as HistoryEntry;
    if (e.k === 'phase' && e.phase === 'final') return true;
  }
  return false;
}

/** Outcome statuses that are decisions (recorded, replayed) rather than transient answers. */
export const DECIDED_STATUSES: ReadonlySet<string> = new Set(['applied', 'rejected', 'conflict']);

/**
 * Whether an outcome is a recorded decision: applied, conflict, or a rejection that is recorded
 * (TR §4.3: out-of-order is not recorded). Plain comparisons: this runs once per answer.
 */
export function isDecided(o: { readonly status: string; readonly problem?: string }): boolean {
  const s = o.status;
  if (s === 'applied' || s === 'conflict') return true;
  return s === 'rejected' && o.problem !== 'out-of-order';
}
