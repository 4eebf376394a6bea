import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../conformance/cli/usage-error.js';
import { serveConfig } from '../../cli/serve-command.js';
import { ChildServer } from './child-server.js';
import { request } from 'undici';

describe('syncproof serve options', () => {
  test('defaults: embedded in-memory SQLite, no NATS, no dev issuer, port 8080 on loopback', () => {
    const c = serveConfig([], {});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', db: ':memory:', devIssuer: false });
    expect(c.natsUrl).toBeUndefined();
  });

  test('flags win over DATABASE_URL / NATS_URL, which are honoured otherwise; empty means unset', () => {
    const env = { DATABASE_URL: 'postgres://u@h/db', NATS_URL: 'nats://127.0.0.1:4222' };
    expect(serveConfig([], env)).toMatchObject({ db: 'postgres://u@h/db', natsUrl: 'nats://127.0.0.1:4222' });
    expect(serveConfig(['--db', 'x.sqlite', '--nats=nats://n:1'], env)).toMatchObject({ db: 'x.sqlite', natsUrl: 'nats://n:1' });
    expect(serveConfig([], { DATABASE_URL: '', NATS_URL: '' })).toMatchObject({ db: ':memory:' });
    expect(serveConfig(['--dev-issuer', '--port', '0', '--defect', 'lost-update']).defects?.has('lost-update')).toBe(true);
  });

  test('bad options are usage errors', () => {
    for (const args of [
      ['--port', 'x'],
      ['--port', '70000'],
      ['--nope'],
      ['--db'],
      ['--nats', 'http://x'],
      ['--jwks-url', 'https://idp/jwks'],
      ['--defect', 'no-such-bug'],
      ['--validate-responses', 'sometimes'],
      ['--port', '1', '--port', '2'],
    ]) {
      expect(() => serveConfig(args, {}), args.join(' ')).toThrow(UsageError);
    }
  });

  test('a served process answers /healthz, refuses tokens without an issuer, and exits 0 on SIGTERM', async () => {
    const server = await ChildServer.start(['--port', '0']);
    try {
      expect(server.startLine).toMatch(/store sqlite::memory: · events kept in the outbox, not published \(no NATS URL/);
      expect(server.startLine).toMatch(/no token issuer/);
      const health = await request(`${server.url}/healthz`);
      expect(await health.body.json()).toEqual({ status: 'ok' });
      const pull = await request(`${server.url}/v1/sync/clinic/pull`, { headers: { authorization: 'Bearer x.y.z' } });
      expect(pull.statusCode).toBe(401);
      await pull.body.text();
      const dev = await request(`${server.url}/v1/dev/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(dev.statusCode).toBe(404);
      await dev.body.text();
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  }, 60_000);

  test('SIGTERM lets an in-flight push finish (or refuses it whole) and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncproof-drain-'));
    const started: ChildServer[] = [];
    try {
      const file = join(dir, 'd.sqlite');
      const server = await ChildServer.start(['--port', '0', '--db', file, '--dev-issuer']);
      started.push(server);
      const tokenOf = async (s: ChildServer) => {
        const r = await request(`${s.url}/v1/dev/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: 'drain', sub: 'a', roles: ['clinician'] }) });
        return ((await r.body.json()) as { token: string }).token;
      };
      const token = await tokenOf(server);
      const clientId = randomUUID();
      const mutations = Array.from({ length: 400 }, (_, i) => ({
        clientMutationId: randomUUID(),
        clientSeq: i + 1,
        aggregate: { type: 'note', id: randomUUID() },
        op: 'create',
        baseVersion: 0,
        payload: { patientId: randomUUID(), title: 'drain' },
        capturedAt: '2026-01-01T00:00:00Z',
        actorId: 'a',
      }));
      const body = JSON.stringify({ clientId, mutations });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const inFlight = request(`${server.url}/v1/sync/clinic/push`, { method: 'POST', headers, body });
      await new Promise((r) => setTimeout(r, 5));
      const exit = server.stop('SIGTERM');
      const res = await inFlight;
      const text = await res.body.text();
      expect([200, 503], text).toContain(res.statusCode);
      expect(await exit).toBe(0);
      // After a restart, the retry tells which: all replayed (it finished) or all applied now.
      const again = await ChildServer.start(['--port', '0', '--db', file, '--dev-issuer']);
      started.push(again);
      const retry = await request(`${again.url}/v1/sync/clinic/push`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${await tokenOf(again)}` }, body });
      const outcomes = ((await retry.body.json()) as { outcomes: { status: string; replayed?: boolean }[] }).outcomes;
      expect(outcomes.every((o) => o.status === 'applied' && (o.replayed === true) === (res.statusCode === 200))).toBe(true);
      expect(await again.stop('SIGTERM')).toBe(0);
    } finally {
      for (const s of started) await s.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
