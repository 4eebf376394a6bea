/**
 * Fixtures of the defect tests: an in-process core with or without one planted defect, and a
 * conflict on a PHI aggregate resolved through it.
 */
import { createInProcessCore, type InProcessCore } from '../../src/in-process/in-process-core.js';
import { ManualClock } from '../../src/ports/clock.js';
import type { SyncStore } from '../../src/ports/store.js';
import { ctxOf, mutation, outcomesOf, payloads, pushBody, uuid } from '../domain/helpers.js';

export { ctxOf, mutation, outcomesOf, payloads, pushBody, uuid };

/** A core with `defect` planted (none when undefined). */
export function coreWith(defect: string | undefined, store?: SyncStore): InProcessCore {
  return createInProcessCore({ clock: new ManualClock(Date.UTC(2026, 0, 1)), ...(store ? { store } : {}), ...(defect ? { defects: [defect] } : {}) });
}

/**
 * Opens a manual conflict (a second patient with a taken MRN) as `alice` and resolves it with
 * keep-server. Returns the conflict id.
 */
export function resolvePatientConflict(c: InProcessCore, tenant = 't'): string {
  const ctx = ctxOf(tenant);
  outcomesOf(c.push(ctx, pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'patient', id: uuid(2, 1), op: 'create', payload: payloads.patient('MRN-1', 'Grace', 'Hopper') })])));
  const [o] = outcomesOf(c.push(ctx, pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 2), seq: 2, type: 'patient', id: uuid(2, 2), op: 'create', payload: payloads.patient('MRN-1', 'Gracie', 'Hopper') })])));
  if (o?.status !== 'conflict') throw new Error(`expected a conflict, got ${JSON.stringify(o)}`);
  const r = c.resolve(ctx, o.conflictId, { resolution: 'keep-server' });
  if (!r.ok) throw new Error(`resolve refused: ${JSON.stringify(r.problem)}`);
  return o.conflictId;
}
