/**
 * Steps shared by the check families: create an aggregate and insist it applied, read a resource
 * back, provoke a conflict, compare a replay with the original. Steps that the target gets wrong
 * fail with the requirement the step itself relies on.
 */
import { randomUUID } from 'node:crypto';
import { InconclusiveError, NotApplicableError, type FailureCode } from '../failures.js';
import type { AggregateSpec } from '../profile/target-profile.js';
import type { Actor, AggregateRef, Mutation, Outcome, SyncClient } from '../harness/actor.js';
import { canonical, expectStatus, fail, problemName } from '../harness/assertions.js';
import type { CheckHarness } from '../harness/check-harness.js';
import type { JsonObject } from '../harness/payloads.js';
import type { TargetResponse } from '../target/target.js';

/** A created aggregate. */
export interface Created {
  readonly ref: AggregateRef;
  readonly version: number;
  readonly outcome: Outcome;
  readonly mutation: Mutation;
  readonly payload: JsonObject;
}

/** The outcome has `status`; otherwise fails naming `requirement`. */
export function expectOutcomeStatus(o: Outcome, status: string | readonly string[], requirement: string, what: string): void {
  const list = typeof status === 'string' ? [status] : status;
  if (!list.includes(o.status)) {
    fail('CONF_E_STATUS', requirement, `${what}: outcome status`, list.join(' or '), o.problem ? `${o.status} (${String(o.problem.type)})` : o.status);
  }
}

/** Pushes a create of `agg` with a fresh id and insists it is applied (OFS-SYNC-004). */
export async function createAggregate(h: CheckHarness, client: SyncClient, agg: AggregateSpec, overrides: JsonObject = {}, op: 'create' | 'createControlled' = 'create'): Promise<Created> {
  const ref = { type: agg.type, id: randomUUID() };
  const payload = h.payload(agg, op, overrides);
  const mutation = client.mutation({ aggregate: ref, op: 'create', baseVersion: 0, payload });
  const outcome = await client.pushOne(mutation);
  expectOutcomeStatus(outcome, 'applied', 'OFS-SYNC-004', `create of ${agg.type} with the profile's example payload`);
  if (typeof outcome.newVersion !== 'number') fail('CONF_E_SHAPE', 'OFS-SYNC-006', 'applied outcome newVersion', 'an integer', outcome.newVersion);
  return { ref, version: outcome.newVersion, outcome, mutation, payload };
}

/** The aggregate's REST collection, or not applicable. */
export function collectionOf(agg: AggregateSpec): string {
  if (!agg.collection) throw new NotApplicableError(`aggregate ${agg.type} has no REST collection in the profile`);
  return agg.collection;
}

/** Resource representation (TR §5). */
export interface Resource {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly state: JsonObject;
}

/** GETs a resource; returns the response and, on 200, the resource. */
export async function readResource(actor: Actor, agg: AggregateSpec, id: string): Promise<{ res: TargetResponse; resource?: Resource }> {
  const res = await actor.get(actor.restPath(collectionOf(agg), id));
  return res.status === 200 ? { res, resource: res.body as Resource } : { res };
}

/** One change of a pull page (TR §7). */
export interface PulledChange {
  readonly aggregate?: { readonly type?: string; readonly id?: string };
  readonly version?: number;
  readonly state?: JsonObject;
}

/** Pages of 500 a full pull may take before the check gives up as unknown. */
const MAX_PULL_PAGES = 200;

/**
 * Every change of the actor's tenant the target's pull returns, page by page. A tenant with more
 * than {@link MAX_PULL_PAGES} pages is not read to its end — and pull runs oldest first, so the
 * missing part would be the newest — which makes the check unknown rather than decided on a part.
 */
export async function pullAll(actor: Actor, requirement: string): Promise<PulledChange[]> {
  const out: PulledChange[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PULL_PAGES; page += 1) {
    const res = await actor.get(actor.syncPath(`pull?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
    expectStatus(res, 200, requirement, 'pull');
    const body = res.body as { changes?: PulledChange[]; nextCursor?: string; hasMore?: boolean };
    out.push(...(body.changes ?? []));
    cursor = body.nextCursor;
    if (!body.hasMore || !cursor) return out;
  }
  throw new InconclusiveError(`the pull of tenant ${actor.tenantId} did not end within ${MAX_PULL_PAGES} pages of 500 changes`);
}

/** The latest change of aggregate `type`/`id` among `changes`, if any. */
function latestChangeOf(changes: readonly PulledChange[], type: string, id: string): PulledChange | undefined {
  let latest: PulledChange | undefined;
  for (const c of changes) {
    if (c.aggregate?.type !== type || c.aggregate.id !== id) continue;
    if (latest === undefined || (c.version ?? 0) >= (latest.version ?? 0)) latest = c;
  }
  return latest;
}

/**
 * The aggregate as the target gives it back: its REST resource when the profile names a
 * collection, otherwise its latest change in the tenant's pull. A target without REST collections
 * is then still read back — a check never passes a "nothing changed" or "stored once" half it did
 * not look at. `undefined` when the target has no such aggregate (404, or no change of it).
 */
export async function readBack(actor: Actor, agg: AggregateSpec, id: string, requirement = 'OFS-SYNC-014'): Promise<Resource | undefined> {
  if (agg.collection) {
    const { res, resource } = await readResource(actor, agg, id);
    expectStatus(res, [200, 404], requirement, `GET ${agg.type} ${id}`);
    if (res.status === 404) return undefined;
    if (resource?.id !== id) fail('CONF_E_SHAPE', requirement, `id of GET ${agg.type} ${id}`, id, resource?.id);
    return resource;
  }
  const change = latestChangeOf(await pullAll(actor, requirement), agg.type, id);
  if (change === undefined) return undefined;
  if (typeof change.version !== 'number' || typeof change.state !== 'object' || change.state === null) {
    fail('CONF_E_SHAPE', 'OFS-SYNC-012', `pulled change of ${agg.type} ${id}`, 'a version and a state object', change);
  }
  return { id, type: agg.type, version: change.version, state: change.state };
}

/** {@link readBack} of an aggregate that must exist (OFS-SYNC-014: applied writes are durable and readable). */
export async function mustReadBack(actor: Actor, agg: AggregateSpec, id: string, requirement = 'OFS-SYNC-014'): Promise<Resource> {
  const r = await readBack(actor, agg, id, requirement);
  if (r === undefined) fail('CONF_E_STATUS', requirement, `${agg.type} ${id} read back (${agg.collection ? 'GET' : 'pull'})`, 'present', 'absent');
  return r;
}

/**
 * The target shows `actor` no aggregate `id`: a GET answers one of `statuses` (404 by default;
 * a foreign tenant's object may also be 403), or — without a REST collection — the actor's pull has
 * no change of it. A refused write that shows up anyway fails with `code`.
 */
export async function expectAbsent(
  actor: Actor,
  agg: AggregateSpec,
  id: string,
  requirement: string,
  what: string,
  options: { readonly statuses?: readonly number[]; readonly code?: FailureCode } = {},
): Promise<void> {
  if (agg.collection) {
    expectStatus((await readResource(actor, agg, id)).res, options.statuses ?? [404], requirement, what);
    return;
  }
  const change = latestChangeOf(await pullAll(actor, requirement), agg.type, id);
  if (change !== undefined) fail(options.code ?? 'CONF_E_STORED_REJECTED', requirement, `${what} (pull)`, 'no change of it', change);
}

/** The outcome without the replay marker. */
export function withoutMarker(o: Outcome): JsonObject {
  const { replayed: _replayed, ...rest } = o as Outcome & JsonObject;
  return rest;
}

/** A replayed outcome equals the first one apart from `replayed: true` (OFS-IDEM-005). */
export function expectReplayOf(first: Outcome, replay: Outcome, requirement = 'OFS-IDEM-005'): void {
  if (replay.replayed !== true) {
    fail('CONF_E_REPLAY_MARKER_MISSING', requirement, 'duplicate push outcome replayed marker', true, replay.replayed ?? '(absent)');
  }
  if (canonical(withoutMarker(first)) !== canonical(withoutMarker(replay))) {
    fail('CONF_E_REPLAY_NOT_IDENTICAL', requirement, 'duplicate push outcome (apart from replayed)', withoutMarker(first), withoutMarker(replay));
  }
}

/**
 * A reused clientMutationId was refused as idempotency-key-reuse and the answer carries no part of
 * the cached outcome (OFS-IDEM-007). `what` names the reuse in the failure.
 */
export function expectKeyReuseRejected(o: Outcome, what: string): void {
  if (o.status !== 'rejected' || problemName(o.problem) !== 'idempotency-key-reuse') {
    fail('CONF_E_KEY_REUSE_ACCEPTED', 'OFS-IDEM-007', `outcome of ${what}`, 'rejected idempotency-key-reuse', o.problem ? `${o.status} ${String(o.problem.type)}` : o.status);
  }
  if (o.replayed === true || o.newVersion !== undefined || o.eventId !== undefined || o.etag !== undefined) {
    fail('CONF_E_CACHED_BODY_LEAKED', 'OFS-IDEM-007', `answer to ${what}`, 'no part of the cached outcome', o);
  }
}

/**
 * Provokes a conflict on a reject-stale (or manual) aggregate: `owner` creates it, `other`
 * updates it to version 2, then `stale` updates it from version 1. Returns the conflict outcome.
 */
export async function provokeConflict(
  h: CheckHarness,
  agg: AggregateSpec,
  owner: SyncClient,
  stale: SyncClient,
  requirement: string,
): Promise<{ created: Created; conflict: Outcome; staleMutation: Mutation; winnerPayload: JsonObject; stalePayload: JsonObject }> {
  const created = await createAggregate(h, owner, agg);
  const winnerPayload = h.payload(agg, 'update');
  const win = await owner.pushOne(owner.mutation({ aggregate: created.ref, op: 'update', baseVersion: created.version, payload: winnerPayload }));
  expectOutcomeStatus(win, 'applied', 'OFS-SYNC-004', `update of ${agg.type} from its current version`);
  const stalePayload = h.payload(agg, 'update');
  const staleMutation = stale.mutation({ aggregate: created.ref, op: 'update', baseVersion: created.version, payload: stalePayload });
  const conflict = await stale.pushOne(staleMutation);
  expectOutcomeStatus(conflict, 'conflict', requirement, `update of ${agg.type} from stale baseVersion ${created.version} (current ${win.newVersion})`);
  return { created, conflict, staleMutation, winnerPayload, stalePayload };
}

/** Fields of `expected` that `state` does not carry with the same value. */
export function differingFields(state: JsonObject | undefined, expected: JsonObject): string[] {
  return Object.keys(expected).filter((k) => canonical(state?.[k]) !== canonical(expected[k]));
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
