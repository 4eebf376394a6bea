/**
 * Test fixtures for the domain core: a core over a chosen store with a manual clock, request
 * contexts, deterministic UUIDs and mutation builders.
 */
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { PushResponse, Result } from '../../src/domain/api.js';
import { clinicModule } from '../../src/domain/clinic/clinic-module.js';
import { createCore, type Core } from '../../src/domain/core.js';
import { defectSet, type DefectName } from '../../src/domain/defects.js';
import { moduleRegistry } from '../../src/domain/module.js';
import type { CoreConfig, Outcome, RequestContext } from '../../src/domain/types.js';
import { ManualClock } from '../../src/ports/clock.js';
import type { SyncStore } from '../../src/ports/store.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';

/** A deterministic UUID from two numbers. */
export function uuid(a: number, b = 0): string {
  return `${a.toString(16).padStart(8, '0')}-0000-4000-8000-${b.toString(16).padStart(12, '0')}`;
}

/** A request context. */
export function ctxOf(tenantId: string, actorId = 'alice', roles: string[] = ['clinician']): RequestContext {
  return { tenantId, actorId, roles };
}

/** A core over a fresh memory store (or the given store) with a manual clock. */
export function makeCore(opts: { store?: SyncStore; config?: Partial<CoreConfig>; defects?: DefectName[]; audit?: boolean } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const store = opts.store ?? createMemoryStore();
  const core: Core<'sync'> = createCore({
    store,
    clock,
    modules: moduleRegistry(clinicModule),
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.defects ? { defects: defectSet(opts.defects) } : {}),
    ...(opts.audit === false ? {} : { audit: createAuditRecorder() }),
  });
  return { core, store, clock };
}

/** Fields of a mutation a test usually sets. */
export interface MutationSpec {
  cmid: string;
  seq: number;
  type: string;
  id: string;
  op: string;
  base?: number;
  payload: Record<string, unknown>;
  actor?: string;
}

/** A mutation JSON object. */
export function mutation(s: MutationSpec): Record<string, unknown> {
  return {
    clientMutationId: s.cmid,
    clientSeq: s.seq,
    aggregate: { type: s.type, id: s.id },
    op: s.op,
    baseVersion: s.base ?? 0,
    payload: s.payload,
    capturedAt: '2026-01-01T00:00:00Z',
    actorId: s.actor ?? 'alice',
  };
}

/** A push body. */
export function pushBody(clientId: string, mutations: Record<string, unknown>[]): Record<string, unknown> {
  return { clientId, mutations };
}

/** Unwraps an ok push result (fails the test otherwise). */
export function outcomesOf(r: Result<PushResponse>): readonly Outcome[] {
  if (!r.ok) throw new Error(`push refused: ${JSON.stringify(r.problem)}`);
  return r.value.outcomes;
}

/** Problem type name of a rejected outcome. */
export function problemOf(o: Outcome | undefined): string | undefined {
  return o && o.status === 'rejected' ? o.problem.type.split('/').pop() : undefined;
}

/** Payload builders. */
export const payloads = {
  patient: (mrn: string, given = 'Ada', family = 'Lovelace', birthDate = '1990-12-10') => ({ mrn, givenName: given, familyName: family, birthDate }),
  encounter: (patientId: string, status = 'planned') => ({ patientId, status }),
  note: (patientId: string, title = 'Visit') => ({ patientId, title }),
  entry: (text: string, authoredAt = '2026-01-01T10:00:00Z') => ({ text, authoredAt }),
  stock: (sku: string, quantity: number, controlled = false) => ({ sku, name: `Item ${sku}`, quantity, controlled }),
};
