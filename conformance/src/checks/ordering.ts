/**
 * Ordering family (TR §2.3, §4, §7): one outcome per mutation in order, clientSeq gaps stop the
 * batch, `blocked` only behind an open conflict on the same aggregate, pull pages in commit order.
 */
import { randomUUID } from 'node:crypto';
import type { CheckDefinitions } from '../harness/run-check-body.js';
import { ConformanceFailure, InconclusiveError, type FailureCode } from '../failures.js';
import { expectStatus, fail, problemName } from '../harness/assertions.js';
import { schemaErrors } from '../harness/contract-schemas.js';
import { createAggregate, expectAbsent, expectOutcomeStatus, mustReadBack, provokeConflict, readResource } from './support.js';
import { runRealTarget } from '../../../simulators/real-target/run-real-target.js';
import { profileRunSetup } from '../../../simulators/real-target/profile-setup.js';
import { systemRealWorld } from '../../../simulators/cli/system-real-world.js';

/** The ordering checks. */
export const orderingChecks: CheckDefinitions = {
  'order.outcomes-one-per-mutation': {
    title: 'a push answers exactly one well-formed outcome per mutation, in request order',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const client = h.actor('tenantA').client();
      const mutations = [0, 1, 2].map(() =>
        client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create') }),
      );
      const outcomes = await client.pushOk(mutations);
      outcomes.forEach((o, i) => {
        const errors = schemaErrors('outcome', o);
        if (errors.length > 0) fail('CONF_E_SHAPE', 'OFS-SYNC-006', `outcome #${i + 1} against outcome.schema.json`, 'valid', errors.join('; '));
        expectOutcomeStatus(o, 'applied', 'OFS-SYNC-004', `create #${i + 1}`);
        if (o.newVersion !== 1) fail('CONF_E_SHAPE', 'OFS-SYNC-006', `create #${i + 1} newVersion`, 1, o.newVersion);
      });
      const pushErrors = schemaErrors('push-response', { outcomes });
      if (pushErrors.length > 0) fail('CONF_E_SHAPE', 'OFS-SYNC-006', 'push response against push-response.schema.json', 'valid', pushErrors.join('; '));
    },
  },

  'order.seq-gap-rejected': {
    title: 'a clientSeq gap is rejected out-of-order with expectedSeq and the rest of the batch is not processed',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const client = a.client();
      const make = (seq: number) =>
        client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create'), clientSeq: seq });
      const batch = [make(1), make(3), make(4)];
      const [first, gap, rest] = await client.pushOk(batch);
      expectOutcomeStatus(first!, 'applied', 'OFS-SYNC-004', 'clientSeq 1');
      if (gap!.status !== 'rejected' || problemName(gap!.problem) !== 'out-of-order') {
        fail('CONF_E_ORDER', 'OFS-SYNC-007', 'outcome of clientSeq 3 after 1', 'rejected out-of-order', gap!.problem ? `${gap!.status} ${String(gap!.problem.type)}` : gap!.status);
      }
      if (gap!.problem?.status !== 409) fail('CONF_E_PROBLEM_TYPE', 'OFS-SYNC-007', 'out-of-order problem status', 409, gap!.problem?.status);
      if (gap!.problem?.expectedSeq !== 2) fail('CONF_E_SHAPE', 'OFS-SYNC-007', 'out-of-order expectedSeq', 2, gap!.problem?.expectedSeq);
      expectOutcomeStatus(rest!, 'not-processed', 'OFS-SYNC-007', 'clientSeq 4 after the gap');
      for (const m of [batch[1]!, batch[2]!]) {
        await expectAbsent(a, agg, m.aggregate.id, 'OFS-SYNC-007', `the aggregate of clientSeq ${m.clientSeq}`, { code: 'CONF_E_ORDER' });
      }
      // The client fixes its queue: 2, 3, 4 now apply (nothing about the gap was recorded).
      const fixed = [make(2), batch[1]!, batch[2]!];
      const outcomes = await client.pushOk(fixed);
      outcomes.forEach((o, i) => expectOutcomeStatus(o, 'applied', 'OFS-SYNC-007', `retry of clientSeq ${fixed[i]!.clientSeq} after filling the gap`));
    },
  },

  'order.blocked-same-aggregate-only': {
    title: 'behind an open conflict a client is blocked on that aggregate only',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const staleClient = a.client();
      const { created, conflict } = await provokeConflict(h, agg, a.client(), staleClient, 'OFS-CONF-001');
      const current = conflict.serverVersion ?? created.version + 1;
      const sameAgg = staleClient.mutation({ aggregate: created.ref, op: 'update', baseVersion: current, payload: h.payload(agg, 'update') });
      const otherAgg = staleClient.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create') });
      const [blocked, proceeded] = await staleClient.pushOk([sameAgg, otherAgg]);
      if (blocked!.status !== 'blocked') fail('CONF_E_NOT_BLOCKED', 'OFS-SYNC-008', 'mutation on the aggregate with an open conflict', 'blocked', blocked!.status);
      if (blocked!.blockedBy !== conflict.conflictId) fail('CONF_E_NOT_BLOCKED', 'OFS-SYNC-008', 'blockedBy', conflict.conflictId, blocked!.blockedBy);
      if (proceeded!.status !== 'applied') fail('CONF_E_WRONGLY_BLOCKED', 'OFS-SYNC-008', 'mutation of the same client on another aggregate', 'applied', proceeded!.status);
      // Another client is not behind this client's conflict.
      const otherClient = a.client();
      const fromOther = await otherClient.pushOne(otherClient.mutation({ aggregate: created.ref, op: 'update', baseVersion: current, payload: h.payload(agg, 'update') }));
      if (fromOther.status !== 'applied') fail('CONF_E_WRONGLY_BLOCKED', 'OFS-SYNC-008', "another client's up-to-date mutation on that aggregate", 'applied', fromOther.status);
    },
  },

  'order.pull-commit-order': {
    title: "pull pages return the tenant's changes after the cursor in commit order, none skipped or repeated",
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      // Position a cursor at the end of the tenant's log first (a shared target may hold older changes).
      let cursor: string | undefined;
      for (let guard = 0; guard < 1000; guard += 1) {
        const res = await a.get(a.syncPath(`pull?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
        expectStatus(res, 200, 'OFS-SYNC-012', 'pull');
        const page = res.body as { nextCursor?: string; hasMore?: boolean };
        if (typeof page.nextCursor !== 'string') fail('CONF_E_SHAPE', 'OFS-SYNC-012', 'pull nextCursor', 'a string', page.nextCursor);
        cursor = page.nextCursor;
        if (!page.hasMore) break;
      }
      const client = a.client();
      const created = await createAggregate(h, client, agg);
      const expected: string[] = [`${created.ref.id}@1`];
      let version = created.version;
      for (let i = 0; i < 3; i += 1) {
        const o = await client.pushOne(client.mutation({ aggregate: created.ref, op: 'update', baseVersion: version, payload: h.payload(agg, 'update') }));
        expectOutcomeStatus(o, 'applied', 'OFS-SYNC-004', 'update');
        version = o.newVersion as number;
        expected.push(`${created.ref.id}@${version}`);
        const other = await createAggregate(h, client, agg);
        expected.push(`${other.ref.id}@1`);
      }
      const seen: string[] = [];
      for (let guard = 0; guard < 100; guard += 1) {
        const res = await a.get(a.syncPath(`pull?limit=2&cursor=${encodeURIComponent(cursor as string)}`));
        expectStatus(res, 200, 'OFS-SYNC-012', 'pull page');
        const page = res.body as { changes?: { aggregate?: { id?: string }; version?: number }[]; nextCursor?: string; hasMore?: boolean };
        const errors = schemaErrors('pull-response', page);
        if (errors.length > 0) fail('CONF_E_SHAPE', 'OFS-SYNC-012', 'pull page against pull-response.schema.json', 'valid', errors.join('; '));
        if ((page.changes ?? []).length > 2) fail('CONF_E_SHAPE', 'OFS-SYNC-012', 'changes in a page with limit=2', '<= 2', page.changes!.length);
        for (const c of page.changes ?? []) seen.push(`${c.aggregate?.id}@${c.version}`);
        cursor = page.nextCursor;
        if (!page.hasMore) break;
      }
      const mine = seen.filter((s) => expected.some((e) => e.split('@')[0] === s.split('@')[0]));
      if (mine.join(',') !== expected.join(',')) fail('CONF_E_ORDER', 'OFS-SYNC-012', 'changes pulled after the cursor', expected, mine);
    },
  },

  'order.queue-replay-after-partition': {
    title: 'offline clients replaying their queues after a partition lose nothing and converge (simulator real-target mode)',
    // The devices' own traffic is the subject here; a contract proxy would only slow it down.
    bypassContractProxy: true,
    timeoutMs: 60_000,
    async run(h) {
      // 4 offline devices in each of 2 tenants capture ~60 mutations while their requests are
      // dropped, delayed, duplicated, answered into the void and cut off by partitions; then the
      // network heals, the queues must drain and every replica must equal the server's state.
      const setup = profileRunSetup(h.profile, h.tokens, { runId: h.runId, world: systemRealWorld });
      const run = await runRealTarget({
        world: systemRealWorld,
        target: h.target,
        module: setup.module,
        tenants: setup.tenants,
        tokens: setup.tokens,
        workload: setup.workload,
        scope: setup.scope,
        seed: h.seed,
        clients: 8,
        clones: setup.clonesPossible ? 1 : 0,
        mutations: 60,
        timeBudgetMs: 9_000,
        safetyMs: 3_500,
      });
      if (run.inconclusive !== undefined) throw new InconclusiveError(`queue replay (seed ${run.seed}): ${run.inconclusive}`);
      // The simulator's checkers that decide this check, with the failure code and the requirement
      // a violation contradicts (the event and audit checkers belong to their own families).
      const QUEUE_REPLAY_FAILURES: Readonly<Record<string, readonly [FailureCode, string]>> = {
        'no-silent-loss': ['CONF_E_LOST_UPDATE', 'OFS-SYNC-011'],
        'exactly-once': ['CONF_E_APPLIED_TWICE', 'OFS-SYNC-011'],
        'per-aggregate-order': ['CONF_E_ORDER', 'OFS-SYNC-011'],
        'tenant-isolation': ['CONF_E_TENANT_LEAK', 'OFS-SYNC-011'],
        convergence: ['CONF_E_LOST_UPDATE', 'OFS-SYNC-013'],
      };
      const failed = run.results.find((r) => r.verdict === 'fail' && QUEUE_REPLAY_FAILURES[r.checker] !== undefined);
      if (failed) {
        const [code, requirement] = QUEUE_REPLAY_FAILURES[failed.checker] as [FailureCode, string];
        throw new ConformanceFailure(`queue replay after partition (seed ${run.seed}, history ${run.hash.slice(0, 12)}): ${failed.checker}`, {
          code,
          requirement,
          expected: 'every captured mutation applied exactly once or surfaced, every replica equal to its tenant\'s server state',
          received: { violation: failed.message, witness: failed.witness },
          evidence: run.evidenceFor(failed.witness).map((x) => ({ request: x.request, ...(x.response ? { response: x.response } : {}) })),
        });
      }
      const undecided = run.results.find((r) => r.verdict === 'unknown' && QUEUE_REPLAY_FAILURES[r.checker] !== undefined);
      if (undecided) throw new InconclusiveError(`queue replay (seed ${run.seed}): ${undecided.checker}: ${undecided.message}`);
    },
  },

  'order.applied-is-durable': {
    title: 'an applied outcome is readable at its new version with its ETag',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const created = await createAggregate(h, a.client(), agg);
      const r = await mustReadBack(a, agg, created.ref.id);
      if (r.version !== created.version) fail('CONF_E_SHAPE', 'OFS-SYNC-014', 'version read back', created.version, r.version);
      if (agg.collection) {
        // TR §5.3: the resource is served with the strong ETag of the version the outcome reported.
        const { res } = await readResource(a, agg, created.ref.id);
        const etag = `"${created.version}"`;
        if (res.headers.etag !== etag) fail('CONF_E_SHAPE', 'OFS-CONF-011', 'ETag of the GET after an applied create', etag, res.headers.etag ?? '(absent)');
      }
    },
  },
};
