/**
 * Audit family (TR §9–§10): a resolved PHI conflict yields exactly one BALP AuditEvent without any
 * PHI value the check wrote, the per-tenant hash chain verifies, audit events reach NATS, and
 * offline DSSE envelope chains are verified on upload.
 */
import { randomUUID } from 'node:crypto';
import type { CheckDefinitions } from '../harness/run-check-body.js';
import type { CheckHarness } from '../harness/check-harness.js';
import type { Actor } from '../harness/actor.js';
import { expectProblem, expectStatus, fail } from '../harness/assertions.js';
import { schemaErrors } from '../harness/contract-schemas.js';
import { NotApplicableError } from '../failures.js';
import type { AggregateSpec } from '../profile/target-profile.js';
import { provokeConflict, sleep } from './support.js';
import { Device, entriesReferencing, readAudit, sha256Hex, verifyChain, type Envelope } from './audit-support.js';

/** A PHI aggregate with declared PHI fields and an update example. */
function phiAggregate(h: CheckHarness): AggregateSpec {
  const agg = h.profile.aggregates.find((a) => a.phi && (a.phiFields?.length ?? 0) > 0 && a.examplePayloads.update && (a.policy === 'manual' || a.policy === 'reject-stale'));
  if (!agg) throw new NotApplicableError('the profile declares no PHI aggregate with phiFields and an update example');
  return agg;
}

/** One `entity[].detail[]` entry of a FHIR AuditEvent. */
interface EntityDetail {
  readonly type?: unknown;
  readonly valueString?: unknown;
}

/** `<name>=<integer>` pairs joined by `;` (TR §9.2: `base=<n>;server=<n>;result=<n>`). */
const VERSIONS_VALUE = /^[A-Za-z]+=\d+(?:;[A-Za-z]+=\d+)*$/;

/**
 * The `versions` detail (TR §9.2) of the AuditEvent's entity that references `aggregateId`
 * (`what.reference` `<FhirType>/<id>`): an `entity[].detail[]` entry with `type === 'versions'` whose
 * valueString states versions. Undefined when there is none.
 */
export function versionsDetail(event: unknown, aggregateId: string): EntityDetail | undefined {
  const entities = (event as { entity?: unknown } | undefined)?.entity;
  if (!Array.isArray(entities)) return undefined;
  for (const entity of entities as { what?: { reference?: unknown }; detail?: unknown }[]) {
    const reference = entity?.what?.reference;
    if (typeof reference !== 'string' || !reference.endsWith(`/${aggregateId}`) || !Array.isArray(entity.detail)) continue;
    const found = (entity.detail as EntityDetail[]).find((d) => d?.type === 'versions' && typeof d.valueString === 'string' && VERSIONS_VALUE.test(d.valueString));
    if (found) return found;
  }
  return undefined;
}

/** Resolves a fresh conflict on a PHI aggregate whose PHI fields carry canary values. */
async function resolvePhiConflict(h: CheckHarness, tenant: 'tenantA' | 'tenantB' = 'tenantA'): Promise<{ aggregateId: string; canaries: string[]; resolver: Actor }> {
  const agg = phiAggregate(h);
  const a = h.actor(tenant);
  const canaries: string[] = [];
  const canaryFor = (field: string) => {
    const c = `Canary${field}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    canaries.push(c);
    return c;
  };
  // Canaries go into every PHI field of both writes, so either side leaking them is caught.
  const withCanaries = (payload: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, agg.phiFields!.includes(k) && typeof v === 'string' ? canaryFor(k) : v]));
  const harness: CheckHarness = { ...h, payload: (g, op, o) => withCanaries(h.payload(g, op, o)) };
  const { created, conflict } = await provokeConflict(harness, agg, a.client(), a.client(), 'OFS-CONF-001');
  const res = await a.post(a.syncPath(`conflicts/${conflict.conflictId}/resolve`), { resolution: 'take-client' });
  expectStatus(res, 200, 'OFS-CONF-008', 'resolve the PHI conflict');
  return { aggregateId: created.ref.id, canaries, resolver: a };
}

async function upload(actor: Actor, deviceId: string, envelopes: Envelope[]) {
  return actor.post('/v1/audit/envelopes', { deviceId, envelopes });
}

function envelopesEnabled(h: CheckHarness): void {
  if (h.profile.audit.envelopes === false) throw new NotApplicableError('the profile says the target takes no offline audit envelopes');
}

/** A registered device with `n` sealed records. */
async function deviceWith(h: CheckHarness, n: number): Promise<{ device: Device; envelopes: Envelope[]; actor: Actor }> {
  envelopesEnabled(h);
  const actor = h.actor('tenantA');
  const device = new Device(`dev-${randomUUID()}`);
  await device.register(actor);
  const envelopes = Array.from({ length: n }, (_, i) => device.seal({ action: 'view', resource: `Patient/${randomUUID()}`, at: new Date().toISOString(), n: i + 1 }));
  return { device, envelopes, actor };
}

/** The audit checks. */
export const auditChecks: CheckDefinitions = {
  'aud.phi-conflict-resolution-event': {
    title: 'resolving a PHI conflict yields exactly one BALP AuditEvent with no PHI values',
    async run(h) {
      const auditor = h.actor('tenantA', 'auditor');
      const { aggregateId, canaries, resolver } = await resolvePhiConflict(h);
      const { entries } = await readAudit(auditor, h.profile.audit.eventsPath ?? '/v1/audit/events');
      const mine = entriesReferencing(entries, aggregateId);
      if (mine.length !== 1) fail('CONF_E_AUDIT_COUNT', 'OFS-AUD-001', `audit events referencing ${aggregateId}`, 1, mine.length);
      const event = mine[0]!.event;
      const errors = schemaErrors('audit-event', event);
      if (errors.length > 0) fail('CONF_E_AUDIT_SHAPE', 'OFS-AUD-002', 'audit event against audit-event.schema.json (FHIR R4 / IHE BALP)', 'valid', errors.join('; '));
      const text = JSON.stringify(event);
      if (!text.includes(resolver.sub)) fail('CONF_E_AUDIT_SHAPE', 'OFS-AUD-002', 'audit event agent (who)', resolver.sub, (event as { agent?: unknown }).agent);
      const versions = versionsDetail(event, aggregateId);
      if (versions === undefined) {
        fail('CONF_E_AUDIT_SHAPE', 'OFS-AUD-002', `versions involved: detail of the entity referencing ${aggregateId}`, 'an entry { type: "versions", valueString: "base=<n>;server=<n>;result=<n>" }', (event as { entity?: unknown }).entity);
      }
      const leaked = canaries.filter((c) => text.includes(c));
      if (leaked.length > 0) fail('CONF_E_AUDIT_PHI', 'OFS-AUD-003', 'PHI canary values in the audit event', 'none', leaked);
    },
  },

  'aud.chain-verifies': {
    title: "each tenant's audit hash chain verifies from its first entry",
    async run(h) {
      await resolvePhiConflict(h, 'tenantA');
      await resolvePhiConflict(h, 'tenantB');
      for (const tenant of ['tenantA', 'tenantB'] as const) {
        const { entries, head } = await readAudit(h.actor(tenant, 'auditor'), h.profile.audit.eventsPath ?? '/v1/audit/events', 'OFS-AUD-004');
        if (entries.length === 0) fail('CONF_E_AUDIT_COUNT', 'OFS-AUD-004', `audit entries of ${tenant} after a PHI resolution`, '>= 1', 0);
        verifyChain(entries, head);
      }
    },
  },

  'aud.published-on-nats': {
    title: 'audit events are published on audit.<tenantId>.<module>.<action>',
    async run(h) {
      const nats = h.profile.nats;
      if (!nats?.auditStream) throw new NotApplicableError('the profile names no audit stream');
      const observer = await h.events();
      const since = new Date(Date.now() - 5_000);
      const { aggregateId, resolver } = await resolvePhiConflict(h);
      const subject = `${nats.auditSubjectPrefix ?? 'audit'}.${resolver.tenantId}.${h.module}.>`;
      let found = 0;
      for (let i = 0; i < 20 && found === 0; i += 1) {
        found = (await observer.read(nats.auditStream, subject, since)).filter((m) => m.raw.includes(aggregateId)).length;
        if (found === 0) await sleep(250);
      }
      if (found !== 1) fail('CONF_E_AUDIT_COUNT', 'OFS-AUD-006', `audit messages on ${subject} for the resolution`, 1, found);
    },
  },

  'aud.envelope-chain-accepted': {
    title: 'a correctly signed and chained envelope batch is accepted and its head returned',
    async run(h) {
      const { device, envelopes, actor } = await deviceWith(h, 3);
      const res = await upload(actor, device.id, envelopes);
      expectStatus(res, 200, 'OFS-AUD-008', 'upload of a valid chain');
      const errors = schemaErrors('envelope-upload-response', res.body);
      if (errors.length > 0) fail('CONF_E_SHAPE', 'OFS-AUD-008', 'upload response against envelope-upload-response.schema.json', 'valid', errors.join('; '));
      const body = res.body as { accepted?: number; head?: { seq?: number; hash?: string } };
      const lastHash = sha256Hex(Buffer.from(envelopes[2]!.payload, 'base64'));
      if (body.accepted !== 3 || body.head?.seq !== 3 || body.head.hash !== lastHash) {
        fail('CONF_E_SHAPE', 'OFS-AUD-007', 'accepted count and head', { accepted: 3, head: { seq: 3, hash: lastHash } }, body);
      }
    },
  },

  'aud.envelope-modified-rejected': {
    title: 'an envelope with a modified payload or signature is rejected and nothing of the batch is stored',
    async run(h) {
      const { device, envelopes, actor } = await deviceWith(h, 2);
      const payload = JSON.parse(Buffer.from(envelopes[1]!.payload, 'base64').toString('utf8')) as { record: Record<string, unknown> };
      payload.record.action = 'delete';
      const modified = { ...envelopes[1]!, payload: Buffer.from(JSON.stringify(payload)).toString('base64') };
      const r1 = await upload(actor, device.id, [envelopes[0]!, modified]);
      if (r1.status === 200) fail('CONF_E_ENVELOPE_ACCEPTED', 'OFS-AUD-009', 'upload with a modified payload', '422 envelope-signature-invalid', 200);
      expectProblem(r1, 'envelope-signature-invalid', 'OFS-AUD-009', 'upload with a modified payload', 422);
      const sig = envelopes[1]!.signatures[0]!.sig;
      const badSig = { ...envelopes[1]!, signatures: [{ keyid: device.id, sig: `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}` }] };
      const r2 = await upload(actor, device.id, [envelopes[0]!, badSig]);
      expectProblem(r2, 'envelope-signature-invalid', 'OFS-AUD-009', 'upload with a modified signature', 422);
      // Nothing of the rejected batches was stored: the genuine chain still starts at seq 1.
      const ok = await upload(actor, device.id, envelopes);
      expectStatus(ok, 200, 'OFS-SEC-007', 'the genuine chain after rejected batches');
    },
  },

  'aud.envelope-reordered-rejected': {
    title: 'envelopes uploaded out of chain order are rejected',
    async run(h) {
      const { device, envelopes, actor } = await deviceWith(h, 3);
      const res = await upload(actor, device.id, [envelopes[1]!, envelopes[0]!, envelopes[2]!]);
      if (res.status === 200) fail('CONF_E_ENVELOPE_ACCEPTED', 'OFS-AUD-010', 'reordered chain', '422 envelope-chain-broken', 200);
      expectProblem(res, 'envelope-chain-broken', 'OFS-AUD-010', 'reordered chain', 422);
    },
  },

  'aud.envelope-truncated-rejected': {
    title: 'a chain with a missing link is rejected',
    async run(h) {
      const { device, envelopes, actor } = await deviceWith(h, 4);
      const gap = await upload(actor, device.id, [envelopes[0]!, envelopes[2]!]);
      if (gap.status === 200) fail('CONF_E_ENVELOPE_ACCEPTED', 'OFS-AUD-011', 'chain with seq 2 missing', '422 envelope-chain-broken', 200);
      expectProblem(gap, 'envelope-chain-broken', 'OFS-AUD-011', 'chain with seq 2 missing', 422);
      expectStatus(await upload(actor, device.id, envelopes.slice(0, 2)), 200, 'OFS-AUD-008', 'upload of seq 1-2');
      const skip = await upload(actor, device.id, [envelopes[3]!]);
      expectProblem(skip, 'envelope-chain-broken', 'OFS-AUD-011', 'seq 4 after head 2', 422);
    },
  },

  'aud.envelope-replayed-head-rejected': {
    title: 'an already accepted chain head uploaded again is rejected',
    async run(h) {
      const { device, envelopes, actor } = await deviceWith(h, 2);
      expectStatus(await upload(actor, device.id, envelopes), 200, 'OFS-AUD-008', 'upload of seq 1-2');
      const again = await upload(actor, device.id, [envelopes[1]!]);
      if (again.status === 200) fail('CONF_E_ENVELOPE_ACCEPTED', 'OFS-AUD-012', 'replay of the accepted head', '409 envelope-replayed', 200);
      expectProblem(again, 'envelope-replayed', 'OFS-AUD-012', 'replay of the accepted head', 409);
    },
  },
};
