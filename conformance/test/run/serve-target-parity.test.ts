/**
 * Issue 5 acceptance: `syncproof serve` + `syncproof run --target conformance/profiles/reference.yaml`
 * gives the same verdicts as `syncproof run` against the embedded reference (both as child
 * processes of bin/syncproof.mjs, sharing one test-owned NATS). ~45 s on a quiet 2-core machine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CHECKS } from '../../src/registry.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import { REFERENCE_PROFILE_PATH, relocatedReferenceProfile, serveTargetParity, verdictDifferences } from '../../src/run/serve-target-parity.js';
import { writeFileSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'syncproof-parity-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serve/target parity', () => {
  test('verdict differences name every check whose verdict differs or is missing', () => {
    const a = new Map([['x', 'pass'], ['y', 'unknown'], ['z', 'pass']]);
    const b = new Map([['x', 'pass'], ['y', 'skipped'], ['w', 'pass']]);
    expect(verdictDifferences(a, b)).toEqual([
      { id: 'w', embedded: undefined, target: 'pass' },
      { id: 'y', embedded: 'unknown', target: 'skipped' },
      { id: 'z', embedded: 'pass', target: undefined },
    ]);
    expect(verdictDifferences(a, a)).toEqual([]);
  });

  test('the relocated reference profile changes only where the server, NATS and key file are', () => {
    const text = readFileSync(REFERENCE_PROFILE_PATH, 'utf8');
    const moved = relocatedReferenceProfile(text, 'http://127.0.0.1:5555', 'nats://127.0.0.1:6666');
    const file = join(dir, 'moved.yaml');
    writeFileSync(file, moved);
    const original = loadProfile(REFERENCE_PROFILE_PATH, 'r1').profile;
    const relocated = loadProfile(file, 'r1').profile;
    expect(relocated.baseUrl).toBe('http://127.0.0.1:5555');
    expect(relocated.nats?.url).toBe('nats://127.0.0.1:6666');
    expect(relocated.auth).toEqual({ ...original.auth, privateKeyFile: join(REFERENCE_PROFILE_PATH, '..', 'reference.dev-key.json') });
    const { baseUrl: _b1, nats: n1, auth: _a1, ...rest1 } = original;
    const { baseUrl: _b2, nats: n2, auth: _a2, ...rest2 } = relocated;
    expect(rest2).toEqual(rest1);
    expect({ ...n2, url: '' }).toEqual({ ...n1, url: '' });
  });

  test('syncproof serve + run --target reference.yaml gives the same verdict as the embedded run for every check', { timeout: 240_000 }, async () => {
    const result = await serveTargetParity({ seed: 11, outDir: join(dir, 'runs') });
    const detail = `embedded:\n${result.embedded.output.slice(-3000)}\ntarget:\n${result.target.output.slice(-3000)}`;
    expect(result.embedded.verdicts.size, detail).toBe(CHECKS.length);
    expect(result.differences, detail).toEqual([]);
    expect(result.target.exitCode, detail).toBe(result.embedded.exitCode);
    // The profile's signing key, test hooks and short retention are in force on the served side.
    expect(result.serveStartLine).toMatch(/tokens signed by the keys of .*reference\.dev-jwks\.json .*TEST HOOKS ON/);
    for (const id of ['auth.expired-401', 'auth.wrong-audience-401', 'idem.rest-concurrent-duplicate-409', 'idem.replay-after-retention', 'contract.responses-match-openapi']) {
      expect(result.target.verdicts.get(id), `${id}\n${detail}`).toBe('pass');
    }
    expect(result.serveExitCode).toBe(0);
  });
});
