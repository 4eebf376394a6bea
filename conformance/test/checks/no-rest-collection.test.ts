/**
 * A target profile may name no REST collections (a module that only syncs). The checks that
 * confirm "nothing changed" or "stored once" then read the aggregate back through pull: they
 * still pass against the clean reference, and they still catch a server whose damage shows only
 * in the stored state — where they used to skip that half and pass.
 */
import { describe, expect, test } from 'vitest';
import { ConformanceFailure } from '../../src/failures.js';
import { type CheckDefinitions } from '../../src/harness/run-check-body.js';
import type { HarnessEnvironment } from '../../src/harness/check-harness.js';
import { idempotencyChecks } from '../../src/checks/idempotency.js';
import { conflictChecks } from '../../src/checks/conflicts.js';
import { orderingChecks } from '../../src/checks/ordering.js';
import { tenancyChecks } from '../../src/checks/tenancy.js';
import { authChecks } from '../../src/checks/auth.js';
import { robustnessChecks } from '../../src/checks/robustness.js';
import type { TargetRequest } from '../../src/target/target.js';
import { bearer, type Fault, useFaultBench, verdictOf, withBody } from './fault-environment.js';

const bench = useFaultBench();

/** `env` with a profile whose aggregates declare no REST collection. */
function withoutCollections(env: HarnessEnvironment): HarnessEnvironment {
  const aggregates = env.profile.aggregates.map(({ collection: _collection, ...agg }) => agg);
  return { ...env, profile: { ...env.profile, aggregates } };
}

const isPush = (req: TargetRequest) => req.method === 'POST' && /\/v1\/sync\/[^/]+\/push$/.test(req.path);

/**
 * A lost update behind a correct answer: the stale writer is told `conflict`, but the server then
 * resolves that conflict for the stale client on its own, overwriting the newer version.
 */
const silentlyTakesStaleWrite: Fault = {
  name: 'answers conflict but applies the stale write anyway',
  async response(res, req, inner) {
    if (!isPush(req) || res.status !== 200) return res;
    const outcomes = (res.body as { outcomes: { status: string; conflictId?: string }[] }).outcomes;
    const token = bearer(req);
    for (const o of outcomes) {
      if (o.status !== 'conflict' || !o.conflictId) continue;
      const resolvePath = req.path.replace(/push$/, `conflicts/${o.conflictId}/resolve`);
      await inner.request({ method: 'POST', path: resolvePath, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: { resolution: 'take-client' } });
    }
    return res;
  },
};

/** A duplicate push is answered with the recorded outcome, but the mutation is applied again. */
const reappliesBehindReplay: Fault = {
  name: 'replays the outcome but applies the duplicate again',
  async response(res, req, inner) {
    if (!isPush(req) || res.status !== 200) return res;
    const outcomes = (res.body as { outcomes: { replayed?: boolean; newVersion?: number }[] }).outcomes;
    const body = req.body as { clientId: string; mutations: { aggregate: { type: string; id: string }; op: string; payload: unknown; clientSeq: number }[] };
    for (const [i, o] of outcomes.entries()) {
      const m = body.mutations[i];
      if (o.replayed !== true || typeof o.newVersion !== 'number' || !m || m.op !== 'create') continue;
      // The "second application": an update at the current version under a fresh client.
      const payload = bench().clean.profile.aggregates.find((a) => a.type === m.aggregate.type)?.examplePayloads.update;
      const again = {
        clientId: crypto.randomUUID(),
        mutations: [{ ...m, clientMutationId: crypto.randomUUID(), clientSeq: 1, op: 'update', baseVersion: o.newVersion, payload }],
      };
      const res2 = await inner.request({ method: 'POST', path: req.path, headers: req.headers ?? {}, body: again });
      const applied = (res2.body as { outcomes?: { status?: string }[] }).outcomes?.[0]?.status;
      if (applied !== 'applied') throw new Error(`the fault could not re-apply: ${res2.rawBody}`);
    }
    return res;
  },
};

describe('checks read back through pull when the profile names no REST collection', () => {
  const cases: readonly { defs: CheckDefinitions; check: string }[] = [
    { defs: idempotencyChecks, check: 'idem.sync-duplicate-applied-replays' },
    { defs: idempotencyChecks, check: 'idem.sync-key-reuse-rejected' },
    { defs: idempotencyChecks, check: 'idem.sync-key-reuse-other-fields' },
    { defs: idempotencyChecks, check: 'idem.scope-per-tenant' },
    { defs: conflictChecks, check: 'conf.stale-base-version-conflict' },
    { defs: conflictChecks, check: 'conf.manual-opens-conflict' },
    { defs: conflictChecks, check: 'conf.merge-append-laws' },
    { defs: conflictChecks, check: 'conf.policy-matches-profile' },
    { defs: conflictChecks, check: 'conf.resolution-endpoint' },
    { defs: conflictChecks, check: 'conf.server-authoritative-reason' },
    { defs: orderingChecks, check: 'order.seq-gap-rejected' },
    { defs: orderingChecks, check: 'order.applied-is-durable' },
    { defs: tenancyChecks, check: 'ten.bola-read-write-resolve' },
    { defs: tenancyChecks, check: 'ten.tenant-mismatch-403' },
    { defs: authChecks, check: 'auth.actor-mismatch' },
    { defs: authChecks, check: 'auth.expired-401' },
    { defs: authChecks, check: 'auth.forged-401' },
    { defs: authChecks, check: 'auth.permission-lost-recorded' },
    { defs: robustnessChecks, check: 'rob.invalid-mutation-changes-nothing' },
    { defs: robustnessChecks, check: 'rob.oversized-413' },
  ];

  test.each(cases)('$check passes against the clean reference', { timeout: 60_000 }, async ({ defs, check }) => {
    const run = await verdictOf(defs, check, withoutCollections(bench().clean));
    expect(run.error, String((run.error as Error | undefined)?.message)).toBeUndefined();
    expect(run.verdict).toBe('pass');
  });

  test('conf.stale-base-version-conflict catches a lost update it can only see in the stored state', { timeout: 60_000 }, async () => {
    const run = await verdictOf(conflictChecks, 'conf.stale-base-version-conflict', withoutCollections(bench().withFault(silentlyTakesStaleWrite)));
    expect(run.verdict).toBe('fail');
    const failure = run.error as ConformanceFailure;
    expect(failure).toBeInstanceOf(ConformanceFailure);
    expect(failure.code).toBe('CONF_E_LOST_UPDATE');
    expect(failure.requirement).toBe('OFS-CONF-007');
  });

  test('idem.sync-duplicate-applied-replays catches a duplicate applied behind a correct replay', { timeout: 60_000 }, async () => {
    const run = await verdictOf(idempotencyChecks, 'idem.sync-duplicate-applied-replays', withoutCollections(bench().withFault(reappliesBehindReplay)));
    expect(run.verdict).toBe('fail');
    const failure = run.error as ConformanceFailure;
    expect(failure).toBeInstanceOf(ConformanceFailure);
    expect(failure.code).toBe('CONF_E_APPLIED_TWICE');
  });

  test('a pull that never ends makes a read-back unknown, not a verdict on part of the log', { timeout: 60_000 }, async () => {
    const endless: Fault = {
      name: 'always has more to pull',
      async response(res, req) {
        if (!/\/pull(\?|$)/.test(req.path) || res.status !== 200) return res;
        return withBody(res, { ...(res.body as object), hasMore: true });
      },
    };
    const run = await verdictOf(idempotencyChecks, 'idem.sync-duplicate-applied-replays', withoutCollections(bench().withFault(endless)));
    expect(run.verdict).toBe('unknown');
    expect(String((run.error as Error).message)).toMatch(/did not end within 200 pages/);
  });

  test('conf.policy-matches-profile names the aggregates it could not exercise and is unknown', { timeout: 60_000 }, async () => {
    const env = bench().clean;
    const aggregates = env.profile.aggregates.map((a) => (a.policy === 'manual' ? { ...a, examplePayloads: { ...a.examplePayloads, update: undefined } } : a));
    const run = await verdictOf(conflictChecks, 'conf.policy-matches-profile', { ...env, profile: { ...env.profile, aggregates } });
    expect(run.verdict).toBe('unknown');
    expect(String((run.error as Error).message)).toMatch(/not exercised: patient \(manual, no update example\)/);
  });

  test('conf.manual-opens-conflict without an update example is unknown, not pass', { timeout: 60_000 }, async () => {
    const env = withoutCollections(bench().clean);
    const aggregates = env.profile.aggregates.map((a) => (a.policy === 'manual' ? { ...a, examplePayloads: { ...a.examplePayloads, update: undefined } } : a));
    const run = await verdictOf(conflictChecks, 'conf.manual-opens-conflict', { ...env, profile: { ...env.profile, aggregates } });
    expect(run.verdict).toBe('unknown');
    expect(String((run.error as Error).message)).toMatch(/no update example/);
  });
});
