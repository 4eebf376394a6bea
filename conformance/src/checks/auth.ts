/**
 * Auth family (TR §1): expired, forged and foreign tokens are 401 and apply nothing; the actor
 * comes from the token; authorization is decided at apply time (lost permission is a recorded,
 * audited rejection); role rules hold.
 */
import { randomUUID, generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import type { CheckDefinitions } from '../harness/run-check-body.js';
import type { Actor, Mutation } from '../harness/actor.js';
import { expectProblem, expectStatus, fail, problemName } from '../harness/assertions.js';
import type { CheckHarness } from '../harness/check-harness.js';
import { NotApplicableError } from '../failures.js';
import { createAggregate, expectAbsent, expectOutcomeStatus, expectReplayOf, mustReadBack } from './support.js';
import { entriesReferencing, readAudit } from './audit-support.js';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A push with `token` must be 401 unauthorized and must not apply its mutation. */
async function expectRefused(h: CheckHarness, actor: Actor, token: string, requirement: string, what: string): Promise<Mutation> {
  const agg = h.aggregate('reject-stale');
  const client = actor.client();
  const m = client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create') });
  const r = await client.push([m], { token });
  if (r.res.status === 200) fail('CONF_E_AUTH_ACCEPTED', requirement, `push with ${what}`, '401 unauthorized', r.res.status);
  expectProblem(r.res, 'unauthorized', requirement, `push with ${what}`, 401);
  await expectAbsent(actor, agg, m.aggregate.id, 'OFS-SYNC-009', `the mutation pushed with ${what}`);
  return m;
}

/** The auth checks. */
export const authChecks: CheckDefinitions = {
  'auth.expired-401': {
    title: 'an expired token is 401 and applies nothing; the same queue succeeds with a fresh token',
    async run(h) {
      if (!h.tokens.capabilities.anyClaims) throw new NotApplicableError('the auth kind cannot mint expired tokens (needs jwt-signing-key)');
      const a = h.actor('tenantA');
      const expired = await h.tokens.mint({ tenantId: a.tenantId, sub: a.sub, roles: a.roles, ttlSeconds: 0 });
      const agg = h.aggregate('reject-stale');
      const client = a.client();
      const m = client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create') });
      const refused = await client.push([m], { token: expired });
      if (refused.res.status === 200) fail('CONF_E_AUTH_ACCEPTED', 'OFS-AUTH-001', 'push with an expired token', '401 unauthorized', 200);
      expectProblem(refused.res, 'unauthorized', 'OFS-AUTH-001', 'push with an expired token', 401);
      await expectAbsent(a, agg, m.aggregate.id, 'OFS-SYNC-009', 'the refused upload');
      // The client kept its queue: the same mutation with a fresh token applies.
      const retried = await client.pushOne(m);
      expectOutcomeStatus(retried, 'applied', 'OFS-SYNC-009', 'the queued mutation retried with a fresh token');
    },
  },

  'auth.forged-401': {
    title: 'tokens with alg none, an unknown key or a bad signature are 401',
    async run(h) {
      const a = h.actor('tenantA');
      const valid = await a.token();
      const claims = decodeJwt(valid);
      const header = decodeProtectedHeader(valid);
      const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
      await expectRefused(h, a, none, 'OFS-AUTH-002', 'an alg:none token');
      const { privateKey } = generateKeyPairSync('ed25519');
      const foreign = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', ...(header.kid ? { kid: header.kid } : {}) })
        .sign(privateKey);
      await expectRefused(h, a, foreign, 'OFS-AUTH-002', 'a token signed by an unknown key');
      const [p1, p2, sig] = valid.split('.') as [string, string, string];
      const flipped = `${p1}.${p2}.${sig.slice(0, 4)}${sig[4] === 'A' ? 'B' : 'A'}${sig.slice(5)}`;
      await expectRefused(h, a, flipped, 'OFS-AUTH-002', 'a token with a bad signature');
    },
  },

  'auth.wrong-audience-401': {
    title: 'a token for another audience or issuer is 401',
    async run(h) {
      if (!h.tokens.capabilities.anyClaims) throw new NotApplicableError('the auth kind cannot mint foreign-audience tokens (needs jwt-signing-key)');
      const a = h.actor('tenantA');
      const base = { tenantId: a.tenantId, sub: a.sub, roles: a.roles };
      await expectRefused(h, a, await h.tokens.mint({ ...base, aud: 'some-other-api' }), 'OFS-AUTH-003', 'a token for another audience');
      await expectRefused(h, a, await h.tokens.mint({ ...base, iss: 'https://issuer.invalid/' }), 'OFS-AUTH-003', 'a token from another issuer');
    },
  },

  'auth.actor-mismatch': {
    title: 'a mutation captured by one actor cannot be uploaded by another',
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const owner = h.actor('tenantA', 'clinician');
      const other = h.actor('tenantA', 'clinician2');
      const client = other.client();
      const m = client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create'), actorId: owner.sub });
      const r = await client.push([m]);
      if (r.res.status === 200) {
        const o = r.outcomes[0];
        if (o?.status !== 'rejected' || problemName(o.problem) !== 'actor-mismatch') {
          fail('CONF_E_ACTOR_SPOOF', 'OFS-AUTH-004', `upload by ${other.sub} of a mutation captured by ${owner.sub}`, 'rejected actor-mismatch', o ? `${o.status} ${String(o.problem?.type ?? '')}` : '(no outcome)');
        }
        if (o.problem?.status !== 403) fail('CONF_E_PROBLEM_TYPE', 'OFS-AUTH-004', 'actor-mismatch problem status', 403, o.problem?.status);
      } else {
        expectProblem(r.res, 'actor-mismatch', 'OFS-AUTH-004', 'upload of another actor\'s mutation', 403);
      }
      await expectAbsent(owner, agg, m.aggregate.id, 'OFS-AUTH-004', 'the refused mutation', { code: 'CONF_E_ACTOR_SPOOF' });
    },
  },

  'auth.permission-lost-recorded': {
    title: 'a mutation whose actor lost the role is a recorded 403 rejection with exactly one audit event',
    async run(h) {
      if (!h.tokens.capabilities.anyPrincipal) throw new NotApplicableError('the auth kind cannot mint a token with reduced roles');
      const agg = h.aggregate('server-authoritative');
      if (!agg.examplePayloads.createControlled) throw new NotApplicableError(`aggregate ${agg.type} has no createControlled example`);
      const pharmacist = h.actor('tenantA', 'pharmacist');
      const auditor = h.actor('tenantA', 'auditor');
      const client = pharmacist.client();
      const created = await createAggregate(h, client, agg, {}, 'createControlled');
      // Captured offline while a pharmacist; uploaded after the role was withdrawn.
      const m = client.mutation({ aggregate: created.ref, op: 'adjust', baseVersion: created.version, payload: h.payload(agg, 'adjust', { delta: -1 }) });
      const demoted = await h.tokens.mint({ tenantId: pharmacist.tenantId, sub: pharmacist.sub, roles: ['clinician'] });
      const first = await client.pushOne(m, { token: demoted });
      if (first.status === 'applied') fail('CONF_E_PERMISSION', 'OFS-AUTH-005', 'controlled adjust uploaded after losing the pharmacist role', 'rejected permission-lost', 'applied');
      if (first.status !== 'rejected' || problemName(first.problem) !== 'permission-lost' || first.problem?.status !== 403) {
        fail('CONF_E_PERMISSION', 'OFS-AUTH-006', 'outcome of the lost-permission mutation', 'rejected permission-lost (403)', first.problem ? `${first.status} ${String(first.problem.type)} ${String(first.problem.status)}` : first.status);
      }
      const replay = await client.pushOne(m, { token: demoted });
      expectReplayOf(first, replay, 'OFS-AUTH-006');
      const r = await mustReadBack(pharmacist, agg, created.ref.id);
      if (r.version !== created.version) fail('CONF_E_STORED_REJECTED', 'OFS-AUTH-005', 'stock item after the rejection', created.version, r.version);
      const { entries } = await readAudit(auditor, h.profile.audit.eventsPath ?? '/v1/audit/events');
      const events = entriesReferencing(entries, created.ref.id);
      if (events.length !== 1) fail('CONF_E_AUDIT_COUNT', 'OFS-AUD-013', `audit events referencing ${agg.type} ${created.ref.id}`, 1, events.length);
    },
  },

  'auth.rbac-roles': {
    title: 'controlled stock needs the pharmacist role; the audit log is for auditors only',
    async run(h) {
      const agg = h.aggregate('server-authoritative');
      if (!agg.examplePayloads.createControlled) throw new NotApplicableError(`aggregate ${agg.type} has no createControlled example`);
      const clinician = h.actor('tenantA', 'clinician');
      const pharmacist = h.actor('tenantA', 'pharmacist');
      const auditor = h.actor('tenantA', 'auditor');
      const cc = clinician.client();
      const byClinician = await cc.pushOne(cc.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'createControlled') }));
      if (byClinician.status !== 'rejected' || byClinician.problem?.status !== 403) {
        fail('CONF_E_PERMISSION', 'OFS-AUTH-007', 'controlled stock created by a clinician', 'rejected (403)', byClinician.problem ? `${byClinician.status} ${String(byClinician.problem.status)}` : byClinician.status);
      }
      const item = await createAggregate(h, pharmacist.client(), agg, {}, 'createControlled');
      const adj = await cc.pushOne(cc.mutation({ aggregate: item.ref, op: 'adjust', baseVersion: item.version, payload: h.payload(agg, 'adjust', { delta: -1 }) }));
      if (adj.status !== 'rejected' || adj.problem?.status !== 403) fail('CONF_E_PERMISSION', 'OFS-AUTH-007', 'controlled stock adjusted by a clinician', 'rejected (403)', adj.status);
      const path = h.profile.audit.eventsPath ?? '/v1/audit/events';
      const denied = await clinician.get(`${path}?afterSeq=0&limit=1`);
      expectProblem(denied, 'forbidden', 'OFS-AUD-005', 'audit read by a clinician', 403);
      const allowed = await auditor.get(`${path}?afterSeq=0&limit=1`);
      expectStatus(allowed, 200, 'OFS-AUD-005', 'audit read by an auditor');
      const other = h.actor('tenantB', 'auditor');
      const cross = await other.get(`${path}?afterSeq=0&limit=500`);
      expectStatus(cross, 200, 'OFS-AUD-005', "audit read by tenant B's auditor");
      if (cross.rawBody.includes(item.ref.id)) fail('CONF_E_TENANT_LEAK', 'OFS-AUD-005', "tenant B's audit log", `no trace of ${item.ref.id}`, 'found');
    },
  },
};
