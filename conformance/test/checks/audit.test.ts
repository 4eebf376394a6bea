/**
 * aud.phi-conflict-resolution-event's "versions involved" (OFS-AUD-002) is read from the parsed
 * AuditEvent — the `entity[].detail[]` entry of type `versions` on the entity of the resolved
 * aggregate — not from the word appearing anywhere: against the in-process reference (pass) and
 * against servers whose events are schema-valid but state no versions there (fail).
 */
import { describe, expect, test } from 'vitest';
import { ConformanceFailure } from '../../src/failures.js';
import { runCheckBody } from '../../src/harness/run-check-body.js';
import { checkEntry } from '../../src/registry.js';
import { auditChecks, versionsDetail } from '../../src/checks/audit.js';
import { withBody, type Fault, useFaultBench } from './fault-environment.js';

const CHECK = 'aud.phi-conflict-resolution-event';

const bench = useFaultBench();

interface Entity {
  what: { reference: string };
  detail?: { type: string; valueString: string }[];
  [k: string]: unknown;
}

/** Rewrites the entities of every audit event a GET of the audit log returns. */
function rewritingEntities(name: string, rewrite: (entities: Entity[]) => Entity[]): Fault {
  return {
    name,
    async response(res, req) {
      if (req.method !== 'GET' || !req.path.startsWith('/v1/audit/events') || res.status !== 200) return res;
      const body = res.body as { entries: { event: { entity: Entity[] } }[] };
      const entries = body.entries.map((e) => ({ ...e, event: { ...e.event, entity: rewrite(e.event.entity) } }));
      return withBody(res, { ...body, entries });
    },
  };
}

async function expectVersionsFailure(fault: Fault): Promise<void> {
  const run = await runCheckBody(bench().withFault(fault), checkEntry(CHECK), auditChecks[CHECK]!);
  expect(run.verdict, String((run.error as Error | undefined)?.message)).toBe('fail');
  expect(run.error).toBeInstanceOf(ConformanceFailure);
  const failure = run.error as ConformanceFailure;
  expect(failure.code).toBe('CONF_E_AUDIT_SHAPE');
  expect(failure.requirement).toBe('OFS-AUD-002');
  expect(failure.message).toMatch(/versions involved/);
}

describe(CHECK, () => {
  test('passes against the clean reference', { timeout: 60_000 }, async () => {
    const run = await runCheckBody(bench().clean, checkEntry(CHECK), auditChecks[CHECK]!);
    expect(run.error, String((run.error as Error | undefined)?.message)).toBeUndefined();
    expect(run.verdict).toBe('pass');
  });

  test('fails when the versions detail states no version (an empty valueString)', { timeout: 60_000 }, async () => {
    await expectVersionsFailure(
      rewritingEntities('empties the versions detail', (entities) =>
        entities.map((e) => (e.detail ? { ...e, detail: e.detail.map((d) => (d.type === 'versions' ? { ...d, valueString: '' } : d)) } : e)),
      ),
    );
  });

  test('fails when the versions sit on another entity than the resolved aggregate', { timeout: 60_000 }, async () => {
    await expectVersionsFailure(
      rewritingEntities('moves the versions detail to an entity of another resource', (entities) => {
        const moved = entities.flatMap((e) => e.detail?.filter((d) => d.type === 'versions') ?? []);
        const stripped = entities.map((e) => (e.detail ? { ...e, detail: e.detail.filter((d) => d.type !== 'versions') } : e));
        const template = entities[entities.length - 1]!;
        return [...stripped, { ...template, what: { reference: 'Basic/versions-elsewhere' }, detail: moved }];
      }),
    );
  });
});

describe('versionsDetail', () => {
  const event = (entity: unknown) => ({ resourceType: 'AuditEvent', entity });
  const id = '0b4f1c52-3c1d-4a43-9a52-1f5d7d7f2e10';

  test('finds the versions entry in the detail of the entity referencing the aggregate', () => {
    const detail = { type: 'versions', valueString: 'base=1;server=2;result=3' };
    expect(versionsDetail(event([{ what: { reference: 'Patient/p1' } }, { what: { reference: `Encounter/${id}` }, detail: [{ type: 'conflictId', valueString: 'c' }, detail] }]), id)).toEqual(detail);
  });

  test('does not take the word versions anywhere else for it', () => {
    expect(versionsDetail(event([{ what: { reference: `Encounter/${id}` }, detail: [{ type: 'policy', valueString: 'versions' }] }]), id)).toBeUndefined();
    expect(versionsDetail(event([{ what: { reference: `Encounter/${id}` }, detail: [{ type: 'Versions', valueString: 'base=1' }] }]), id)).toBeUndefined();
    expect(versionsDetail(event([{ what: { reference: `Encounter/${id}` }, detail: [{ type: 'versions', valueString: 'none' }] }]), id)).toBeUndefined();
    expect(versionsDetail(event([{ what: { reference: 'Encounter/other' }, detail: [{ type: 'versions', valueString: 'base=1' }] }]), id)).toBeUndefined();
    expect(versionsDetail({ outcomeDesc: 'versions', entity: 'versions' }, id)).toBeUndefined();
    expect(versionsDetail(undefined, id)).toBeUndefined();
  });
});
