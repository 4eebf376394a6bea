/**
 * Robustness family (TR §2.4, §11, §12): fast-check drives malformed and boundary inputs at every
 * operation — no 5xx, every error a problem+json with a type from the contract's closed list and a
 * status that type allows; invalid writes change nothing; oversized bodies and batches are 413.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { problemTypeByUri } from '../../../contracts/src/problem-types.js';
import { PUSH_BATCH_LIMIT } from '../../../contracts/src/push-batch-limit.js';
import type { CheckDefinitions } from '../harness/run-check-body.js';
import type { Actor } from '../harness/actor.js';
import { expectProblem, fail, summary } from '../harness/assertions.js';
import type { CheckHarness } from '../harness/check-harness.js';
import type { TargetRequest, TargetResponse } from '../target/target.js';
import { expectAbsent, expectOutcomeStatus } from './support.js';

/**
 * An error answer is a contract problem: problem+json, closed-list type, allowed status. With
 * `mustRefuse`, the input is one the contract never accepts, so anything but a 4xx problem fails;
 * without it a 2xx/3xx passes (the input may legitimately be accepted).
 */
export function expectContractError(res: TargetResponse, requirement: string, what: string, options: { mustRefuse?: boolean } = {}): void {
  if (res.status >= 500) fail('CONF_E_SERVER_ERROR', 'OFS-SEC-006', `${what}: status`, '< 500', `${res.status} ${summary(res)}`);
  if (res.status < 400) {
    if (!options.mustRefuse) return;
    fail('CONF_E_STATUS', 'OFS-SEC-006', `${what} (input the contract never accepts): status`, 'a 4xx problem+json', `${res.status} ${summary(res)}`);
  }
  const ct = (res.headers['content-type'] ?? '').toLowerCase();
  if (!ct.startsWith('application/problem+json')) fail('CONF_E_NOT_PROBLEM_JSON', requirement, `${what}: content-type of ${res.status}`, 'application/problem+json', ct || '(none)');
  const type = (res.body as { type?: unknown } | undefined)?.type;
  const known = typeof type === 'string' ? problemTypeByUri(type) : undefined;
  if (!known) fail('CONF_E_PROBLEM_TYPE', requirement, `${what}: problem type`, 'a type from the closed list', type);
  if (!known.statuses.includes(res.status)) fail('CONF_E_PROBLEM_TYPE', requirement, `${what}: status of ${known.name}`, known.statuses.join(' or '), res.status);
}

/**
 * True when `body` could be a push at all: an object with a string `clientId` and an array
 * `mutations` (PushRequest's required members). Anything else is refused by the contract.
 */
function pushShaped(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as { clientId?: unknown; mutations?: unknown };
  return typeof b.clientId === 'string' && Array.isArray(b.mutations);
}

/** A valid push body for `actor`, the base of the mutated ones. */
function validPush(h: CheckHarness, actor: Actor): Record<string, unknown> {
  const agg = h.aggregate('reject-stale');
  return {
    clientId: randomUUID(),
    mutations: [
      {
        clientMutationId: randomUUID(),
        clientSeq: 1,
        aggregate: { type: agg.type, id: randomUUID() },
        op: 'create',
        baseVersion: 0,
        payload: h.payload(agg, 'create'),
        capturedAt: new Date().toISOString(),
        actorId: actor.sub,
      },
    ],
  };
}

const weird = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant(-1),
  fc.constant(2 ** 53),
  fc.constant(1e308),
  fc.constant('../../etc/passwd'),
  fc.constant('sync.>.*'),
  fc.constant('\u0000\ud800'),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

/** Sets `value` at a random path of a JSON object (a field of the body, a mutation or its payload). */
function mutate(body: Record<string, unknown>, where: number, key: string, value: unknown, drop: boolean): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  const m = (copy.mutations as Record<string, unknown>[])[0]!;
  const targets: Record<string, unknown>[] = [copy, m, m.payload as Record<string, unknown>, m.aggregate as Record<string, unknown>];
  const t = targets[where % targets.length]!;
  const keys = Object.keys(t);
  const k = keys.length > 0 && key.length % 2 === 0 ? keys[key.length % keys.length]! : key || 'x';
  if (drop) delete t[k];
  else t[k] = value;
  return copy;
}

function deep(n: number): unknown {
  let v: unknown = { leaf: true };
  for (let i = 0; i < n; i += 1) v = { n: v };
  return v;
}

/** The robustness checks. */
export const robustnessChecks: CheckDefinitions = {
  'rob.malformed-inputs-no-5xx': {
    title: 'malformed and boundary inputs at every operation get a 4xx problem+json from the closed list, never a 5xx',
    timeoutMs: 60_000,
    bypassContractProxy: true,
    async run(h) {
      const a = h.actor('tenantA');
      const token = await a.token();
      const id = randomUUID();
      const withCollection = h.profile.aggregates.filter((g) => g.collection);
      const col = withCollection[0]?.collection ?? 'items';
      const appendCol = h.profile.aggregates.find((g) => g.policy === 'merge-append' && g.collection)?.collection ?? col;
      // Each operation with whether its input is one the contract never accepts (`mustRefuse`: the
      // answer must be a 4xx problem). `false` only where the generated input may be valid.
      const ops: { build: (v: unknown, raw: string, k: string) => TargetRequest; mustRefuse: (v: unknown) => boolean }[] = [
        // A mutated valid push may still be a valid push (a dropped optional member, a payload value
        // the module accepts), answered 200 with outcomes; a body that is not even push-shaped (every
        // scalar, array or dictionary of `weird`, the deep object) never is.
        { build: (v) => ({ method: 'POST', path: a.syncPath('push'), body: v }), mustRefuse: (v) => !pushShaped(v) },
        // Raw JSON bodies: malformed ('{"clientId":', '[1,2'), schema-invalid ('{"mutations":[{}]}') or a
        // string of at most 30 characters — shorter than any valid push (its clientId alone is a 36-character UUID).
        { build: (_v, raw) => ({ method: 'POST', path: a.syncPath('push'), rawBody: raw, headers: { 'content-type': 'application/json' } }), mustRefuse: () => true },
        // A push is application/json only: text/plain is 415 whatever it holds.
        { build: (_v, raw) => ({ method: 'POST', path: a.syncPath('push'), rawBody: raw, headers: { 'content-type': 'text/plain' } }), mustRefuse: () => true },
        // Query values may be valid: an empty value read as absent, a number as a limit, an opaque cursor.
        { build: (_v, _r, k) => ({ method: 'GET', path: a.syncPath(`pull?cursor=${encodeURIComponent(k)}&limit=${encodeURIComponent(k)}`) }), mustRefuse: () => false },
        // An empty status may be read as absent, and a generated string may name a real status.
        { build: (_v, _r, k) => ({ method: 'GET', path: a.syncPath(`conflicts?status=${encodeURIComponent(k)}`) }), mustRefuse: () => false },
        // No conflict with this id exists (random ids, never created): 404 or 400, never a resolution.
        { build: (v, _r, k) => ({ method: 'POST', path: a.syncPath(`conflicts/${encodeURIComponent(k || id)}/resolve`), body: v }), mustRefuse: () => true },
        // What a create body must hold is the module's resource schema, which the suite does not know
        // in general: a generated body may satisfy a permissive one.
        { build: (v, _r, k) => ({ method: 'POST', path: a.restPath(col), body: v, headers: { 'idempotency-key': k || randomUUID() } }), mustRefuse: () => false },
        // The resource `id` was never created: 404 (or a 4xx for the precondition or body), never a write.
        { build: (v, _r, k) => ({ method: 'PATCH', path: a.restPath(col, id), body: v, headers: { 'idempotency-key': randomUUID(), 'if-match': k, 'content-type': 'application/merge-patch+json' } }), mustRefuse: () => true },
        // No resource with this id exists (random strings, or the never-created `id`): 404.
        { build: (_v, _r, k) => ({ method: 'GET', path: a.restPath(withCollection[withCollection.length - 1]?.collection ?? col, encodeURIComponent(k || id)) }), mustRefuse: () => true },
        // The parent `id` was never created: 404 (or 400 for the body), never an append.
        { build: (v, _r, k) => ({ method: 'POST', path: a.restPath(appendCol, `${id}/entries`), body: v, headers: { 'idempotency-key': k || randomUUID() } }), mustRefuse: () => true },
        // afterSeq may be valid (empty, or a number); whether this principal may read the log is
        // auth.rbac-roles' question, not this check's.
        { build: (_v, _r, k) => ({ method: 'GET', path: `${h.profile.audit.eventsPath ?? '/v1/audit/events'}?afterSeq=${encodeURIComponent(k)}` }), mustRefuse: () => false },
        // Never an EnvelopeUploadRequest: `envelopes` is required, a push body has none, and no
        // generated dictionary has a key that long (keys have at most 8 characters).
        { build: (v) => ({ method: 'POST', path: '/v1/audit/envelopes', body: v }), mustRefuse: () => true },
        // Never a DeviceKeyRegistration: `publicKeyJwk` is required (longer than any generated key).
        { build: (v, _r, k) => ({ method: 'PUT', path: `/v1/audit/devices/${encodeURIComponent(k || 'd')}`, body: v }), mustRefuse: () => true },
      ];
      const base = validPush(h, a);
      const input = fc.record({
        op: fc.nat(ops.length - 1),
        value: fc.oneof(weird, fc.tuple(fc.nat(3), fc.string({ maxLength: 6 }), weird, fc.boolean()).map(([w, k, v, d]) => mutate(base, w, k, v, d)), fc.constant(deep(40))),
        raw: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('{"clientId":'), fc.constant('[1,2'), fc.constant('{"mutations":[{}]}')),
        key: fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), fc.constant('"1"'), fc.constant('-1'), fc.constant('99999999999999999999')),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ op, value, raw, key }) => {
          const { build, mustRefuse } = ops[op]!;
          const req = build(value, raw, key);
          const res = await a.request({ ...req, headers: { ...(req.headers ?? {}), authorization: `Bearer ${token}` } });
          expectContractError(res, 'OFS-SEC-005', `${req.method} ${req.path.split('?')[0]}`, { mustRefuse: mustRefuse(value) });
        }),
        { numRuns: 120, seed: h.seed, endOnFailure: true },
      ).catch((err: unknown) => {
        const cause = (err as { cause?: unknown }).cause;
        throw cause instanceof Error && cause.name === 'ConformanceFailure' ? cause : err;
      });
      // No token at all: 401 problem, never 5xx.
      const anon = await h.target.request({ method: 'POST', path: a.syncPath('push'), body: base });
      expectProblem(anon, 'unauthorized', 'OFS-SEC-005', 'push without a token', 401);
    },
  },

  'rob.invalid-mutation-changes-nothing': {
    title: 'a push failing validation stores nothing; a payload breaking a business rule is a rejected outcome',
    bypassContractProxy: true,
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const client = a.client();
      const good = client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create') });
      const broken = { ...client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create') }), op: undefined };
      const whole = await a.post(a.syncPath('push'), { clientId: client.clientId, mutations: [good, broken] });
      expectProblem(whole, 'validation-failed', 'OFS-SEC-007', 'push with a mutation lacking op', 400);
      await expectAbsent(a, agg, good.aggregate.id, 'OFS-SEC-007', 'the valid mutation of the refused push');
      // A payload that breaks the aggregate's rules: every field replaced by a value of the wrong type.
      const bad = Object.fromEntries(Object.keys(h.payload(agg, 'create')).map((k) => [k, { unexpected: [k] }]));
      const fresh = a.client();
      const m = fresh.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: bad });
      const r = await fresh.push([m]);
      if (r.res.status === 200) expectOutcomeStatus(r.outcomes[0]!, 'rejected', 'OFS-SYNC-016', 'mutation with an invalid payload');
      else expectContractError(r.res, 'OFS-SYNC-016', 'push with an invalid payload');
      await expectAbsent(a, agg, m.aggregate.id, 'OFS-SYNC-016', 'the invalid mutation');
    },
  },

  'rob.oversized-413': {
    title: 'a body over 1 MiB and a batch over 500 mutations are refused with 413',
    bypassContractProxy: true,
    async run(h) {
      const agg = h.aggregate('reject-stale');
      const a = h.actor('tenantA');
      const client = a.client();
      const big = JSON.stringify({ clientId: client.clientId, mutations: [], pad: 'x'.repeat(1_100_000) });
      const r1 = await a.request({ method: 'POST', path: a.syncPath('push'), rawBody: big, headers: { 'content-type': 'application/json' } });
      expectProblem(r1, 'payload-too-large', 'OFS-SEC-008', 'push body of 1.1 MB', 413);
      const mutations = Array.from({ length: PUSH_BATCH_LIMIT + 1 }, () => client.mutation({ aggregate: { type: agg.type, id: randomUUID() }, op: 'create', baseVersion: 0, payload: h.payload(agg, 'create') }));
      const r2 = await client.push(mutations);
      // OFS-SEC-008 / TR §12: `413 batch-too-large` with `limit: 500` (the contract's PayloadTooLarge
      // response: `limit` names the limit). Nothing else, 422 included, is allowed.
      expectProblem(r2.res, 'batch-too-large', 'OFS-SEC-008', `push of ${mutations.length} mutations`, 413);
      const limit = (r2.res.body as { limit?: unknown }).limit;
      if (limit !== PUSH_BATCH_LIMIT) fail('CONF_E_SHAPE', 'OFS-SEC-008', `push of ${mutations.length} mutations: limit member of batch-too-large`, PUSH_BATCH_LIMIT, limit ?? '(absent)');
      await expectAbsent(a, agg, mutations[0]!.aggregate.id, 'OFS-SEC-007', 'a mutation of the refused batch');
    },
  },
};
