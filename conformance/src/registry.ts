/**
 * The registry of every conformance check: one explicit table, no registration by import side
 * effect. Each entry has a stable id (never reused), its family, the requirement IDs it verifies
 * and one line saying what it catches. A check file declares its tests with {@link defineCheck},
 * which takes `verifies` from here, so a check cannot drift from its registry entry.
 */

/** Check families, in the order the runner reports them. */
export const FAMILIES = [
  'idempotency',
  'ordering',
  'conflicts',
  'tenancy',
  'auth',
  'events',
  'audit',
  'robustness',
  'contract',
] as const;

/** One family. */
export type Family = (typeof FAMILIES)[number];

/** How a check runs. */
export type CheckKind =
  /** A vitest test in conformance/checks/<family>/. */
  | 'test'
  /** Decided by the runner after all tests, from what they observed (e.g. Prism violations). */
  | 'after-run';

/** One registered check. */
export interface CheckEntry {
  /** Stable id: lower-case words joined by `.` and `-`; never reused for another check. */
  readonly id: string;
  readonly family: Family;
  readonly verifies: readonly string[];
  /** One line: the defect this check exists to catch. */
  readonly catches: string;
  readonly kind: CheckKind;
}

function check(id: string, family: Family, verifies: readonly string[], catches: string, kind: CheckKind = 'test'): CheckEntry {
  return { id, family, verifies, catches, kind };
}

/** Every check of the suite. */
export const CHECKS: readonly CheckEntry[] = [
  // idempotency
  check('idem.sync-duplicate-applied-replays', 'idempotency', ['OFS-IDEM-002', 'OFS-IDEM-005', 'OFS-IDEM-013'],
    'a duplicate push of an applied mutation that is re-applied, answered differently or lacks replayed: true'),
  check('idem.sync-duplicate-rejected-replays', 'idempotency', ['OFS-IDEM-002', 'OFS-IDEM-005'],
    'a decided rejection that is re-decided (or differs) when its push is retried'),
  check('idem.sync-duplicate-conflict-replays', 'idempotency', ['OFS-IDEM-002', 'OFS-IDEM-005'],
    'a recorded conflict that opens a second conflict or differs when its push is retried'),
  check('idem.sync-key-reuse-rejected', 'idempotency', ['OFS-IDEM-007'],
    'a clientMutationId reused with another payload that returns the cached outcome instead of idempotency-key-reuse'),
  check('idem.sync-key-reuse-other-fields', 'idempotency', ['OFS-IDEM-007'],
    'a fingerprint that ignores baseVersion or the aggregate, so a reused clientMutationId replays or applies instead of idempotency-key-reuse'),
  check('idem.rest-replay-returns-original', 'idempotency', ['OFS-IDEM-003', 'OFS-IDEM-012'],
    'a retried REST write without the original status and body or without Idempotent-Replayed: true'),
  check('idem.rest-key-reuse-422', 'idempotency', ['OFS-IDEM-007'],
    'an Idempotency-Key reused with another body that is applied or leaks the cached response instead of 422'),
  check('idem.rest-concurrent-duplicate-409', 'idempotency', ['OFS-IDEM-011'],
    'two concurrent requests with one Idempotency-Key that are both applied (no 409 idempotency-key-in-flight)'),
  check('idem.rest-missing-key-400', 'idempotency', ['OFS-IDEM-010'],
    'a REST write without Idempotency-Key that is accepted instead of 400 idempotency-key-missing'),
  check('idem.scope-per-tenant', 'idempotency', ['OFS-IDEM-004', 'OFS-TEN-006'],
    'an idempotency record keyed by clientMutationId alone, so tenant B gets tenant A\'s outcome'),
  // OFS-IDEM-008 (retention ≥ the offline window, stated by the target) is not observable in a
  // run: the profile loader refuses a profile that states less, and the stores' retention tests
  // cover the purge. This check sees only what happens after the (test) retention: IDEM-009.
  check('idem.replay-after-retention', 'idempotency', ['OFS-IDEM-009'],
    'a mutation re-applied once its idempotency record expired instead of duplicate-expired'),
  // ordering
  check('order.outcomes-one-per-mutation', 'ordering', ['OFS-SYNC-004', 'OFS-SYNC-005', 'OFS-SYNC-006'],
    'a push response with missing, extra, reordered or mis-shaped outcomes'),
  check('order.seq-gap-rejected', 'ordering', ['OFS-SYNC-007'],
    'a clientSeq gap that is applied, or later mutations of that batch processed after it'),
  check('order.blocked-same-aggregate-only', 'ordering', ['OFS-SYNC-008'],
    'a mutation applied behind an open conflict on its aggregate, or one on another aggregate wrongly blocked'),
  check('order.pull-commit-order', 'ordering', ['OFS-SYNC-012'],
    'a pull that skips, repeats or reorders changes across pages'),
  check('order.queue-replay-after-partition', 'ordering', ['OFS-SYNC-011', 'OFS-SYNC-013'],
    'queued mutations lost, duplicated or left diverged after a partition with drops, duplicates, reordering and lost responses'),
  check('order.applied-is-durable', 'ordering', ['OFS-SYNC-014', 'OFS-CONF-011'],
    'an applied outcome whose version cannot be read back'),
  // conflicts
  check('conf.stale-base-version-conflict', 'conflicts', ['OFS-CONF-001', 'OFS-CONF-002', 'OFS-CONF-007'],
    'a stale baseVersion that overwrites a newer version (lost update) or a conflict without server state'),
  check('conf.policy-matches-profile', 'conflicts', ['OFS-CONF-013'],
    'a conflict whose policy differs from the policy the module declares for the aggregate type'),
  check('conf.stale-if-match-412', 'conflicts', ['OFS-CONF-009', 'OFS-CONF-011'],
    'a REST write with a stale If-Match that is applied, or a 412 without the current ETag'),
  check('conf.missing-if-match-428', 'conflicts', ['OFS-CONF-010'],
    'a PATCH without If-Match that is applied instead of 428'),
  check('conf.replay-beats-if-match', 'conflicts', ['OFS-CONF-012'],
    'a retried successful write answered 412 because the precondition is checked before the replay'),
  check('conf.merge-append-laws', 'conflicts', ['OFS-CONF-003', 'OFS-CONF-004'],
    'concurrent appends that are lost, duplicated or ordered by arrival (not commutative or not idempotent)'),
  check('conf.manual-opens-conflict', 'conflicts', ['OFS-CONF-005', 'OFS-STORE-002'],
    'a probable duplicate or stale write of a manual aggregate that is merged automatically'),
  check('conf.resolution-endpoint', 'conflicts', ['OFS-CONF-008'],
    'a conflict that is not listed, cannot be resolved, or can be resolved twice'),
  check('conf.server-authoritative-reason', 'conflicts', ['OFS-CONF-006', 'OFS-STORE-003'],
    'an impossible stock decrement that is applied, or rejected without a reason'),
  // tenancy
  check('ten.bola-read-write-resolve', 'tenancy', ['OFS-TEN-002', 'OFS-TEN-006'],
    'tenant B reading, writing, listing or resolving tenant A\'s objects (BOLA)'),
  check('ten.tenant-mismatch-403', 'tenancy', ['OFS-TEN-001'],
    'a tenant in the body or X-Tenant-Id that disagrees with the token and is honoured'),
  check('ten.pull-isolated', 'tenancy', ['OFS-TEN-003'],
    'a pull that returns another tenant\'s change'),
  check('ten.tenant-id-validated', 'tenancy', ['OFS-TEN-004'],
    'a tenant id with . * > or whitespace that is accepted (it would escape its NATS subject)'),
  // auth
  check('auth.expired-401', 'auth', ['OFS-AUTH-001', 'OFS-SYNC-009'],
    'an expired token that is accepted or a refused upload that still applies something'),
  check('auth.forged-401', 'auth', ['OFS-AUTH-002'],
    'a token with alg none, an unknown key or a bad signature that is accepted'),
  check('auth.wrong-audience-401', 'auth', ['OFS-AUTH-003'],
    'a token for another audience or issuer that is accepted'),
  check('auth.actor-mismatch', 'auth', ['OFS-AUTH-004'],
    'a mutation captured by one actor that another actor can upload'),
  check('auth.permission-lost-recorded', 'auth', ['OFS-AUTH-005', 'OFS-AUTH-006', 'OFS-STORE-004', 'OFS-AUD-013'],
    'a mutation whose actor lost a role that is applied, dropped silently or left unaudited'),
  check('auth.rbac-roles', 'auth', ['OFS-AUTH-007', 'OFS-AUD-005'],
    'a clinician changing controlled stock or reading the audit log'),
  // events
  check('evt.one-cloudevent-per-applied', 'events', ['OFS-EVT-001', 'OFS-EVT-003', 'OFS-EVT-005', 'OFS-EVT-009'],
    'an applied mutation with no event, two events, or an event that breaks the CloudEvents contract'),
  check('evt.msg-id-stable', 'events', ['OFS-EVT-004'],
    'a Nats-Msg-Id that differs from the event id or changes when the push is retried'),
  check('evt.none-for-undecided', 'events', ['OFS-EVT-006'],
    'an event published for a rejected, conflicted or replayed mutation'),
  check('evt.subject-carries-tenant', 'events', ['OFS-TEN-005'],
    'an event published under another tenant\'s subject'),
  check('evt.client-cannot-publish', 'events', ['OFS-EVT-007'],
    'client NATS credentials that can publish domain events'),
  // audit
  check('aud.phi-conflict-resolution-event', 'audit', ['OFS-AUD-001', 'OFS-AUD-002', 'OFS-AUD-003'],
    'a PHI conflict resolution with no audit event, two, a non-BALP shape, or PHI values inside'),
  check('aud.chain-verifies', 'audit', ['OFS-AUD-004'],
    'an audit log whose hash chain breaks or is shared across tenants'),
  check('aud.published-on-nats', 'audit', ['OFS-AUD-006'],
    'an audit event not published on audit.<tenantId>.<module>.<action>'),
  check('aud.envelope-chain-accepted', 'audit', ['OFS-AUD-007', 'OFS-AUD-008'],
    'a correctly signed and chained envelope batch that is refused'),
  check('aud.envelope-modified-rejected', 'audit', ['OFS-AUD-009'],
    'an envelope with a modified payload or signature that is accepted'),
  check('aud.envelope-reordered-rejected', 'audit', ['OFS-AUD-010'],
    'envelopes uploaded out of chain order that are accepted'),
  check('aud.envelope-truncated-rejected', 'audit', ['OFS-AUD-011'],
    'a chain with a missing link that is accepted'),
  check('aud.envelope-replayed-head-rejected', 'audit', ['OFS-AUD-012'],
    'an already accepted chain head that is accepted again'),
  // robustness
  check('rob.malformed-inputs-no-5xx', 'robustness', ['OFS-SEC-005', 'OFS-SEC-006'],
    'malformed or boundary input answered with a 5xx or with an error that is not a contract problem+json'),
  check('rob.invalid-mutation-changes-nothing', 'robustness', ['OFS-SYNC-016', 'OFS-SEC-007'],
    'an invalid mutation or request that is applied or leaves partial state behind'),
  check('rob.oversized-413', 'robustness', ['OFS-SEC-008'],
    'an oversized body or batch that is processed instead of 413'),
  // contract (Prism validation proxy)
  check('contract.responses-match-openapi', 'contract', ['OFS-SYNC-006', 'OFS-SEC-005'],
    'a response that breaks the OpenAPI contract (status, headers or body), as reported by the Prism validation proxy',
    'after-run'),
];

/** The entry of a check id; throws for an unknown id (a typo in a check file fails collection). */
export function checkEntry(id: string): CheckEntry {
  const entry = CHECKS.find((c) => c.id === id);
  if (!entry) throw new Error(`check '${id}' is not in conformance/src/registry.ts`);
  return entry;
}

/** Turns an `--only` glob (`*` any run of characters, `?` one) into a predicate over check ids. */
export function idGlob(pattern: string): (id: string) => boolean {
  const alternatives = pattern.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  const res = alternatives.map(
    (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`),
  );
  return (id) => res.some((re) => re.test(id));
}
