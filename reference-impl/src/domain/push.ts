/**
 * Sync push (TR §2–§4): one transaction per push decides every mutation in order.
 *
 * Per mutation, in this order:
 *  1. actor check — `actorId` ≠ token sub → rejected `actor-mismatch`: not recorded, sequence
 *     untouched (the mutation stays valid for its own actor), the rest `not-processed`;
 *  2. idempotency record (tenant, clientMutationId), if not past retention → same fingerprint:
 *     replay of the recorded bytes + `replayed: true`; other fingerprint: rejected
 *     `idempotency-key-reuse` (never the cached outcome, not recorded, the rest `not-processed`);
 *  3. seq ≤ last and not pending → `duplicate-expired`;
 *  4. seq > last+1 → rejected `out-of-order` (expectedSeq), not recorded, the rest `not-processed`;
 *  5. blocked — an open conflict of this client on this aggregate, or an earlier pending mutation
 *     of it on this aggregate → `blocked` (not recorded; the seq is taken into order but kept
 *     pending, so later mutations on other aggregates proceed and a resend after resolution is
 *     processed, never `duplicate-expired`); else authorize (permission-lost + audit), op and
 *     payload validation (validation-failed), then the aggregate's policy: apply/reject/conflict;
 *  6. record — aggregate + change row (applied), conflict row (conflict), the idempotency record
 *     with the canonical outcome bytes, the client sequence — all in the push's transaction.
 * (TR §4; one transaction per push: it is stricter than one per mutation — a failure part-way
 * undoes the whole push, whose retry is then processed anew.)
 */
import type { AggregateRef, AggregateRow, IdempotencyRecord, PendingSeq } from '../ports/records.js';
import { StoreError, type MaybePromise, type StoreTx, type TxScope } from '../ports/store.js';
import type { CoreDeps, PushResponse, Result } from './api.js';
import { canonicalJson, quoteJson } from './canonical-json.js';
import { commitState, type CommitInput } from './commit.js';
import { effectiveConfig } from './config.js';
import { NO_DEFECTS, type DefectSet } from './defects.js';
import { conflictIdFor, etagFor, sha256Hex, uuidV8FromText } from './ids.js';
import { andThen } from './maybe.js';
import type { AggregateDefinition, Decision, DecideInput, ModuleDefinition } from './module.js';
import { problem, validationFailed } from './problems.js';
import { validatePush } from './push-validation.js';
import type { AuditDue, CoreConfig, DecidedOutcome, Mutation, MutationOp, Outcome, PushRequest, RequestContext } from './types.js';

/** The JSON body of a push response: `{"outcomes":[…]}` from the recorded bytes. */
export function pushResponseBody(res: PushResponse): string {
  return '{"outcomes":[' + res.outcomeJson.join(',') + ']}';
}

/**
 * Fingerprint of TR §3.4: SHA-256 of canonical JSON of (actorId, aggregate, op, baseVersion,
 * payload).
 */
export function mutationFingerprint(m: Mutation): string {
  return sha256Hex(fingerprintInput(m, canonicalJson(m.payload)));
}

/**
 * The canonical JSON the fingerprint hashes, built by hand in canonical key order (actorId <
 * aggregate < baseVersion < op < payload; id < type) — equal to `canonicalJson({...})` but
 * without an intermediate object. The aggregate id is a validated UUID and op a known name, so
 * neither needs escaping. The constant stretches around the id, around the version and before
 * the payload are memoised per actor, type and op: a push repeats them for every mutation.
 */
export function fingerprintInput(m: FingerprintHead, payloadJson: string): string {
  return actorPrefix(m.actorId) + m.aggregate.id + typeInfix(m.aggregate.type) + m.baseVersion + opInfix(m.op) + payloadJson + '}';
}

/** What the fingerprint covers besides the payload (given as its canonical JSON). */
type FingerprintHead = Pick<Mutation, 'actorId' | 'aggregate' | 'op' | 'baseVersion'>;

let lastActor: string | undefined;
let lastActorPrefix = '';
function actorPrefix(actorId: string): string {
  if (actorId !== lastActor) {
    lastActor = actorId;
    lastActorPrefix = '{"actorId":' + quoteJson(actorId) + ',"aggregate":{"id":"';
  }
  return lastActorPrefix;
}

const typeInfixes = new Map<string, string>();
function typeInfix(type: string): string {
  let s = typeInfixes.get(type);
  if (s === undefined) {
    s = '","type":' + quoteJson(type) + '},"baseVersion":';
    // Types are validated names from a module's small set; the bound only guards against misuse.
    if (typeInfixes.size < 256) typeInfixes.set(type, s);
  }
  return s;
}

const OP_INFIX: Readonly<Record<string, string>> = {
  create: ',"op":"create","payload":',
  update: ',"op":"update","payload":',
  append: ',"op":"append","payload":',
  adjust: ',"op":"adjust","payload":',
};
function opInfix(op: string): string {
  return OP_INFIX[op] ?? ',"op":' + quoteJson(op) + ',"payload":';
}

/**
 * Whether a recorded decision was made for the same request. A record this core wrote keeps the
 * fingerprint's fields (the payload as canonical JSON); equal fields are an equal fingerprint, so
 * the comparison needs no hash. A record read back from a database (or written by a REST write)
 * has only the hex digest.
 */
function sameFingerprint(rec: IdempotencyRecord, m: Mutation, payloadJson: string): boolean {
  if (rec instanceof PushRecord) {
    return (
      rec.payloadJson === payloadJson &&
      rec.actorId === m.actorId &&
      rec.aggregate.id === m.aggregate.id &&
      rec.aggregate.type === m.aggregate.type &&
      rec.op === m.op &&
      rec.baseVersion === m.baseVersion
    );
  }
  return rec.fingerprint === sha256Hex(fingerprintInput(m, payloadJson));
}

/** Handles a push body (any JSON value) for `module` under `ctx`. */
export function handlePush(ctx: RequestContext, module: string, body: unknown, deps: CoreDeps): MaybePromise<Result<PushResponse>> {
  const mod = deps.modules.get(module);
  if (!mod) return { ok: false, problem: problem('not-found', `unknown module '${module}'`) };
  const cfg = effectiveConfig(deps.config);
  const valid = validatePush(ctx, mod, body, cfg);
  if (!valid.ok) return valid;
  const push = valid.value;
  const now = deps.clock.now();
  const defects = deps.defects ?? NO_DEFECTS;
  // A synchronous store reads on demand; it only gets the idempotency keys, which SQLite reads
  // with one query instead of one per mutation. The full scope is for prefetching stores.
  const scope = deps.store.mode === 'sync' ? syncScope(ctx, push, defects) : pushScope(ctx, mod, push, defects, deps.audit !== undefined);
  const run = (tx: StoreTx): PushResponse => decidePush(ctx, mod, push, tx, deps, cfg, defects, now);
  return andThen(deps.store.transaction(scope, run), (value): Result<PushResponse> => ({ ok: true, value }));
}

function syncScope(ctx: RequestContext, push: PushRequest, defects: DefectSet): TxScope {
  const keys = new Array<string>(push.mutations.length);
  for (let i = 0; i < keys.length; i++) keys[i] = (push.mutations[i] as Mutation).clientMutationId;
  return { tenantId: defects.size > 0 && defects.has('dedup-ignores-tenant') ? '*' : ctx.tenantId, idempotencyKeys: keys };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function fillDecideInput(input: Mutable<DecideInput>, m: Mutation, current: AggregateRow | undefined, nowIso: string): DecideInput {
  input.mutation = m;
  input.current = current;
  input.nowIso = nowIso;
  return input;
}

/** What an async store must prefetch for this push. */
function pushScope(ctx: RequestContext, mod: ModuleDefinition, push: PushRequest, defects: DefectSet, audit: boolean): TxScope {
  const aggregates: AggregateRef[] = [];
  const seen = new Set<string>();
  const indexLookups: { index: string; value: string }[] = [];
  for (const m of push.mutations) {
    const k = m.aggregate.type + '\n' + m.aggregate.id;
    if (!seen.has(k)) {
      seen.add(k);
      aggregates.push(m.aggregate);
    }
    const def = mod.aggregates.get(m.aggregate.type);
    if (def && def.ops.includes(m.op)) indexLookups.push(...def.lookups(m.op, m.payload));
  }
  return {
    tenantId: defects.has('dedup-ignores-tenant') ? '*' : ctx.tenantId,
    idempotencyKeys: push.mutations.map((m) => m.clientMutationId),
    clientIds: [push.clientId],
    aggregates,
    indexLookups,
    openConflictsOfClients: true,
    auditHead: audit,
  };
}

const EMPTY_PENDING: readonly PendingSeq[] = Object.freeze([]) as readonly PendingSeq[];

function decidePush(
  ctx: RequestContext,
  mod: ModuleDefinition,
  push: PushRequest,
  tx: StoreTx,
  deps: CoreDeps,
  cfg: CoreConfig,
  defects: DefectSet,
  now: number,
): PushResponse {
  const tenantId = ctx.tenantId;
  // Planted defect: the idempotency scope loses its tenant (OFS-IDEM-004).
  const keyTenant = defects.size > 0 && defects.has('dedup-ignores-tenant') ? '*' : tenantId;
  const reapply = defects.size > 0 && defects.has('reapply-duplicates');
  const skipFingerprint = defects.size > 0 && defects.has('skip-fingerprint-check');
  const { clientId, mutations } = push;
  const n = mutations.length;
  const outcomes = new Array<Outcome>(n);
  // Recorded bytes of replayed outcomes (by index), for the lazily built JSON.
  let replays: (IdempotencyRecord | undefined)[] | undefined;
  const audits: AuditDue[] = [];
  const seqRow = tx.getClientSeq(tenantId, clientId);
  let lastSeq = seqRow ? seqRow.lastSeq : 0;
  let pending = seqRow ? seqRow.pending : EMPTY_PENDING;
  let seqDirty = false;
  let nowIso: string | undefined;
  const retention = cfg.idempotencyRetentionMs;
  let stopped = false;
  // One input object per push for the rule and for the commit, refilled per mutation (neither
  // keeps it): two fewer allocations per mutation.
  const decideInput: Mutable<DecideInput> = { ctx, mutation: mutations[0] as Mutation, current: undefined, tx, defects, nowIso: '' };
  let commitInput: Mutable<CommitInput> | undefined;
  // Event ids hash tenantId + "\n" + clientMutationId (TR §8.3, see ids.eventIdFor).
  const eventIdPrefix = tenantId + '\n';

  for (let i = 0; i < n; i++) {
    const m = mutations[i] as Mutation;
    const cmid = m.clientMutationId;
    const seq = m.clientSeq;
    if (stopped) {
      outcomes[i] = { clientMutationId: cmid, clientSeq: seq, status: 'not-processed' };
      continue;
    }
    // 1. actor (unrecorded, stops the push)
    if (m.actorId !== ctx.actorId) {
      const p = problem('actor-mismatch', 'a queued mutation may only be uploaded by the actor who captured it');
      outcomes[i] = { clientMutationId: cmid, clientSeq: seq, status: 'rejected', problem: p };
      stopped = true;
      continue;
    }
    // 2. idempotency record: replay, or reuse (unrecorded, stops the push)
    const payloadJson = canonicalJson(m.payload);
    const rec = tx.getIdempotency(keyTenant, cmid);
    const live = rec !== undefined && now - rec.recordedAt < retention;
    if (live && !reapply) {
      if (!skipFingerprint && !sameFingerprint(rec, m, payloadJson)) {
        const p = problem('idempotency-key-reuse', 'this clientMutationId was used for a different mutation');
        outcomes[i] = { clientMutationId: cmid, clientSeq: seq, status: 'rejected', problem: p };
        stopped = true;
      } else {
        outcomes[i] = replayOutcome(rec);
        (replays ??= new Array<IdempotencyRecord | undefined>(n))[i] = rec;
      }
      continue;
    }
    // 3./4. sequence
    const pendingIndex = seq <= lastSeq && pending.length > 0 ? pending.findIndex((p) => p.seq === seq) : -1;
    if (seq <= lastSeq && pendingIndex < 0 && !reapply) {
      outcomes[i] = { clientMutationId: cmid, clientSeq: seq, status: 'duplicate-expired', replayed: true };
      continue;
    }
    if (seq > lastSeq + 1) {
      const p = problem('out-of-order', `clientSeq ${seq} leaves a gap; expected ${lastSeq + 1}`, { expectedSeq: lastSeq + 1 });
      outcomes[i] = { clientMutationId: cmid, clientSeq: seq, status: 'rejected', problem: p };
      stopped = true;
      continue;
    }
    const advances = seq === lastSeq + 1;
    // 5a. blocked: an open conflict of this client on this aggregate, or an earlier pending mutation on it
    let blocker = tx.openConflictFor(tenantId, clientId, m.aggregate);
    if (blocker === undefined && pending.length > 0) {
      for (const p of pending) {
        if (p.seq < seq && p.type === m.aggregate.type && p.id === m.aggregate.id) {
          blocker = p.blockedBy;
          break;
        }
      }
    }
    if (blocker !== undefined) {
      outcomes[i] = { clientMutationId: cmid, clientSeq: seq, status: 'blocked', blockedBy: blocker };
      if (advances) {
        lastSeq = seq;
        pending = [...pending, { seq, type: m.aggregate.type, id: m.aggregate.id, blockedBy: blocker }];
        seqDirty = true;
      }
      continue;
    }
    // 5b. authorize, validate, decide
    nowIso ??= new Date(now).toISOString();
    const def = mod.aggregates.get(m.aggregate.type) as AggregateDefinition; // validated by validatePush
    const current = tx.getAggregate(tenantId, m.aggregate.type, m.aggregate.id);
    let decision: Decision;
    let auditDue: AuditDue | undefined;
    const denied = def.authorize(ctx, m.op, m.payload, current);
    if (denied) {
      decision = { kind: 'reject', problem: denied };
      auditDue = {
        kind: 'permission-lost',
        tenantId,
        module: mod.name,
        actorId: ctx.actorId,
        roles: ctx.roles,
        aggregate: m.aggregate,
        patientRef: def.patientRef(m.aggregate.id, current?.state, m.payload),
        versions: current ? [current.version] : [],
        versionDetail: { base: m.baseVersion, server: current ? current.version : 0 },
        policy: def.policy,
        op: m.op,
        recorded: nowIso,
        sourceId: `permission-lost:${cmid}`,
        clientMutationId: cmid,
        outcome: '4',
      };
    } else if (!def.ops.includes(m.op)) {
      decision = {
        kind: 'reject',
        problem: validationFailed([{ pointer: `/mutations/${i}/op`, detail: `${def.type} accepts ${def.ops.join(', ')}` }]),
      };
    } else {
      const errors = def.validate(m.op, m.payload);
      decision =
        errors.length > 0
          ? { kind: 'reject', problem: validationFailed(errors.map((e) => ({ pointer: '/payload' + e.pointer, detail: e.detail }))) }
          : def.decide(fillDecideInput(decideInput, m, current, nowIso));
    }
    // 6. record
    let outcome: DecidedOutcome;
    let record: PushRecord;
    if (decision.kind === 'apply') {
      const eventId = uuidV8FromText(eventIdPrefix + cmid);
      commitInput ??= { tenantId, module: mod.name, aggregate: m.aggregate, current, state: decision.state, index: undefined, op: m.op, eventType: '', eventId, clientMutationId: cmid, actorId: m.actorId, nowIso };
      commitInput.aggregate = m.aggregate;
      commitInput.current = current;
      commitInput.state = decision.state;
      commitInput.index = decision.index;
      commitInput.op = m.op;
      commitInput.eventType = def.eventType(m.op);
      commitInput.eventId = eventId;
      commitInput.clientMutationId = cmid;
      commitInput.actorId = m.actorId;
      commitInput.nowIso = nowIso;
      const version = commitState(tx, commitInput);
      outcome = { clientMutationId: cmid, clientSeq: seq, status: 'applied', newVersion: version, etag: etagFor(version), eventId };
      record = new PushRecord(keyTenant, m, payloadJson, now, clientId, undefined, version, eventId);
    } else if (decision.kind === 'reject') {
      outcome = { clientMutationId: cmid, clientSeq: seq, status: 'rejected', problem: decision.problem };
      record = new PushRecord(keyTenant, m, payloadJson, now, clientId, outcome, 0, '');
    } else {
      const conflictId = conflictIdFor(tenantId, cmid);
      tx.putConflict({
        tenantId,
        module: mod.name,
        conflictId,
        aggregate: m.aggregate,
        policy: def.policy,
        status: 'open',
        clientId,
        clientMutationId: cmid,
        actorId: m.actorId,
        op: m.op,
        baseVersion: m.baseVersion,
        serverVersion: decision.serverVersion,
        serverState: decision.serverState,
        proposed: structuredClone(m.payload),
        phi: def.phi,
        createdAt: nowIso,
        ...(decision.matched ? { matched: decision.matched } : {}),
      });
      outcome = {
        clientMutationId: cmid,
        clientSeq: seq,
        status: 'conflict',
        conflictId,
        serverVersion: decision.serverVersion,
        serverState: decision.serverState,
        policy: def.policy,
      };
      record = new PushRecord(keyTenant, m, payloadJson, now, clientId, outcome, 0, '');
    }
    if (!tx.putIdempotency(record, rec !== undefined) && !reapply) {
      // Another writer recorded this key inside our transaction window: abort so the store retries.
      throw new StoreError('integrity', `idempotency record for ${cmid} appeared concurrently`);
    }
    if (auditDue) {
      deps.audit?.record(tx, auditDue);
      audits.push(auditDue);
    }
    outcomes[i] = outcome;
    if (advances) lastSeq = seq;
    else if (pendingIndex >= 0) pending = pending.filter((_, k) => k !== pendingIndex);
    seqDirty = true;
  }
  if (seqDirty) tx.putClientSeq({ tenantId, clientId, lastSeq, pending });
  return new LazyPushResponse(outcomes, replays, audits);
}

/**
 * The idempotency record of a decided push outcome, kept compact because the memory store holds
 * one per mutation for the whole retention period:
 *  - an applied outcome is held as its version and event id; the outcome object and its bytes
 *    are rebuilt on demand (a replay, a database write), identically each time;
 *  - the fingerprint is held as its fields, the payload as canonical JSON: `fingerprint` builds
 *    the input and hashes it when read (a database store persisting the record), while this core
 *    compares fields directly ({@link sameFingerprint}), so the memory store never pays for the
 *    hash nor for the whole input string.
 */
class PushRecord implements IdempotencyRecord {
  readonly key: string;
  readonly clientSeq: number;
  readonly actorId: string;
  readonly aggregate: AggregateRef;
  readonly op: MutationOp;
  readonly baseVersion: number;
  constructor(
    readonly tenantId: string,
    m: Mutation,
    readonly payloadJson: string,
    readonly recordedAt: number,
    readonly clientId: string,
    /** The outcome when it is not `applied`. */
    private readonly decided: DecidedOutcome | undefined,
    private readonly version: number,
    private readonly eventId: string,
  ) {
    this.key = m.clientMutationId;
    this.clientSeq = m.clientSeq;
    this.actorId = m.actorId;
    this.aggregate = m.aggregate;
    this.op = m.op;
    this.baseVersion = m.baseVersion;
    // The JSON was built by concatenation (a tree of string pieces); reading a character makes V8
    // flatten it in place, so the record keeps one flat string, not the tree.
    payloadJson.charCodeAt(0);
  }
  get status(): number {
    return 200;
  }
  get fingerprint(): string {
    // Not cached: a database store reads it once, and the memory store never.
    return sha256Hex(fingerprintInput(this, this.payloadJson));
  }
  get value(): DecidedOutcome {
    return (
      this.decided ?? {
        clientMutationId: this.key,
        clientSeq: this.clientSeq,
        status: 'applied',
        newVersion: this.version,
        etag: etagFor(this.version),
        eventId: this.eventId,
      }
    );
  }
  get body(): string {
    return this.decided ? canonicalJson(this.decided) : appliedJson(this.key, this.clientSeq, this.version, this.eventId);
  }
  /** The recorded outcome with the replay marker (same members and order as `{...value, replayed: true}`). */
  replayed(): Outcome {
    if (this.decided) return { ...this.decided, replayed: true };
    return {
      clientMutationId: this.key,
      clientSeq: this.clientSeq,
      status: 'applied',
      newVersion: this.version,
      etag: etagFor(this.version),
      eventId: this.eventId,
      replayed: true,
    };
  }
}

/**
 * Canonical JSON of an outcome. Applied outcomes (the hot path) are written out in canonical key
 * order (clientMutationId, clientSeq, etag, eventId, newVersion, status); their ids are
 * validated UUIDs and need no escaping. Equal to `canonicalJson(o)` for every outcome.
 */
export function outcomeJson(o: Outcome): string {
  if (o.status === 'applied' && o.replayed === undefined) return appliedJson(o.clientMutationId, o.clientSeq, o.newVersion, o.eventId);
  return canonicalJson(o);
}

/**
 * Canonical JSON of an applied outcome, written out (ids are validated UUIDs: nothing to escape).
 * Stores that keep applied records compact rebuild the recorded bytes with it.
 */
export function appliedJson(cmid: string, seq: number, version: number, eventId: string): string {
  return `{"clientMutationId":"${cmid}","clientSeq":${seq},"etag":"\\"${version}\\"","eventId":"${eventId}","newVersion":${version},"status":"applied"}`;
}

/** Push response whose serialised outcomes are built only when asked for (HTTP), never in simulation. */
class LazyPushResponse implements PushResponse {
  private json: string[] | undefined;
  constructor(
    readonly outcomes: readonly Outcome[],
    private readonly replays: readonly (IdempotencyRecord | undefined)[] | undefined,
    readonly audits: readonly AuditDue[],
  ) {}
  get outcomeJson(): readonly string[] {
    if (!this.json) {
      const replays = this.replays;
      this.json = this.outcomes.map((o, i) => {
        const rec = replays?.[i];
        return rec ? replayJson(rec.body) : outcomeJson(o);
      });
    }
    return this.json;
  }
}

/** The recorded outcome with the replay marker. */
function replayOutcome(rec: IdempotencyRecord): Outcome {
  if (rec instanceof PushRecord) return rec.replayed();
  const value = (rec.value ?? JSON.parse(rec.body)) as DecidedOutcome;
  return { ...value, replayed: true };
}

/** The recorded bytes with `"replayed":true` inserted before the closing brace. */
export function replayJson(body: string): string {
  return body.slice(0, -1) + ',"replayed":true}';
}
