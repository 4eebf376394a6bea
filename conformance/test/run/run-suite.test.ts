/**
 * `syncproof run` end to end, as a process: with NATS_URL on a closed port the event checks are
 * unknown (never pass) and the exit code is 3; a bad profile is exit 2 naming the field.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { freePort } from '../../src/run/nats-service.js';
import { startPrism } from '../../src/run/prism-proxy.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./fixtures/run-entry.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'syncproof-run-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

test('with NATS_URL on a closed port the event checks are unknown and the run exits 3', { timeout: 150_000 }, async () => {
  const closed = await freePort();
  const out = join(dir, 'closed-nats');
  const r = runCli(['--only', 'evt.*', '--no-prism', '--no-report', '--seed', '1', '--out', out], { NATS_URL: `nats://127.0.0.1:${closed}` });
  expect(r.status, r.stderr + r.stdout).toBe(3);
  expect(r.stdout).toMatch(/NATS unavailable/);
  expect(r.stdout).toMatch(/wall time: \d+\.\d s/);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { tests: { id: string; verdict: string; failure?: { message: string } }[] };
  const events = results.tests.filter((t) => t.id.startsWith('evt.'));
  expect(events.length).toBeGreaterThanOrEqual(4);
  expect(events.filter((t) => t.verdict === 'pass')).toEqual([]);
  for (const t of events.filter((e) => e.id !== 'evt.client-cannot-publish')) {
    expect(t.verdict).toBe('unknown');
    expect(t.failure?.message).toMatch(/NATS unavailable/);
  }
});

test('a bad profile is exit 2 with one line naming the field', { timeout: 60_000 }, () => {
  const profile = join(dir, 'bad.yaml');
  const reference = readFileSync(join(ROOT, 'conformance/profiles/reference.yaml'), 'utf8');
  writeFileSync(profile, reference.replace('policy: manual', 'policy: manul'));
  const r = runCli(['--target', profile, '--no-prism'], {});
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/field 'aggregates\[2\]\.policy' must be one of/);
});

test('a schema-valid but behaviour-free target (the Prism mock) fails idempotency, conflicts and isolation and passes nothing', { timeout: 150_000 }, async () => {
  const mock = await startPrism('mock', undefined);
  if ('unavailable' in mock) throw new Error(mock.unavailable);
  try {
    const reference = readFileSync(join(ROOT, 'conformance/profiles/reference.yaml'), 'utf8');
    const profile = join(dir, 'mock.yaml');
    writeFileSync(
      profile,
      reference
        .replace('http://127.0.0.1:8080', mock.url)
        .replace(/auth:\n(  .*\n)+/, 'auth:\n  kind: static-tokens\n')
        .replace('conf-a-${runId}', 'tenant-a')
        .replace('conf-b-${runId}', 'tenant-b')
        .replace(/roles: \[(\w+)\] \}/g, "roles: [$1], token: 'mock-token' }")
        .replace(/nats:\n(  .*\n)+/, ''),
    );
    const out = join(dir, 'mock-out');
    const r = runCli(['--target', profile, '--only', 'idem.*,conf.*,ten.*', '--no-prism', '--no-report', '--out', out], {});
    expect(r.status, r.stderr + r.stdout).toBe(1);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { tests: { id: string; verdict: string }[] };
    expect(results.tests.filter((t) => t.verdict === 'pass').map((t) => t.id)).toEqual([]);
    for (const family of ['idem.', 'conf.', 'ten.']) {
      expect(results.tests.some((t) => t.id.startsWith(family) && t.verdict === 'fail'), family).toBe(true);
    }
  } finally {
    await mock.close();
  }
});
