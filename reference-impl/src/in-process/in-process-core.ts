/**
 * The simulator's fast path: the reference domain core bound to a synchronous store, called
 * directly with a request context and plain objects — no HTTP, no JSON, no promises. Every call
 * returns its result synchronously, so a deterministic simulation can interleave clients at will.
 */
import { createAuditRecorder } from '../audit/audit-recorder.js';
import type { AuditRecorder, PullPage, PushResponse, ResolveConflictResponse, RestResponse, RestWriteRequest, Result, GetResourceRequest } from '../domain/api.js';
import { clinicModule } from '../domain/clinic/clinic-module.js';
import { createCore, type Core } from '../domain/core.js';
import { plantDefects } from '../defects/plant-defects.js';
import { moduleRegistry, type ModuleDefinition } from '../domain/module.js';
import type { Conflict, CoreConfig, RequestContext } from '../domain/types.js';
import type { Clock } from '../ports/clock.js';
import type { SyncStore } from '../ports/store.js';
import { createMemoryStore } from '../stores/memory/memory-store.js';

/** Options of {@link createInProcessCore}. */
export interface InProcessCoreOptions {
  /** Time source (the simulation's virtual clock). */
  readonly clock: Clock;
  /** Store; default a fresh memory store. */
  readonly store?: SyncStore;
  /** Module; default `clinic`. */
  readonly module?: ModuleDefinition;
  readonly config?: Partial<CoreConfig>;
  /** One planted defect (test-only) by catalogue name (src/defects/catalogue.ts), e.g. `dedup-ignores-tenant`. */
  readonly plantedBug?: string;
  /** Several planted defects (unknown names throw UnknownDefectError). */
  readonly defects?: readonly string[];
  /** Audit recorder; default the reference recorder (hash-chained AuditEvents in the store). `null` = none. */
  readonly audit?: AuditRecorder | null;
}

/** The in-process core handle. */
export interface InProcessCore {
  readonly moduleName: string;
  readonly store: SyncStore;
  readonly core: Core<'sync'>;
  /** Push a body (`{clientId, mutations}`; any value is validated). */
  push(ctx: RequestContext, body: unknown): Result<PushResponse>;
  /** Pull the tenant's changes. */
  pull(ctx: RequestContext, req?: { cursor?: string; limit?: number }): Result<PullPage>;
  /** List conflicts (optionally by status). */
  conflicts(ctx: RequestContext, status?: 'open' | 'resolved'): Result<{ conflicts: readonly Conflict[] }>;
  /** Resolve a conflict with `{resolution, state?}`. */
  resolve(ctx: RequestContext, conflictId: string, body: unknown): Result<ResolveConflictResponse>;
  /** REST write (module filled in). */
  restWrite(ctx: RequestContext, req: Omit<RestWriteRequest, 'module'>): RestResponse;
  /** REST read (module filled in). */
  getResource(ctx: RequestContext, req: Omit<GetResourceRequest, 'module'>): RestResponse;
}

/** Creates the in-process core. */
export function createInProcessCore(options: InProcessCoreOptions): InProcessCore {
  const mod = options.module ?? clinicModule;
  const planted = plantDefects([...(options.defects ?? []), ...(options.plantedBug ? [options.plantedBug] : [])]);
  // With planted defects the handle's store is the wrapped one, so the simulator's relay and
  // read-backs see what the defective server would show.
  const store = planted.store(options.store ?? createMemoryStore());
  const audit = options.audit === null ? undefined : planted.audit(options.audit ?? createAuditRecorder());
  const core = planted.core(
    createCore({
      store,
      clock: options.clock,
      modules: moduleRegistry(mod),
      ...(options.config ? { config: options.config } : {}),
      ...(planted.domain.size > 0 ? { defects: planted.domain } : {}),
      ...(audit ? { audit } : {}),
    }),
    store,
  );
  const m = mod.name;
  return {
    moduleName: m,
    store,
    core,
    push: (ctx, body) => core.push(ctx, m, body),
    // Spelled out rather than spread (the simulator pulls on every device poll); absent members
    // stay undefined, which pull reads as absent.
    pull: (ctx, req) => core.pull(ctx, { module: m, cursor: req?.cursor, limit: req?.limit }),
    conflicts: (ctx, status) => core.listConflicts(ctx, status === undefined ? { module: m } : { module: m, status }),
    resolve: (ctx, conflictId, body) => core.resolveConflict(ctx, { module: m, conflictId, body }),
    restWrite: (ctx, req) => core.restWrite(ctx, { ...req, module: m }),
    getResource: (ctx, req) => core.getResource(ctx, { ...req, module: m }),
  };
}
