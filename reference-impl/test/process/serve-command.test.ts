import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importJWK, SignJWT, type JWK } from 'jose';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../conformance/cli/usage-error.js';
import { serveConfig } from '../../cli/serve-command.js';
import { ChildServer } from './child-server.js';
import { request } from 'undici';

const PROFILES = fileURLToPath(new URL('../../../conformance/profiles/', import.meta.url));
const DEV_JWKS = join(PROFILES, 'reference.dev-jwks.json');
const DEV_KEY = join(PROFILES, 'reference.dev-key.json');
const ISSUER = 'urn:syncproof:reference-dev';

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
      ['--jwks-file', DEV_JWKS],
      ['--jwks-file', DEV_JWKS, '--jwks-url', 'https://idp/jwks', '--issuer', 'i'],
      ['--jwks-file', join(tmpdir(), 'no-such-jwks.json'), '--issuer', 'i'],
      ['--jwks-file', DEV_KEY, '--issuer', 'i'],
      ['--test-retention-seconds', '2'],
      ['--test-hooks', '--test-retention-seconds', '0'],
      ['--test-hooks', '--test-retention-seconds', '2', '--retention-days', '30'],
    ]) {
      expect(() => serveConfig(args, {}), args.join(' ')).toThrow(UsageError);
    }
  });

  test('--jwks-file trusts a public key set; --test-hooks enables the hold hook and a retention in seconds', () => {
    const c = serveConfig(['--jwks-file', DEV_JWKS, '--issuer', ISSUER, '--test-hooks', '--test-retention-seconds', '2'], {});
    expect(c).toMatchObject({ jwksFile: DEV_JWKS, issuer: ISSUER, testHooks: true, testRetentionSeconds: 2 });
    expect(c.jwks?.keys[0]).toMatchObject({ kty: 'OKP', kid: 'reference-dev-1' });
    expect(serveConfig([], {}).testHooks).toBeUndefined();
  });

  test('`syncproof serve --port 0` (bin/syncproof.mjs, no service) logs its start line, answers /healthz and exits 0 on SIGTERM', async () => {
    const server = await ChildServer.start(['--port', '0'], {}, 30_000, 'cli');
    try {
      expect(server.startLine).toMatch(/^syncproof serve: listening on http:\/\/127\.0\.0\.1:\d+ · store sqlite::memory: · events kept in the outbox/);
      expect(server.startLine).not.toMatch(/TEST HOOKS/);
      const health = await request(`${server.url}/healthz`);
      expect(health.statusCode).toBe(200);
      expect(await health.body.json()).toEqual({ status: 'ok' });
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  }, 60_000);

  test('a served process started for a conformance run trusts the profile key (and refuses its expired / foreign-audience tokens) and honours the hold hook', async () => {
    const server = await ChildServer.start(['--port', '0', '--jwks-file', DEV_JWKS, '--issuer', ISSUER, '--test-hooks', '--test-retention-seconds', '2'], {}, 30_000, 'cli');
    try {
      expect(server.startLine).toMatch(/tokens signed by the keys of .*reference\.dev-jwks\.json/);
      expect(server.startLine).toMatch(/TEST HOOKS ON .*idempotency retention 2 s/);
      const sign = async (claims: { aud?: string; expSecondsFromNow?: number } = {}) => {
        const jwk = JSON.parse(readFileSync(DEV_KEY, 'utf8')) as JWK;
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ tenant_id: 'served', roles: ['clinician'] })
          .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid! })
          .setIssuer(ISSUER)
          .setAudience(claims.aud ?? 'syncproof-clinic')
          .setSubject('alice')
          .setIssuedAt(now - 120)
          .setExpirationTime(now + (claims.expSecondsFromNow ?? 300))
          .sign(await importJWK(jwk, 'EdDSA'));
      };
      const pull = async (token: string) => {
        const r = await request(`${server.url}/v1/sync/clinic/pull`, { headers: { authorization: `Bearer ${token}` } });
        await r.body.text();
        return r.statusCode;
      };
      expect(await pull(await sign())).toBe(200);
      expect(await pull(await sign({ expSecondsFromNow: -60 }))).toBe(401);
      expect(await pull(await sign({ aud: 'another-api' }))).toBe(401);
      const token = await sign();
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
      const body = JSON.stringify({ id: randomUUID(), patientId: randomUUID(), status: 'planned' });
      const held = request(`${server.url}/v1/clinic/encounters`, { method: 'POST', headers: { ...headers, 'syncproof-test-hold-ms': '500' }, body });
      await new Promise((r) => setTimeout(r, 150));
      const dup = await request(`${server.url}/v1/clinic/encounters`, { method: 'POST', headers, body });
      expect(dup.statusCode).toBe(409);
      expect(((await dup.body.json()) as { type: string }).type).toBe('https://syncproof.dev/problems/idempotency-key-in-flight');
      const first = await held;
      expect(first.statusCode).toBe(201);
      await first.body.text();
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  }, 60_000);

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
