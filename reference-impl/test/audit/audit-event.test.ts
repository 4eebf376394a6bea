import { describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { validatorFor, formatSchemaErrors } from '../../../contracts/src/schema-registry.js';
import { auditEventId, buildAuditEvent } from '../../src/audit/audit-event.js';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import { chainHash, EMPTY_HEAD, GENESIS_HASH, nextEntry, verifyChain, type AuditChainEntry } from '../../src/audit/hash-chain.js';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import type { AuditDue } from '../../src/domain/types.js';
import type { AuditEntryRow } from '../../src/ports/records.js';
import type { StoreTx } from '../../src/ports/store.js';

const resolved: AuditDue = {
  kind: 'conflict-resolved',
  tenantId: 'tenant-a',
  module: 'clinic',
  actorId: 'dr-who',
  roles: ['admin'],
  aggregate: { type: 'encounter', id: '5b0f6c1e-8f1a-4d2b-9c3e-000000000001' },
  patientRef: 'Patient/5b0f6c1e-8f1a-4d2b-9c3e-0000000000aa',
  versions: [3, 4],
  versionDetail: { base: 2, server: 3, result: 4 },
  policy: 'reject-stale',
  op: 'update',
  recorded: '2026-01-01T00:00:00.000Z',
  sourceId: 'conflict:c1',
  conflictId: '5b0f6c1e-8f1a-4d2b-9c3e-0000000000c1',
  resolution: 'take-client',
  clientMutationId: '5b0f6c1e-8f1a-4d2b-9c3e-0000000000d1',
  outcome: '0',
};

const permissionLost: AuditDue = {
  kind: 'permission-lost',
  tenantId: 'tenant-a',
  module: 'clinic',
  actorId: 'nurse',
  roles: ['clinician'],
  aggregate: { type: 'stock-item', id: '5b0f6c1e-8f1a-4d2b-9c3e-000000000002' },
  versions: [0],
  versionDetail: { base: 0, server: 0 },
  op: 'create',
  recorded: '2026-01-01T00:00:01.000Z',
  sourceId: 'permission-lost:5b0f6c1e-8f1a-4d2b-9c3e-0000000000d2',
  clientMutationId: '5b0f6c1e-8f1a-4d2b-9c3e-0000000000d2',
  outcome: '4',
};

describe('audit events', () => {
  requirementTest({ id: 'audit.event-balp-shape', verifies: ['OFS-AUD-002'] }, 'resolved-conflict and permission-lost events validate against the AuditEvent contract', () => {
    const validate = validatorFor('audit-event');
    for (const due of [resolved, permissionLost]) {
      const event = buildAuditEvent(due);
      expect(validate(event), formatSchemaErrors(validate.errors)).toBe(true);
      expect(event.resourceType).toBe('AuditEvent');
      expect(event.agent.some((a) => a.requestor && a.who.identifier.value === due.actorId)).toBe(true);
      expect(event.recorded).toBe(due.recorded);
      expect(event.outcome).toBe(due.outcome);
    }
    const e = buildAuditEvent(resolved);
    expect(e.entity.map((x) => x.what.reference)).toEqual([
      'Patient/5b0f6c1e-8f1a-4d2b-9c3e-0000000000aa',
      'Encounter/5b0f6c1e-8f1a-4d2b-9c3e-000000000001',
    ]);
    expect(e.entity[1]!.detail).toContainEqual({ type: 'versions', valueString: 'base=2;server=3;result=4' });
    expect(e.entity[1]!.detail).toContainEqual({ type: 'policy', valueString: 'reject-stale' });
    expect(e.id).toBe(auditEventId(resolved));
    const lost = buildAuditEvent(permissionLost);
    expect(lost.action).toBe('C');
    expect(lost.subtype.map((c) => c.code)).toEqual(['create', 'permission-lost']);
    expect(lost.entity.map((x) => x.what.reference)).toEqual(['Basic/5b0f6c1e-8f1a-4d2b-9c3e-000000000002']);
  });

  requirementTest({ id: 'audit.event-no-phi', verifies: ['OFS-AUD-003'] }, 'a patient aggregate event carries references only', () => {
    const due: AuditDue = { ...resolved, aggregate: { type: 'patient', id: '5b0f6c1e-8f1a-4d2b-9c3e-0000000000aa' }, patientRef: undefined };
    const text = JSON.stringify(buildAuditEvent(due));
    expect(text).toContain('Patient/5b0f6c1e-8f1a-4d2b-9c3e-0000000000aa');
    // The builder takes no state, so no payload field name can appear either.
    for (const field of ['mrn', 'givenName', 'familyName', 'birthDate', 'text', 'title']) expect(text).not.toContain(`"${field}"`);
  });

  test('event ids are deterministic per cause and distinct across causes', () => {
    expect(auditEventId(resolved)).toBe(auditEventId({ ...resolved }));
    expect(auditEventId(resolved)).not.toBe(auditEventId(permissionLost));
    expect(auditEventId(resolved)).not.toBe(auditEventId({ ...resolved, tenantId: 'tenant-b' }));
    expect(auditEventId(resolved)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('hash chain', () => {
  requirementTest({ id: 'audit.chain-verifies-and-detects-tampering', verifies: ['OFS-AUD-004'] }, 'the per-tenant chain verifies from genesis and any edit breaks it', () => {
    const rows: AuditEntryRow[] = [];
    const tx = {
      auditHead: (t: string) => {
        const mine = rows.filter((r) => r.tenantId === t);
        const last = mine[mine.length - 1];
        return last ? { seq: last.seq, hash: last.hash } : undefined;
      },
      appendAudit: (row: Omit<AuditEntryRow, 'publishedAt'>) => rows.push({ ...row, publishedAt: null }),
    } as unknown as StoreTx;
    const recorder = createAuditRecorder();
    recorder.record(tx, resolved);
    recorder.record(tx, permissionLost);
    recorder.record(tx, { ...permissionLost, tenantId: 'tenant-b' });
    const a = rows.filter((r) => r.tenantId === 'tenant-a');
    expect(a.map((r) => r.seq)).toEqual([1, 2]);
    expect(a[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows.find((r) => r.tenantId === 'tenant-b')!.seq).toBe(1);
    expect(a[0]!.hash).toBe(chainHash(GENESIS_HASH, a[0]!.event));
    expect(a[1]!.action).toBe('permission-lost');
    const entries: AuditChainEntry[] = a.map((r) => ({ seq: r.seq, prevHash: r.prevHash, hash: r.hash, event: r.event }));
    expect(verifyChain(entries)).toBeUndefined();
    // Edited event, dropped entry, swapped order: each is detected.
    const edited = entries.map((e, i) => (i === 0 ? { ...e, event: { ...(e.event as object), outcome: '8' } } : e));
    expect(verifyChain(edited)?.reason).toBe('hash-mismatch');
    expect(verifyChain(entries.slice(1))?.reason).toBe('seq-gap');
    expect(verifyChain([entries[1]!, entries[0]!])?.reason).toBe('seq-gap');
  });

  test('the hash is over canonical JSON (key order does not matter)', () => {
    expect(chainHash(GENESIS_HASH, { b: 1, a: [1, { d: 2, c: 'x' }] })).toBe(chainHash(GENESIS_HASH, { a: [1, { c: 'x', d: 2 }], b: 1 }));
    expect(canonicalJson({ b: 1, a: 'é', c: [true, null] })).toBe('{"a":"é","b":1,"c":[true,null]}');
    expect(nextEntry(EMPTY_HEAD, { x: 1 }).seq).toBe(1);
  });
});
