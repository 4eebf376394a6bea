/**
 * Two server processes on one PostgreSQL database and one NATS server (both test-owned): the same
 * pushes sent concurrently to both apply each mutation exactly once and publish one event each.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { eventIdFor } from '../../src/domain/ids.js';
import { eventually, readStream } from '../events/relay-fixtures.js';
import { ChildServer } from './child-server.js';
import { startSharedIssuer, type SharedIssuer } from './jwks-server.js';
import { natsServerAvailable, TestNatsServer } from './nats-server.js';

const PG_ADMIN = process.env['SYNCPROOF_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = `syncproof_two_${process.pid}_${Date.now()}`;
const TENANT = 'two-servers';
let admin: pg.Client;
let nats: TestNatsServer;
let issuer: SharedIssuer;
const servers: ChildServer[] = [];

beforeAll(async () => {
  if (!natsServerAvailable()) throw new Error('nats-server binary missing: cannot run the two-server test');
  admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB}`);
  nats = await TestNatsServer.start();
  issuer = await startSharedIssuer();
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
  await nats?.dispose();
  await issuer?.close();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  }
});

describe('two server processes, one PostgreSQL, one NATS', () => {
  requirementTest(
    { id: 'process.two-servers-exactly-once', verifies: ['OFS-IDEM-013', 'OFS-EVT-005', 'OFS-IDEM-002'], timeout: 180_000 },
    'the same pushes raced to two processes apply each mutation once and publish one event each',
    async () => {
      const url = new URL(PG_ADMIN);
      url.pathname = `/${DB}`;
      const args = ['--port', '0', '--db', url.toString(), '--nats', nats.url, ...issuer.args];
      servers.push(await ChildServer.start(args), await ChildServer.start(args));
      const token = await issuer.issuer.mint({ tenantId: TENANT, sub: 'alice', roles: ['clinician'] });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

      const clients = 8;
      const pushesPerClient = 6;
      const cmids: string[] = [];
      const bodies: string[][] = [];
      for (let c = 0; c < clients; c += 1) {
        const clientId = randomUUID();
        const list: string[] = [];
        for (let p = 0; p < pushesPerClient; p += 1) {
          const mutations = Array.from({ length: 10 }, (_, i) => {
            const cmid = randomUUID();
            cmids.push(cmid);
            return {
              clientMutationId: cmid,
              clientSeq: p * 10 + i + 1,
              aggregate: { type: 'note', id: randomUUID() },
              op: 'create',
              baseVersion: 0,
              payload: { patientId: randomUUID(), title: 'race' },
              capturedAt: '2026-01-01T00:00:00Z',
              actorId: 'alice',
            };
          });
          list.push(JSON.stringify({ clientId, mutations }));
        }
        bodies.push(list);
      }

      // Each client sends each push to both servers at once, retrying a server that says the
      // mutations are still in flight elsewhere (409) until it has a decision.
      const send = async (server: ChildServer, body: string): Promise<{ status: string; replayed?: boolean }[]> => {
        for (let attempt = 0; attempt < 50; attempt += 1) {
          const res = await request(`${server.url}/v1/sync/clinic/push`, { method: 'POST', headers, body });
          const text = await res.body.text();
          if (res.statusCode === 200) return (JSON.parse(text) as { outcomes: { status: string; replayed?: boolean }[] }).outcomes;
          expect([409, 503], text).toContain(res.statusCode);
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error('no decision after 50 attempts');
      };
      await Promise.all(
        bodies.map(async (list) => {
          for (const body of list) {
            const [a, b] = await Promise.all([send(servers[0]!, body), send(servers[1]!, body)]);
            for (let i = 0; i < a.length; i += 1) {
              expect(a[i]!.status).toBe('applied');
              expect(b[i]!.status).toBe('applied');
              // Exactly one of the two answers is the first decision; the other replays it.
              expect([a[i]!.replayed === true, b[i]!.replayed === true].filter(Boolean)).toHaveLength(1);
            }
          }
        }),
      );

      // One committed change per mutation, as either process reports it.
      const pull: unknown[] = [];
      let cursor = '';
      for (;;) {
        const res = await request(`${servers[1]!.url}/v1/sync/clinic/pull?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers });
        const page = (await res.body.json()) as { changes: unknown[]; nextCursor: string; hasMore: boolean };
        pull.push(...page.changes);
        cursor = page.nextCursor;
        if (!page.hasMore) break;
      }
      expect(pull).toHaveLength(cmids.length);

      // One event per mutation on NATS, whichever process's relay sent it (or both: de-duplicated).
      const expected = new Set(cmids.map((c) => eventIdFor(TENANT, c)));
      await eventually(async () => (await readStream(nats.url, 'SYNC_EVENTS')).length >= expected.size, 60_000);
      await new Promise((r) => setTimeout(r, 500));
      const msgs = await readStream(nats.url, 'SYNC_EVENTS');
      expect(msgs).toHaveLength(expected.size);
      expect(new Set(msgs.map((m) => m.msgId))).toEqual(expected);

      for (const s of servers.splice(0)) expect(await s.stop('SIGTERM')).toBe(0);
    },
  );
});
