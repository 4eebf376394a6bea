/**
 * The switch mechanism for the planted defects the domain core consults itself: a
 * {@link DefectSet} of names, checked with `has()` at the few points each one breaks (the push's
 * idempotency scope, duplicate replay and fingerprint comparison in push.ts; the reject-stale rule
 * in clinic/encounter.ts). Production code passes no defects.
 *
 * This is not the defect catalogue. Every planted defect — its description, the requirements it
 * violates, the seam it is planted through — is declared in `src/defects/` (one file per defect,
 * listed in `src/defects/catalogue.ts`); most are wrappers around a port or a Fastify hook and
 * never reach the core. A catalogue entry planted at the `domain` site names one of the switches
 * below through `hooks.domain` (checked by test/defects/catalogue.test.ts). A new domain-level
 * defect therefore needs both: its catalogue file there, and its switch name here plus one `has()`
 * check where it breaks.
 */

/**
 * The switches the core knows, each with the requirements its defect violates as noted when the
 * switch was added. The authoritative list is the catalogue entry of the same name in
 * `src/defects/` (which may name more).
 */
export const DEFECT_CATALOGUE = {
  /** The idempotency key ignores the tenant: tenant B's mutation replays tenant A's outcome. */
  'dedup-ignores-tenant': { violates: ['OFS-IDEM-004', 'OFS-TEN-006'] },
  /** Duplicates are applied again instead of replayed (no exactly-once). */
  'reapply-duplicates': { violates: ['OFS-IDEM-002', 'OFS-IDEM-005', 'OFS-IDEM-013', 'OFS-EVT-005'] },
  /** The fingerprint is not compared: a reused key with another payload gets the cached outcome. */
  'skip-fingerprint-check': { violates: ['OFS-IDEM-007'] },
  /** Stale writes of reject-stale aggregates overwrite instead of conflicting (lost update). */
  'lost-update': { violates: ['OFS-CONF-001', 'OFS-CONF-007'] },
} as const satisfies Record<string, { violates: readonly string[] }>;

/** Name of a planted defect the core consults (a domain switch). */
export type DefectName = keyof typeof DEFECT_CATALOGUE;

/** The domain switches turned on (empty in production). */
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
