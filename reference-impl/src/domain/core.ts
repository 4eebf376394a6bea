/**
 * The domain core's front door: `createCore(deps)` binds the entry points to a store, clock and
 * module registry. With a SyncStore (memory, SQLite) every call returns its result directly; with
 * an AsyncStore (PostgreSQL) it returns a promise. The HTTP layer `await`s either way.
 */
import type { AsyncStore, Ret, Store, SyncStore } from '../ports/store.js';
import type {
  CoreDeps,
  GetResourceRequest,
  ListConflictsRequest,
  PullPage,
  PullRequest,
  PushResponse,
  ResolveConflictRequest,
  ResolveConflictResponse,
  RestResponse,
  RestWriteRequest,
  Result,
} from './api.js';
import type { Conflict, RequestContext } from './types.js';
import { handlePush } from './push.js';
import { pull } from './pull.js';
import { listConflicts, resolveConflict } from './conflicts.js';
import { getResource, parseIdempotencyKey, restWrite } from './rest.js';
import { problem } from './problems.js';
import { canonicalJson } from './canonical-json.js';

/** The core bound to its dependencies. `P` says whether results are direct or promised. */
export interface Core<P extends 'sync' | 'async'> {
  readonly deps: CoreDeps;
  /** POST /v1/sync/{module}/push with the parsed JSON body (any JSON value; validated here). */
  push(ctx: RequestContext, module: string, body: unknown): Ret<P, Result<PushResponse>>;
  /** GET /v1/sync/{module}/pull. */
  pull(ctx: RequestContext, req: PullRequest): Ret<P, Result<PullPage>>;
  /** GET /v1/sync/{module}/conflicts. */
  listConflicts(ctx: RequestContext, req: ListConflictsRequest): Ret<P, Result<{ conflicts: readonly Conflict[] }>>;
  /** POST /v1/sync/{module}/conflicts/{id}/resolve. */
  resolveConflict(ctx: RequestContext, req: ResolveConflictRequest): Ret<P, Result<ResolveConflictResponse>>;
  /** POST/PATCH /v1/{module}/{collection}[/{id}[/entries]] — complete HTTP answer. */
  restWrite(ctx: RequestContext, req: RestWriteRequest): Ret<P, RestResponse>;
  /** GET /v1/{module}/{collection}/{id} — complete HTTP answer. */
  getResource(ctx: RequestContext, req: GetResourceRequest): Ret<P, RestResponse>;
  /**
   * Marks a REST Idempotency-Key of the tenant as in flight (TR §5.2) until the returned release
   * function is called; `undefined` when it already is. While held, `restWrite` with that key
   * answers 409 `idempotency-key-in-flight`. The HTTP layer uses it for a test hook that holds a
   * write open (a synchronous store otherwise never has a write in flight).
   */
  holdIdempotencyKey(ctx: RequestContext, idempotencyKey: string): (() => void) | undefined;
}

/** Binds the core to a synchronous store. */
export function createCore(deps: CoreDeps<SyncStore>): Core<'sync'>;
/** Binds the core to an asynchronous store. */
export function createCore(deps: CoreDeps<AsyncStore>): Core<'async'>;
/** Binds the core to any store (results may be promises). */
export function createCore(deps: CoreDeps<Store>): Core<'sync'> | Core<'async'>;
export function createCore(deps: CoreDeps<Store>): Core<'sync'> | Core<'async'> {
  // The free functions already return T or Promise<T> according to the store; the casts only
  // narrow the static type the caller sees.
  const inFlight = new Set<string>();
  const core = {
    deps,
    push: (ctx: RequestContext, module: string, body: unknown) => handlePush(ctx, module, body, deps),
    pull: (ctx: RequestContext, req: PullRequest) => pull(ctx, req, deps),
    listConflicts: (ctx: RequestContext, req: ListConflictsRequest) => listConflicts(ctx, req, deps),
    resolveConflict: (ctx: RequestContext, req: ResolveConflictRequest) => resolveConflict(ctx, req, deps),
    restWrite:
      deps.store.mode === 'async'
        ? (ctx: RequestContext, req: RestWriteRequest) => restWriteTracked(ctx, req, deps, inFlight)
        : (ctx: RequestContext, req: RestWriteRequest) => {
            const held = inFlightKey(ctx, req.idempotencyKey);
            return held !== undefined && inFlight.has(held) ? inFlightResponse() : restWrite(ctx, req, deps);
          },
    holdIdempotencyKey: (ctx: RequestContext, key: string) => {
      const k = inFlightKey(ctx, key);
      if (k === undefined || inFlight.has(k)) return undefined;
      inFlight.add(k);
      return () => {
        inFlight.delete(k);
      };
    },
    getResource: (ctx: RequestContext, req: GetResourceRequest) => getResource(ctx, req, deps),
  };
  return core as Core<'sync'> | Core<'async'>;
}

/**
 * REST write with in-flight detection for asynchronous stores (TR §5.2): while a write with a
 * given (tenant, Idempotency-Key) is being decided by this process, a second one gets 409
 * `idempotency-key-in-flight` instead of queueing behind it. (Synchronous stores decide a write
 * without yielding, so nothing can be in flight.) Across processes the PostgreSQL tenant lock
 * serialises the two and the second replays.
 */
function restWriteTracked(ctx: RequestContext, req: RestWriteRequest, deps: CoreDeps, inFlight: Set<string>): Promise<RestResponse> {
  const key = inFlightKey(ctx, req.idempotencyKey);
  if (key === undefined) return Promise.resolve(restWrite(ctx, req, deps));
  if (inFlight.has(key)) return Promise.resolve(inFlightResponse());
  inFlight.add(key);
  return Promise.resolve(restWrite(ctx, req, deps)).finally(() => inFlight.delete(key));
}

/** In-flight registry key of a (tenant, Idempotency-Key), the key normalised as restWrite does. */
function inFlightKey(ctx: RequestContext, raw: string | undefined): string | undefined {
  const key = parseIdempotencyKey(raw);
  return typeof key === 'string' ? ctx.tenantId + '\n' + key : undefined;
}

function inFlightResponse(): RestResponse {
  const p = problem('idempotency-key-in-flight', 'a request with this Idempotency-Key is still being processed');
  return { status: p.status, body: p, bodyJson: canonicalJson(p), headers: { 'content-type': 'application/problem+json' }, replayed: false, audits: [] };
}
