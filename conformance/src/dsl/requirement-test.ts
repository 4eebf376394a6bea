/**
 * The one way a test in this repository declares what it verifies. Every test that counts toward
 * traceability states a stable test id and the requirement IDs it checks; the IDs are validated
 * against the matrix's closed list when the test file is collected, so a typo fails the run
 * instead of silently counting for nothing.
 */
import { test, type TestContext } from 'vitest';
import { loadMatrix } from '../../../traceability/src/matrix/parse-matrix.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Stable test id, e.g. `idem.duplicate-applied-replays`. */
    testId?: string;
    /** Requirement IDs this test verifies. */
    verifies?: string[];
  }
}

/** What a requirement test declares about itself. */
export interface RequirementDeclaration {
  /** Stable id: lower-case words joined by `.` and `-`; never reused for another test. */
  readonly id: string;
  /** Requirement IDs from the matrix that this test verifies. */
  readonly verifies: readonly string[];
  /** Per-test timeout in milliseconds. */
  readonly timeout?: number;
}

/** An unknown requirement ID or malformed declaration. */
export class DeclarationError extends Error {
  override name = 'DeclarationError';
}

const TEST_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
let knownIds: ReadonlySet<string> | undefined;
const declaredTestIds = new Set<string>();

function requirementIds(): ReadonlySet<string> {
  knownIds ??= new Set(loadMatrix().map((row) => row.id));
  return knownIds;
}

/**
 * Checks a declaration against the matrix. Throws {@link DeclarationError} naming the test and
 * the offending ID.
 */
export function validateDeclaration(decl: RequirementDeclaration, known: ReadonlySet<string> = requirementIds()): void {
  if (!TEST_ID.test(decl.id)) {
    throw new DeclarationError(`test id '${decl.id}' must be lower-case words joined by '.' or '-'`);
  }
  if (decl.verifies.length === 0) {
    throw new DeclarationError(`test '${decl.id}' declares no requirement; use plain test() for tests outside the matrix`);
  }
  for (const req of decl.verifies) {
    if (!known.has(req)) {
      throw new DeclarationError(
        `test '${decl.id}' cites unknown requirement ID '${req}' (not in specs/offline-first/TRACEABILITY_MATRIX.md)`,
      );
    }
  }
}

/**
 * Declares a test that verifies requirements.
 *
 * @example
 * requirementTest({ id: 'idem.duplicate-applied-replays', verifies: ['OFS-IDEM-002', 'OFS-IDEM-005'] },
 *   'a duplicate push returns the recorded outcome', async () => { ... });
 */
export function requirementTest(
  decl: RequirementDeclaration,
  title: string,
  fn: (ctx: TestContext) => unknown | Promise<unknown>,
): void {
  validateDeclaration(decl);
  if (declaredTestIds.has(decl.id)) {
    throw new DeclarationError(`test id '${decl.id}' is declared twice in this file`);
  }
  declaredTestIds.add(decl.id);
  test(
    `[${decl.verifies.join(', ')}] ${title}`,
    { meta: { testId: decl.id, verifies: [...decl.verifies] }, ...(decl.timeout ? { timeout: decl.timeout } : {}) },
    fn,
  );
}
