/**
 * Each check family is shown to catch a server that breaks its rule (a test-local fault planted
 * between the checks and the in-process reference) and to pass against the clean reference.
 */
import { describe, expect, test } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { ConformanceFailure } from '../../src/failures.js';
import { type CheckDefinitions } from '../../src/harness/run-check-body.js';
import { checkEntry } from '../../src/registry.js';
import { idempotencyChecks } from '../../src/checks/idempotency.js';
import { orderingChecks } from '../../src/checks/ordering.js';
import { conflictChecks } from '../../src/checks/conflicts.js';
import { tenancyChecks } from '../../src/checks/tenancy.js';
import { authChecks } from '../../src/checks/auth.js';
import { eventChecks } from '../../src/checks/events.js';
import { auditChecks } from '../../src/checks/audit.js';
import { robustnessChecks } from '../../src/checks/robustness.js';
import { bearer, refreshed, withBody, type Fault, useFaultBench, verdictOf } from './fault-environment.js';

const bench = useFaultBench();

interface Case {
  readonly family: string;
  readonly defs: CheckDefinitions;
  readonly check: string;
  readonly fault: Fault;
  /** Failure code the fault must produce. */
  readonly code: string;
  readonly needsNats?: boolean;
}

const isPush = (path: string) => /\/v1\/sync\/[^/]+\/push$/.test(path);

const CASES: readonly Case[] = [
  {
    family: 'idempotency',
    defs: idempotencyChecks,
    check: 'idem.sync-duplicate-applied-replays',
    code: 'CONF_E_REPLAY_MARKER_MISSING',
    // A server that does not mark replays.
    fault: {
      name: 'drops the replayed marker',
      async response(res, req) {
        if (!isPush(req.path) || res.status !== 200) return res;
        const outcomes = (res.body as { outcomes: Record<string, unknown>[] }).outcomes.map(({ replayed: _r, ...o }) => o);
        return withBody(res, { outcomes });
      },
    },
  },
  {
    family: 'idempotency',
    defs: idempotencyChecks,
    check: 'idem.rest-concurrent-duplicate-409',
    code: 'CONF_E_APPLIED_TWICE',
    // A server that applies a duplicate while the first request with its key is still in flight.
    fault: {
      name: 'applies a duplicate while the first is in flight',
      async response(res, req) {
        const type = (res.body as { type?: string } | undefined)?.type ?? '';
        if (req.method !== 'POST' || res.status !== 409 || !type.endsWith('/idempotency-key-in-flight')) return res;
        return withBody({ ...res, status: 201 }, { id: (req.body as { id?: string }).id, version: 1 }, { 'content-type': 'application/json' });
      },
    },
  },
  {
    family: 'ordering',
    defs: orderingChecks,
    check: 'order.seq-gap-rejected',
    code: 'CONF_E_ORDER',
    // A server that ignores clientSeq gaps: it applies each batch as if it were contiguous.
    fault: ((): Fault => {
      const original = new Map<string, number>();
      return {
        name: 'ignores clientSeq gaps',
        async request(req) {
          if (!isPush(req.path) || !req.body) return req;
          const body = req.body as { mutations: { clientSeq: number; clientMutationId: string }[] };
          const first = body.mutations[0]?.clientSeq ?? 1;
          for (const m of body.mutations) original.set(m.clientMutationId, m.clientSeq);
          return { ...req, body: { ...body, mutations: body.mutations.map((m, i) => ({ ...m, clientSeq: first + i })) } };
        },
        async response(res, req) {
          if (!isPush(req.path) || res.status !== 200) return res;
          // Answer with the client's own numbers, as such a server would echo them.
          const outcomes = (res.body as { outcomes: { clientMutationId: string; clientSeq: number }[] }).outcomes.map((o) => ({ ...o, clientSeq: original.get(o.clientMutationId) ?? o.clientSeq }));
          return withBody(res, { outcomes });
        },
      };
    })(),
  },
  {
    family: 'conflicts',
    defs: conflictChecks,
    check: 'conf.missing-if-match-428',
    code: 'CONF_E_STATUS',
    // A server that does not require If-Match: it fills in the current ETag itself.
    fault: {
      name: 'does not require If-Match',
      async request(req, inner) {
        if (req.method !== 'PATCH' || Object.keys(req.headers ?? {}).some((h) => h.toLowerCase() === 'if-match')) return req;
        const current = await inner.request({ method: 'GET', path: req.path, headers: { authorization: `Bearer ${bearer(req)}` } });
        return { ...req, headers: { ...(req.headers ?? {}), 'if-match': current.headers.etag ?? '"0"' } };
      },
    },
  },
  {
    family: 'tenancy',
    defs: tenancyChecks,
    check: 'ten.tenant-mismatch-403',
    code: 'CONF_E_STATUS',
    // A server that ignores a tenant named in the body or header instead of refusing the mismatch.
    fault: {
      name: 'ignores a disagreeing tenant',
      async request(req) {
        const headers = Object.fromEntries(Object.entries(req.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'x-tenant-id'));
        const body = req.body && typeof req.body === 'object' ? (({ tenantId: _t, ...rest }) => rest)(req.body as Record<string, unknown>) : req.body;
        return { ...req, headers, ...(body === undefined ? {} : { body }) };
      },
    },
  },
  {
    family: 'auth',
    defs: authChecks,
    check: 'auth.expired-401',
    code: 'CONF_E_AUTH_ACCEPTED',
    // A server that does not check `exp`.
    fault: {
      name: 'accepts expired tokens',
      async request(req, _inner, env) {
        const token = bearer(req);
        if (!token) return req;
        return { ...req, headers: { ...(req.headers ?? {}), authorization: `Bearer ${await refreshed(token, env)}` } };
      },
    },
  },
  {
    family: 'events',
    defs: eventChecks,
    check: 'evt.none-for-undecided',
    code: 'CONF_E_EVENT_COUNT',
    needsNats: true,
    // A server that publishes an event for a conflicted mutation too.
    fault: {
      name: 'publishes events for conflicts',
      async response(res, req, _inner, env) {
        if (!isPush(req.path) || res.status !== 200) return res;
        const nats = env.profile.nats!;
        const conflicts = (res.body as { outcomes: { status: string; clientMutationId: string }[] }).outcomes.filter((o) => o.status === 'conflict');
        if (conflicts.length === 0) return res;
        const tenant = JSON.parse(Buffer.from((bearer(req) ?? '..').split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { tenant_id?: string };
        const nc = await connect({ servers: nats.url });
        for (const o of conflicts) {
          nc.publish(`${nats.subjectPrefix}.${tenant.tenant_id}.${env.profile.module}.encounter.updated`, JSON.stringify({ specversion: '1.0', id: o.clientMutationId, data: { clientMutationId: o.clientMutationId } }));
        }
        await nc.flush();
        await nc.close();
        return res;
      },
    },
  },
  {
    family: 'audit',
    defs: auditChecks,
    check: 'aud.envelope-reordered-rejected',
    code: 'CONF_E_ENVELOPE_ACCEPTED',
    // A server that sorts uploaded envelopes into order instead of rejecting a reordered chain.
    fault: {
      name: 'repairs reordered envelope chains',
      async request(req) {
        if (req.path !== '/v1/audit/envelopes' || !req.body) return req;
        const body = req.body as { envelopes: { payload: string }[] };
        const seq = (e: { payload: string }) => (JSON.parse(Buffer.from(e.payload, 'base64').toString('utf8')) as { seq: number }).seq;
        return { ...req, body: { ...body, envelopes: [...body.envelopes].sort((a, b) => seq(a) - seq(b)) } };
      },
    },
  },
  {
    family: 'audit',
    defs: auditChecks,
    check: 'aud.chain-verifies',
    code: 'CONF_E_AUDIT_CHAIN',
    // A server whose chain hashes the event in a non-canonical form.
    fault: {
      name: 'breaks the audit hash chain',
      async response(res, req) {
        if (!req.path.startsWith('/v1/audit/events') || res.status !== 200) return res;
        const body = res.body as { entries: { hash: string }[] };
        return withBody(res, { ...body, entries: body.entries.map((e, i) => (i === 0 ? { ...e, hash: 'f'.repeat(64) } : e)) });
      },
    },
  },
  {
    family: 'robustness',
    defs: robustnessChecks,
    check: 'rob.malformed-inputs-no-5xx',
    code: 'CONF_E_SERVER_ERROR',
    // A server that crashes on malformed JSON.
    fault: {
      name: 'answers malformed JSON with 500',
      async response(res) {
        const type = (res.body as { type?: string } | undefined)?.type ?? '';
        return type.endsWith('/malformed-json') ? withBody({ ...res, status: 500 }, { message: 'Internal Server Error' }, { 'content-type': 'application/json' }) : res;
      },
    },
  },
];

describe.each(CASES)('$family: $check', (c) => {
  test(`passes against the clean reference`, { timeout: 60_000 }, async () => {
    const run = await verdictOf(c.defs, c.check, bench().clean);
    if (c.needsNats && !bench().natsAvailable) {
      // Without NATS the check cannot decide — and must say so rather than pass.
      expect(run.verdict).toBe('unknown');
      return;
    }
    expect(run.error, String((run.error as Error | undefined)?.message)).toBeUndefined();
    expect(run.verdict).toBe('pass');
  });

  test(`fails against a server that ${c.fault.name}`, { timeout: 60_000 }, async () => {
    // Without NATS an events check can only say unknown, which would show nothing about catching
    // the fault: this test needs the nats-server every machine here runs (and .ci/run installs).
    if (c.needsNats && !bench().natsAvailable) throw new Error('nats-server is needed to show the events family catching a fault');
    const run = await verdictOf(c.defs, c.check, bench().withFault(c.fault));
    expect(run.verdict).toBe('fail');
    expect(run.error).toBeInstanceOf(ConformanceFailure);
    const failure = run.error as ConformanceFailure;
    expect(failure.code).toBe(c.code);
    expect(checkEntry(c.check).verifies.concat(['OFS-SEC-005', 'OFS-SEC-006', 'OFS-SYNC-004'])).toContain(failure.requirement);
    expect(failure.evidence.length).toBeGreaterThan(0);
  });
});

describe('idempotency: idem.rest-concurrent-duplicate-409 without an honoured hold hook', () => {
  test('a target that ignores the declared hold hook is unknown, never pass', { timeout: 60_000 }, async () => {
    const ignoresHook: Fault = {
      name: 'ignores Syncproof-Test-Hold-Ms',
      async request(req) {
        const headers = Object.fromEntries(Object.entries(req.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'syncproof-test-hold-ms'));
        return { ...req, headers };
      },
    };
    const run = await verdictOf(idempotencyChecks, 'idem.rest-concurrent-duplicate-409', bench().withFault(ignoresHook));
    expect(run.verdict).toBe('unknown');
    expect(String((run.error as Error).message)).toMatch(/hook was not honoured/);
  });

  test('a profile without the hook against a server that decides every write at once is unknown, never pass', { timeout: 60_000 }, async () => {
    const { testHooks: _declared, ...profile } = bench().clean.profile;
    const run = await verdictOf(idempotencyChecks, 'idem.rest-concurrent-duplicate-409', { ...bench().clean, profile });
    expect(run.verdict).toBe('unknown');
    expect(String((run.error as Error).message)).toMatch(/no request was ever in flight/);
  });
});
