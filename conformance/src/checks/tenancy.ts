/**
 * Tenant isolation family (TR §1.2–§1.3, §7): objects of tenant A are invisible and untouchable
 * with tenant B's credentials (BOLA), a tenant named in a body or header never overrides the
 * token's, pulls never cross tenants, and tenant ids are validated.
 */
import { randomUUID } from 'node:crypto';
import type { CheckDefinitions } from '../harness/run-check-body.js';
import { expectProblem, expectStatus, fail } from '../harness/assertions.js';
import {
  createAggregate,
  differingFields,
  expectAbsent,
  expectOutcomeStatus,
  mustReadBack,
  provokeConflict,
  pullAll,
} from './support.js';


/** The tenant isolation checks. */
export const tenancyChecks: CheckDefinitions = {
  'ten.bola-read-write-resolve': {
    title: "tenant B cannot read, write, list or resolve tenant A's objects",
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const b = h.actor('tenantB');
      const x = await createAggregate(h, a.client(), agg);
      const { created: y, conflict } = await provokeConflict(h, agg, a.client(), a.client(), 'OFS-CONF-001');
      if (agg.collection) {
        const read = await b.get(b.restPath(agg.collection, x.ref.id));
        expectStatus(read, [403, 404], 'OFS-TEN-002', "tenant B GET of tenant A's object");
        if (read.rawBody.includes(x.ref.id) || differingFields((read.body as { state?: Record<string, unknown> })?.state, x.payload).length === 0) {
          fail('CONF_E_TENANT_LEAK', 'OFS-TEN-002', "tenant B's GET answer", 'no data of the object', read.body);
        }
        const write = await b.patch(b.restPath(agg.collection, x.ref.id), h.payload(agg, 'update'), { 'idempotency-key': randomUUID(), 'if-match': `"${x.version}"` });
        expectStatus(write, [403, 404], 'OFS-TEN-002', "tenant B PATCH of tenant A's object");
      }
      // A sync update naming A's aggregate id acts on tenant B's namespace only.
      const bc = b.client();
      const pushed = await bc.pushOne(bc.mutation({ aggregate: x.ref, op: 'update', baseVersion: x.version, payload: h.payload(agg, 'update') }));
      if (pushed.status === 'conflict' && pushed.serverState && differingFields(pushed.serverState, x.payload).length === 0) {
        fail('CONF_E_TENANT_LEAK', 'OFS-TEN-002', "tenant B's conflict on tenant A's aggregate id", 'no server state of tenant A', pushed.serverState);
      }
      const after = await mustReadBack(a, agg, x.ref.id);
      if (after.version !== x.version) fail('CONF_E_TENANT_LEAK', 'OFS-TEN-002', "tenant A's object after tenant B's writes", x.version, after.version);
      const list = await b.get(b.syncPath('conflicts'));
      expectStatus(list, 200, 'OFS-TEN-006', 'tenant B list conflicts');
      if (list.rawBody.includes(conflict.conflictId as string) || list.rawBody.includes(y.ref.id)) {
        fail('CONF_E_TENANT_LEAK', 'OFS-TEN-006', "tenant B's conflict list", `no trace of conflict ${conflict.conflictId}`, list.body);
      }
      const resolve = await b.post(b.syncPath(`conflicts/${conflict.conflictId}/resolve`), { resolution: 'take-client' });
      expectStatus(resolve, [403, 404], 'OFS-TEN-002', "tenant B resolving tenant A's conflict");
      const still = await a.get(a.syncPath('conflicts?status=open'));
      expectStatus(still, 200, 'OFS-CONF-008', 'tenant A list open conflicts');
      const open = ((still.body as { conflicts?: { conflictId?: string }[] }).conflicts ?? []).some((c) => c.conflictId === conflict.conflictId);
      if (!open) fail('CONF_E_TENANT_LEAK', 'OFS-TEN-002', "tenant A's conflict after tenant B's resolve attempt", 'still open', 'resolved or gone');
    },
  },

  'ten.tenant-mismatch-403': {
    title: 'a tenant in the body or X-Tenant-Id that disagrees with the token is 403 tenant-mismatch',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const other = h.profile.tenants.tenantB.id;
      const client = a.client();
      const m1 = client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create') });
      const viaBody = await client.push([m1], { extraBody: { tenantId: other } });
      expectProblem(viaBody.res, 'tenant-mismatch', 'OFS-TEN-001', 'push whose body names another tenant', 403);
      const viaHeader = await client.push([m1], { headers: { 'x-tenant-id': other } });
      expectProblem(viaHeader.res, 'tenant-mismatch', 'OFS-TEN-001', 'push whose X-Tenant-Id names another tenant', 403);
      await expectAbsent(a, agg, m1.aggregate.id, 'OFS-TEN-001', 'the refused mutation');
      if (agg.collection) {
        const rest = await a.post(a.restPath(agg.collection), { id: randomUUID(), ...h.payload(agg, 'create') }, { 'idempotency-key': randomUUID(), 'x-tenant-id': other });
        expectProblem(rest, 'tenant-mismatch', 'OFS-TEN-001', 'REST write whose X-Tenant-Id names another tenant', 403);
      }
      // Control: naming the token's own tenant is fine.
      const same = await client.push([m1], { extraBody: { tenantId: a.tenantId } });
      expectStatus(same.res, 200, 'OFS-TEN-001', 'push whose body names the token tenant');
      expectOutcomeStatus(same.outcomes[0]!, 'applied', 'OFS-TEN-001', 'push whose body names the token tenant');
    },
  },

  'ten.pull-isolated': {
    title: "pull never returns another tenant's change",
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const b = h.actor('tenantB');
      const mineA = await createAggregate(h, a.client(), agg);
      const mineB = await createAggregate(h, b.client(), agg);
      const seenByB = await pullAll(b, 'OFS-TEN-003');
      const ids = new Set(seenByB.map((c) => c.aggregate?.id));
      if (ids.has(mineA.ref.id)) fail('CONF_E_TENANT_LEAK', 'OFS-TEN-003', "tenant B's pull", `no change of tenant A's ${mineA.ref.id}`, 'it is there');
      if (!ids.has(mineB.ref.id)) fail('CONF_E_SHAPE', 'OFS-SYNC-012', "tenant B's pull", `its own change ${mineB.ref.id}`, 'absent');
    },
  },

  'ten.tenant-id-validated': {
    title: 'tenant ids with . * > or whitespace are refused (400 in a body or header, 403 as a token claim)',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const client = a.client();
      for (const bad of ['bad.tenant', 'bad*', 'a>b', 'with space']) {
        const m = client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create'), clientSeq: 1 });
        const viaHeader = await client.push([m], { headers: { 'x-tenant-id': bad } });
        expectProblem(viaHeader.res, 'invalid-tenant-id', 'OFS-TEN-004', `X-Tenant-Id '${bad}'`, 400);
        const viaBody = await client.push([m], { extraBody: { tenantId: bad } });
        expectProblem(viaBody.res, ['invalid-tenant-id', 'validation-failed'], 'OFS-TEN-004', `body tenantId '${bad}'`, 400);
      }
      // Only a signing key can mint a token whose claim breaks the syntax.
      if (h.tokens.capabilities.anyClaims) {
        const token = await h.tokens.mint({ tenantId: 'bad.tenant', sub: a.sub, roles: a.roles });
        {
          const res = await a.request({ method: 'GET', path: a.syncPath('pull?limit=1') }, token);
          expectProblem(res, ['invalid-tenant-id', 'unauthorized'], 'OFS-TEN-004', "token whose tenant_id claim is 'bad.tenant'", [401, 403]);
        }
      }
    },
  },
};
