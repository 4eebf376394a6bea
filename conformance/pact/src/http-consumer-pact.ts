/**
 * The offline client's consumer pact with the sync API: what the simulator's client sends (push of
 * new captures, a retried push, a stale update, a create the server refuses, pull, conflict list
 * and resolution) and the parts of each answer it relies on. Server-chosen values (versions, event
 * and conflict ids, cursors, timestamps) are matchers so any conforming server can answer with its
 * own; what the client sent and must get echoed (clientMutationId, clientSeq, order) is exact.
 * Requests go through {@link SyncApiClient} (undici) against Pact's mock server.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRandom } from '../../../simulators/src/env/random.js';
import { drawPlan, OfflineClientQueue, type Mutation } from './client-mutations.js';
import { HTTP_PAIR, PACT_DIR } from './pact-files.js';
import { HttpState } from './provider-states.js';
import { SyncApiClient } from './sync-api-client.js';

const { like, eachLike, uuid, integer, regex, boolean, string, fromProviderState } = MatchersV3;

/** The clinician whose device the pact describes. */
export const PACT_ACTOR = 'clin-pact-1';
const CAPTURED_AT = '2026-11-20T09:30:00.000Z';
const EXAMPLE_TOKEN = 'pact-example-token';
const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
const EXAMPLE_TIME = '2026-11-20T09:31:00.000Z';
const ETAG = (version: number) => regex('^"[0-9]+"$', `"${version}"`);
const PROBLEM_BASE = 'https://syncproof.dev/problems/';

/**
 * The client's request headers (the provider replaces the example token with a real one).
 * `jsonBody` adds `Content-Type: application/json` itself, and Pact compares content types by media
 * type, so responses need no header declaration to pin `application/json`.
 */
const requestHeaders = () => ({
  authorization: regex('^Bearer [A-Za-z0-9._~+/=-]+$', `Bearer ${EXAMPLE_TOKEN}`),
});

/** A plain JSON copy, as Pact's provider-state parameters take only JSON maps. */
type JsonMap = NonNullable<Parameters<ReturnType<PactV4['addInteraction']>['given']>[1]>;
function asJsonMap(value: object): JsonMap {
  return JSON.parse(JSON.stringify(value)) as JsonMap;
}

/**
 * Waits until Pact's mock server has recorded the requests it answered. The mock server (pact
 * 16.3+) records a match on an async channel *after* sending the response, and `executeTest`
 * reads the match state as soon as the client is done, so under CPU load a request the client
 * demonstrably got its answer for is reported "expected but not received"
 * (pact-foundation/pact-core-mock-server#13, pact-reference#535). Polls the mock server's own
 * state through pact-js internals; without them, waits a fixed 50 ms.
 */
async function awaitRecorded(pact: PactV4, port: number): Promise<void> {
  const core = (pact as unknown as { pact?: { mockServerMatchedSuccessfully?: (port: number) => boolean } }).pact;
  if (typeof core?.mockServerMatchedSuccessfully !== 'function') {
    await sleep(50);
    return;
  }
  for (let waited = 0; waited < 2_000 && !core.mockServerMatchedSuccessfully(port); waited += 5) await sleep(5);
}

/** Wraps a consumer test body so `executeTest` reads the mock server's state only after it is recorded. */
function consumerTest(pact: PactV4, body: (mock: { url: string; port: number }) => Promise<void>) {
  return async (mock: { url: string; port: number }): Promise<void> => {
    try {
      await body(mock);
    } finally {
      await awaitRecorded(pact, mock.port);
    }
  };
}

/** An assertion inside a consumer test: the client must read what the pact promises. */
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`consumer read: ${what}`);
}

/** Ids of the aggregates the provider states set up (fixed, so the pact file is stable). */
function stateIds(seed: number): { encounterId: string; patientId: string } {
  const r = createRandom(seed).fork('state-ids');
  return { encounterId: r.uuid(), patientId: r.uuid() };
}

function clientFor(seed: number): OfflineClientQueue {
  return new OfflineClientQueue({ actorId: PACT_ACTOR, seed, capturedAt: CAPTURED_AT });
}

/** Outcome fields the client sent and the server must echo. */
function echo(m: Mutation): { clientMutationId: string; clientSeq: number } {
  return { clientMutationId: m.clientMutationId, clientSeq: m.clientSeq };
}

function appliedOutcome(m: Mutation, version: number, eventId: string): Record<string, unknown> {
  return { ...echo(m), status: 'applied', newVersion: integer(version), etag: ETAG(version), eventId: uuid(eventId) };
}

const encounterState = (patientId: string, status: string) => like({ patientId, status });

function conflictResource(ids: { encounterId: string; patientId: string }, status: 'open' | 'resolved'): Record<string, unknown> {
  return {
    conflictId: uuid('5b0c3f58-24e1-8c1a-9d3e-6f0a1b2c3d4e'),
    aggregate: { type: 'encounter', id: ids.encounterId },
    policy: 'reject-stale',
    status,
    clientId: uuid('0d6f1f9e-7a53-4b8e-9a3c-2f4b5c6d7e8f'),
    clientMutationId: uuid('a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'),
    serverVersion: integer(2),
    serverState: encounterState(ids.patientId, 'in-progress'),
    proposed: like({ status: 'finished' }),
    phi: true,
    createdAt: regex(ISO_INSTANT, EXAMPLE_TIME),
    ...(status === 'resolved' ? { resolvedAt: regex(ISO_INSTANT, EXAMPLE_TIME), resolution: 'take-client' } : {}),
  };
}

/**
 * Runs every interaction of the HTTP pact against Pact's mock server and writes the pact file
 * into `dir`. Rejects when the client's requests or reads do not match what is declared.
 */
export async function writeHttpConsumerPact(dir: string = PACT_DIR): Promise<void> {
  const pact = new PactV4({ ...HTTP_PAIR, dir, logLevel: 'error' });
  const client = (url: string) => new SyncApiClient({ baseUrl: url, token: () => EXAMPLE_TOKEN });

  // 1. New captures pushed in one batch: one applied outcome per mutation, in request order.
  {
    const q = clientFor(101);
    const encounter = q.capture(drawPlan(1_000, (p) => p.type === 'encounter' && p.op === 'create'));
    const note = q.capture(drawPlan(2_000, (p) => p.type === 'note' && p.op === 'create'));
    const body = q.pushBody();
    await pact
      .addInteraction()
      .given(HttpState.newClient, { actorId: PACT_ACTOR })
      .uponReceiving('a push of two new captures')
      .withRequest('POST', '/v1/sync/clinic/push', (b) => {
        b.headers(requestHeaders()).jsonBody(body);
      })
      .willRespondWith(200, (b) => {
        b.jsonBody({
          outcomes: [
            appliedOutcome(encounter, 1, '3f1e6c2a-9b7d-8e4f-a1c2-d3e4f5a6b7c8'),
            appliedOutcome(note, 1, '7c2d8e4f-1a3b-8c5d-9e6f-a7b8c9d0e1f2'),
          ],
        });
      })
      .executeTest(
        consumerTest(pact, async (mock) => {
          const res = await client(mock.url).push(body);
          check(res.outcomes.length === 2, 'one outcome per mutation');
          res.outcomes.forEach((o, i) => {
            check(o.status === 'applied' && o.clientMutationId === body.mutations[i]?.clientMutationId, `outcome ${i} applied, in order`);
          });
        }),
      );
  }

  // 2. The same push retried after a lost response: the recorded outcome with replayed: true.
  {
    const q = clientFor(102);
    const encounter = q.capture(drawPlan(1_000, (p) => p.type === 'encounter' && p.op === 'create'));
    const body = q.pushBody();
    await pact
      .addInteraction()
      .given(HttpState.alreadyPushed, { actorId: PACT_ACTOR, clientId: body.clientId, mutation: asJsonMap(encounter) })
      .uponReceiving('a retried push of an applied mutation')
      .withRequest('POST', '/v1/sync/clinic/push', (b) => {
        b.headers(requestHeaders()).jsonBody(body);
      })
      .willRespondWith(200, (b) => {
        b.jsonBody({
          outcomes: [{ ...appliedOutcome(encounter, 1, '3f1e6c2a-9b7d-8e4f-a1c2-d3e4f5a6b7c8'), replayed: true }],
        });
      })
      .executeTest(
        consumerTest(pact, async (mock) => {
          const res = await client(mock.url).push(body);
          const [o] = res.outcomes;
          check(res.outcomes.length === 1 && o?.status === 'applied' && o.replayed === true, 'a replayed applied outcome');
        }),
      );
  }

  // 3. An update based on a version the server has moved past: a reject-stale conflict.
  {
    const ids = stateIds(103);
    const q = clientFor(103);
    const plan = drawPlan(3_000, (p) => p.type === 'encounter' && p.op === 'update' && p.payload['status'] === 'finished', new Map([['encounter', [ids.encounterId]]]));
    const stale = q.capture(plan, 1);
    const body = q.pushBody();
    await pact
      .addInteraction()
      .given(HttpState.encounterAtVersion2, { actorId: PACT_ACTOR, ...ids })
      .uponReceiving('a push of an update based on a stale version')
      .withRequest('POST', '/v1/sync/clinic/push', (b) => {
        b.headers(requestHeaders()).jsonBody(body);
      })
      .willRespondWith(200, (b) => {
        b.jsonBody({
          outcomes: [
            {
              ...echo(stale),
              status: 'conflict',
              conflictId: uuid('5b0c3f58-24e1-8c1a-9d3e-6f0a1b2c3d4e'),
              serverVersion: integer(2),
              serverState: encounterState(ids.patientId, 'in-progress'),
              policy: 'reject-stale',
            },
          ],
        });
      })
      .executeTest(
        consumerTest(pact, async (mock) => {
          const [o] = (await client(mock.url).push(body)).outcomes;
          check(o?.status === 'conflict' && o.serverVersion === 2 && o.policy === 'reject-stale', 'a reject-stale conflict with the server version');
        }),
      );
  }

  // 4. A create the server-authoritative stock item refuses (SKU taken): rejected with a problem.
  {
    const q = clientFor(104);
    const plan = drawPlan(4_000, (p) => p.type === 'stock-item' && p.op === 'create' && p.payload['controlled'] === false);
    const create = q.capture(plan);
    const body = q.pushBody();
    await pact
      .addInteraction()
      .given(HttpState.skuTaken, { actorId: PACT_ACTOR, sku: String(plan.payload['sku']) })
      .uponReceiving('a push of a stock item create whose SKU is taken')
      .withRequest('POST', '/v1/sync/clinic/push', (b) => {
        b.headers(requestHeaders()).jsonBody(body);
      })
      .willRespondWith(200, (b) => {
        b.jsonBody({
          outcomes: [
            {
              ...echo(create),
              status: 'rejected',
              problem: { type: `${PROBLEM_BASE}business-rule-violation`, title: string('Business rule violation'), status: integer(409) },
            },
          ],
        });
      })
      .executeTest(
        consumerTest(pact, async (mock) => {
          const [o] = (await client(mock.url).push(body)).outcomes;
          check(o?.status === 'rejected' && o.problem.type.endsWith('/business-rule-violation'), 'a rejection naming its reason');
        }),
      );
  }

  // 5. Pull: the tenant's committed changes, with a cursor to continue from.
  {
    const ids = stateIds(105);
    await pact
      .addInteraction()
      .given(HttpState.tenantHasChanges, { actorId: PACT_ACTOR, ...ids })
      .uponReceiving('a pull of the first page of changes')
      .withRequest('GET', '/v1/sync/clinic/pull', (b) => {
        b.headers(requestHeaders()).query({ limit: '100' });
      })
      .willRespondWith(200, (b) => {
        b.jsonBody({
          changes: eachLike({
            aggregate: { type: 'encounter', id: uuid(ids.encounterId) },
            version: integer(1),
            op: regex('^(create|update|append|adjust|resolve)$', 'create'),
            state: encounterState(ids.patientId, 'planned'),
            committedAt: regex(ISO_INSTANT, EXAMPLE_TIME),
            eventId: uuid('3f1e6c2a-9b7d-8e4f-a1c2-d3e4f5a6b7c8'),
          }),
          nextCursor: string('YzIuOGMwZjY3ZWMyMmRh'),
          hasMore: boolean(false),
        });
      })
      .executeTest(
        consumerTest(pact, async (mock) => {
          const page = await client(mock.url).pull({ limit: 100 });
          check(page.changes.length >= 1 && typeof page.nextCursor === 'string', 'changes and a cursor');
        }),
      );
  }

  // 6. The open conflicts the user has to decide.
  {
    const ids = stateIds(106);
    await pact
      .addInteraction()
      .given(HttpState.openConflict, { actorId: PACT_ACTOR, ...ids })
      .uponReceiving('a request for the open conflicts')
      .withRequest('GET', '/v1/sync/clinic/conflicts', (b) => {
        b.headers(requestHeaders()).query({ status: 'open' });
      })
      .willRespondWith(200, (b) => {
        b.jsonBody({ conflicts: eachLike(conflictResource(ids, 'open')) });
      })
      .executeTest(
        consumerTest(pact, async (mock) => {
          const { conflicts } = await client(mock.url).conflicts('open');
          check(conflicts.length >= 1 && conflicts.every((c) => c.status === 'open'), 'open conflicts');
        }),
      );
  }

  // 7. Resolving one with the client's version; the conflict id is the provider's own.
  {
    const ids = stateIds(107);
    const exampleId = '5b0c3f58-24e1-8c1a-9d3e-6f0a1b2c3d4e';
    await pact
      .addInteraction()
      .given(HttpState.openConflict, { actorId: PACT_ACTOR, ...ids })
      .uponReceiving('a resolution of an open conflict with take-client')
      .withRequest('POST', fromProviderState('/v1/sync/clinic/conflicts/${conflictId}/resolve', `/v1/sync/clinic/conflicts/${exampleId}/resolve`), (b) => {
        b.headers(requestHeaders()).jsonBody({ resolution: 'take-client' });
      })
      .willRespondWith(200, (b) => {
        b.jsonBody({ conflict: conflictResource(ids, 'resolved'), newVersion: integer(3), etag: ETAG(3) });
      })
      .executeTest(
        consumerTest(pact, async (mock) => {
          const res = await client(mock.url).resolve(exampleId, { resolution: 'take-client' });
          check(res.conflict.status === 'resolved' && res.newVersion === 3, 'the resolved conflict and the new version');
        }),
      );
  }
}
