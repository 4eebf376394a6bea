/**
 * NATS stopped mid-run (TR §8.5): a server process publishing to a test-owned nats-server keeps
 * accepting pushes while NATS is down; after NATS returns every applied mutation's event is in the
 * stream exactly once. Also checks the serve start line and the SIGTERM drain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { eventIdFor } from '../../src/domain/ids.js';
import { eventually, readStream } from '../events/relay-fixtures.js';
import { ChildServer } from './child-server.js';
import { natsServerAvailable, TestNatsServer } from './nats-server.js';

const TENANT = 'nats-outage';
const dir = mkdtempSync(join(tmpdir(), 'syncproof-natsout-'));
let nats: TestNatsServer;
let server: ChildServer | undefined;

beforeAll(async () => {
  if (!natsServerAvailable()) throw new Error('nats-server binary missing: cannot run the NATS outage test');
  nats = await TestNatsServer.start();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await nats?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('NATS outage with a real server process', () => {
  requirementTest(
    { id: 'process.nats-outage-exactly-once', verifies: ['OFS-EVT-008', 'OFS-EVT-005', 'OFS-EVT-004'], timeout: 120_000 },
    'pushes succeed while NATS is down and every event arrives once after it returns',
    async () => {
      server = await ChildServer.start(['--port', '0', '--db', join(dir, 's.sqlite'), '--dev-issuer', '--nats', nats.url]);
      expect(server.startLine).toContain(`events to ${nats.url}`);
      const tokenRes = await request(`${server.url}/v1/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: TENANT, sub: 'alice', roles: ['clinician'] }),
      });
      const { token } = (await tokenRes.body.json()) as { token: string };
      const clientId = randomUUID();
      let seq = 0;
      const cmids: string[] = [];
      const pushSome = async (n: number) => {
        const mutations = Array.from({ length: n }, () => {
          const cmid = randomUUID();
          cmids.push(cmid);
          seq += 1;
          return {
            clientMutationId: cmid,
            clientSeq: seq,
            aggregate: { type: 'encounter', id: randomUUID() },
            op: 'create',
            baseVersion: 0,
            payload: { patientId: randomUUID(), status: 'planned' },
            capturedAt: '2026-01-01T00:00:00Z',
            actorId: 'alice',
          };
        });
        const res = await request(`${server!.url}/v1/sync/clinic/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ clientId, mutations }),
        });
        expect(res.statusCode).toBe(200);
        const { outcomes } = (await res.body.json()) as { outcomes: { status: string }[] };
        expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
      };

      await pushSome(20);
      await eventually(async () => (await readStream(nats.url, 'SYNC_EVENTS')).length === 20, 20_000);
      await nats.stop(true);
      for (let i = 0; i < 5; i += 1) await pushSome(10);
      await new Promise((r) => setTimeout(r, 500));
      await nats.restart();
      const expected = new Set(cmids.map((c) => eventIdFor(TENANT, c)));
      await eventually(async () => (await readStream(nats.url, 'SYNC_EVENTS')).length >= expected.size, 60_000);
      await pushSome(5);
      for (const c of cmids.slice(-5)) expected.add(eventIdFor(TENANT, c));
      await eventually(async () => (await readStream(nats.url, 'SYNC_EVENTS')).length >= expected.size, 20_000);
      const msgs = await readStream(nats.url, 'SYNC_EVENTS');
      expect(msgs).toHaveLength(expected.size);
      expect(new Set(msgs.map((m) => m.msgId))).toEqual(expected);
      expect(server.stderr.join('')).toMatch(/relay: .*events wait in the outbox/);
      // SIGTERM drains and exits 0.
      expect(await server.stop('SIGTERM')).toBe(0);
      server = undefined;
    },
  );
});
