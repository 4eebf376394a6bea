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
 * The switches the core knows. What each one breaks, and which requirements that violates, is
 * declared once: in the catalogue entry of the same name in `src/defects/`.
 */
export const DOMAIN_DEFECTS = [
  /** The idempotency key ignores the tenant: tenant B's mutation replays tenant A's outcome. */
  'dedup-ignores-tenant',
  /** Duplicates are applied again instead of replayed (no exactly-once). */
  'reapply-duplicates',
  /** The fingerprint is not compared: a reused key with another payload gets the cached outcome. */
  'skip-fingerprint-check',
  /** Stale writes of reject-stale aggregates overwrite instead of conflicting (lost update). */
  'lost-update',
] as const;

/** Name of a planted defect the core consults (a domain switch). */
export type DefectName = (typeof DOMAIN_DEFECTS)[number];

/** The domain switches turned on (empty in production). */
export type DefectSet = ReadonlySet<DefectName>;

/** No defects. */
export const NO_DEFECTS: DefectSet = new Set();

/** Builds a defect set, rejecting unknown names (a typo must not silently test nothing). */
export function defectSet(names: Iterable<string> | string | undefined): DefectSet {
  if (names === undefined) return NO_DEFECTS;
  const list = typeof names === 'string' ? [names] : [...names];
  for (const name of list) {
    if (!(DOMAIN_DEFECTS as readonly string[]).includes(name)) {
      throw new TypeError(`unknown planted defect '${name}' (known: ${DOMAIN_DEFECTS.join(', ')})`);
    }
  }
  return new Set(list as DefectName[]);
}
