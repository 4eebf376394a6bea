/**
 * Planted defects: test-only switches that make the reference core wrong in one named way, so the
 * simulator and the conformance suite can prove they catch that bug. Production code passes no
 * defects. The core consults the set at the few points that matter; each defect names the
 * requirement it violates. The full catalogue grows in a later issue: add a name here and one
 * `has()` check at the point it breaks.
 */

/** Catalogue of planted defects and the requirement each violates. */
export const DEFECT_CATALOGUE = {
  /** The idempotency key ignores the tenant: tenant B's mutation replays tenant A's outcome. */
  'dedup-ignores-tenant': { violates: ['OFS-IDEM-004', 'OFS-TEN-006'] },
  /** Duplicates are applied again instead of replayed (no exactly-once). */
  'reapply-duplicates': { violates: ['OFS-IDEM-002', 'OFS-IDEM-013', 'OFS-EVT-005'] },
  /** The fingerprint is not compared: a reused key with another payload gets the cached outcome. */
  'skip-fingerprint-check': { violates: ['OFS-IDEM-007'] },
  /** Stale writes of reject-stale aggregates overwrite instead of conflicting (lost update). */
  'lost-update': { violates: ['OFS-CONF-001', 'OFS-CONF-007'] },
} as const satisfies Record<string, { violates: readonly string[] }>;

/** Name of a planted defect. */
export type DefectName = keyof typeof DEFECT_CATALOGUE;

/** The defects switched on (empty in production). */
export type DefectSet = ReadonlySet<DefectName>;

/** No defects. */
export const NO_DEFECTS: DefectSet = new Set();

/** Builds a defect set, rejecting unknown names (a typo must not silently test nothing). */
export function defectSet(names: Iterable<string> | string | undefined): DefectSet {
  if (names === undefined) return NO_DEFECTS;
  const list = typeof names === 'string' ? [names] : [...names];
  for (const name of list) {
    if (!Object.hasOwn(DEFECT_CATALOGUE, name)) {
      throw new TypeError(`unknown planted defect '${name}' (known: ${Object.keys(DEFECT_CATALOGUE).join(', ')})`);
    }
  }
  return new Set(list as DefectName[]);
}
