/**
 * The results format: what a run did, test by test. The vitest reporter of this repository and
 * `syncproof run` both write it as `results.json`; `syncproof report` reads it. The JSON Schema
 * is `contracts/schemas/results.schema.json` and the prose description `traceability/RESULTS_FORMAT.md`.
 */

/** Value of {@link ResultsDocument.format}. */
export const RESULTS_FORMAT = 'syncproof-results' as const;
/** Version of the format; bumped on any incompatible change. */
export const RESULTS_FORMAT_VERSION = 1 as const;

/**
 * Verdict of one test in one run. `unknown`: the check could not decide (crashed, service
 * missing, timeout) — never counted as a pass. `skipped`: the target profile says not applicable.
 */
export type TestVerdict = 'pass' | 'fail' | 'unknown' | 'skipped';

/** All test verdicts, worst first. */
export const TEST_VERDICTS: readonly TestVerdict[] = ['fail', 'unknown', 'skipped', 'pass'];

/** Which server was checked. */
export interface TargetIdentity {
  /** Human name, e.g. `reference (embedded)` or the profile's name. */
  readonly name: string;
  /** `embedded`: the reference server started by the suite; `http`: a server at a URL; `in-process`: the reference core driven directly; `none`: the run checks no server (the project's own unit tests). */
  readonly kind: 'embedded' | 'http' | 'in-process' | 'none';
  readonly baseUrl?: string;
  /** Version the target reports about itself, if any. */
  readonly version?: string;
  /** Path of the target profile used, relative to the working directory. */
  readonly profile?: string;
}

/** Facts about the run as a whole. */
export interface RunMetadata {
  readonly tool: { readonly name: string; readonly version: string };
  /** What wrote the file, e.g. `vitest-reporter` or `syncproof run`. */
  readonly producer: string;
  /** Commit of the suite's own source tree; null outside a git checkout or before the first commit. */
  readonly gitCommit: string | null;
  /** Seed of the run's randomness; null when the run used none. */
  readonly seed: string | null;
  readonly target: TargetIdentity;
  /** ISO 8601 instants. */
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** A piece of evidence: inline data, or a file in the results directory. */
export interface EvidenceItem {
  /** What this is, e.g. `request`, `response`, `history`, `repro`. */
  readonly label: string;
  readonly mediaType?: string;
  /** Inline evidence (kept small; large evidence goes to a file). */
  readonly data?: unknown;
  /** File path relative to the results directory (POSIX separators, no `..`). */
  readonly path?: string;
  /** SHA-256 (hex) of the file at `path`. */
  readonly sha256?: string;
}

/** Why a test did not pass. */
export interface TestFailure {
  /** Stable code, e.g. `assertion`, `timeout`, `crashed`, `service-unavailable`, or a check's own code. */
  readonly code: string;
  /** One human sentence. */
  readonly message: string;
  readonly expected?: unknown;
  readonly received?: unknown;
  /** Stack trace or diagnostic detail. */
  readonly detail?: string;
  readonly evidence?: readonly EvidenceItem[];
}

/** One test's outcome. */
export interface TestResult {
  /** Stable id: the declared test id, or `<file>::<full title>` for tests that declare none. */
  readonly id: string;
  readonly title: string;
  /** POSIX path relative to the repository (or results) root. */
  readonly file: string;
  readonly line?: number;
  /** vitest project or suite group. */
  readonly project?: string;
  /** Requirement IDs this test verifies (empty for tests outside the matrix). */
  readonly verifies: readonly string[];
  readonly verdict: TestVerdict;
  readonly durationMs: number;
  /** Present when the verdict is `fail` or `unknown`. */
  readonly failure?: TestFailure;
  /** Present when the verdict is `skipped`. */
  readonly skipReason?: string;
  /** Evidence recorded by a passing test too (exchanges, histories). */
  readonly evidence?: readonly EvidenceItem[];
}

/** The whole `results.json`. */
export interface ResultsDocument {
  readonly format: typeof RESULTS_FORMAT;
  readonly formatVersion: typeof RESULTS_FORMAT_VERSION;
  readonly run: RunMetadata;
  readonly tests: readonly TestResult[];
}

/** Counts of tests by verdict. */
export interface TestTotals {
  readonly tests: number;
  readonly pass: number;
  readonly fail: number;
  readonly unknown: number;
  readonly skipped: number;
}

/** Counts tests by verdict. */
export function countTests(tests: readonly TestResult[]): TestTotals {
  const totals = { tests: tests.length, pass: 0, fail: 0, unknown: 0, skipped: 0 };
  for (const t of tests) totals[t.verdict] += 1;
  return totals;
}

/**
 * Canonical form of a results document: tests sorted by id (then file), keys in a fixed order, so
 * the same run always serializes to the same bytes.
 */
export function normalizeResults(doc: ResultsDocument): ResultsDocument {
  const tests = [...doc.tests]
    .map((t) => ({ ...t, verifies: [...new Set(t.verifies)].sort() }))
    .sort((a, b) => (a.id === b.id ? a.file.localeCompare(b.file) : a.id < b.id ? -1 : 1));
  return { format: RESULTS_FORMAT, formatVersion: RESULTS_FORMAT_VERSION, run: doc.run, tests };
}

/** Serializes a results document the way every producer writes it (2-space JSON, final newline). */
export function serializeResults(doc: ResultsDocument): string {
  return `${JSON.stringify(normalizeResults(doc), null, 2)}\n`;
}
