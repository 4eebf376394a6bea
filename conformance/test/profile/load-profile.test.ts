/** The profile loader: valid profiles load, every invalid one is a UsageError naming the field. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { UsageError } from '../../cli/usage-error.js';
import { applyRunId, fieldName, loadProfile, validateProfile } from '../../src/profile/load-profile.js';
import { STARTER_PROFILE } from '../../src/profile/starter-profile.js';

const EXAMPLES = fileURLToPath(new URL('../../../contracts/examples/', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../../profiles/reference.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'syncproof-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('contract examples', () => {
  for (const file of readdirSync(join(EXAMPLES, 'valid/target-profile'))) {
    test(`valid/${file} loads`, () => {
      expect(() => validateProfile(JSON.parse(readFileSync(join(EXAMPLES, 'valid/target-profile', file), 'utf8')), file)).not.toThrow();
    });
  }
  for (const file of readdirSync(join(EXAMPLES, 'invalid/target-profile'))) {
    test(`invalid/${file} is refused naming a field`, () => {
      expect(usageMessage(() => validateProfile(JSON.parse(readFileSync(join(EXAMPLES, 'invalid/target-profile', file), 'utf8')), file))).toMatch(/field '/);
    });
  }
});

test('the reference profile and the starter profile load, with ${runId} substituted', () => {
  const ref = loadProfile(REFERENCE, 'r1');
  expect(ref.profile.tenants.tenantA.id).toBe('conf-a-r1');
  expect(ref.profile.aggregates.map((a) => a.policy).sort()).toEqual(['manual', 'merge-append', 'reject-stale', 'server-authoritative']);
  // It describes `serve --jwks-file reference.dev-jwks.json --test-hooks --test-retention-seconds 2`.
  expect(ref.profile.auth).toMatchObject({ kind: 'jwt-signing-key', privateKeyFile: 'reference.dev-key.json' });
  expect(ref.profile.testHooks).toEqual({ holdInFlight: true });
  expect(ref.profile.idempotency.testRetentionSeconds).toBe(2);
  // A version 1 profile without hooks still loads.
  const v1 = readFileSync(REFERENCE, 'utf8').replace('profileVersion: 2', 'profileVersion: 1').replace(/testHooks:\n(  .*\n)+/, '');
  expect(loadProfile(write('v1.yaml', v1), 'r3').profile.testHooks).toBeUndefined();
  expect(loadProfile(write('starter.yaml', STARTER_PROFILE), 'r2').profile.tenants.tenantB.id).toBe('conf-b-r2');
});

test.each([
  ['a misspelt field', (t: string) => t.replace('baseUrl:', 'baseUrll:'), "field 'baseUrll' is not allowed here"],
  ['an unknown policy', (t: string) => t.replace('policy: manual', 'policy: manul'), "field 'aggregates[2].policy' must be one of"],
  ['an unknown role', (t: string) => t.replace('clin-a-1, roles: [clinician]', 'clin-a-1, roles: [nurse]'), "field 'tenants.tenantA.principals.clinician.roles[0]' must be one of"],
  ['retention below the offline window', (t: string) => t.replace('retentionDays: 30', 'retentionDays: 3'), "field 'idempotency.retentionDays' (3) must be >="],
  ['two equal tenants', (t: string) => t.replace('conf-b-${runId}', 'conf-a-${runId}'), "field 'tenants.tenantB.id' must differ"],
  ['merge-append without an append example', (t: string) => t.replace(/      append: \{[^\n]*\n/, ''), "field 'aggregates[1].examplePayloads.append' is required"],
  ['a tenant id with a dot', (t: string) => t.replace('conf-a-${runId}', 'conf.a'), "field 'tenants.tenantA.id' must match pattern"],
  ['test hooks in a version 1 profile', (t: string) => t.replace('profileVersion: 2', 'profileVersion: 1'), "field 'testHooks' needs 'profileVersion: 2'"],
  ['an unknown test hook', (t: string) => t.replace('holdInFlight: true', 'holdInFlight: true\n  slowDown: true'), "field 'testHooks.slowDown' is not allowed here"],
  ['an unknown host contract version', (t: string) => t.replace('profileVersion: 2', 'profileVersion: 3'), "field 'profileVersion' must be one of 1, 2"],
])('%s is refused naming the field', (_name, change, message) => {
  const text = change(readFileSync(REFERENCE, 'utf8'));
  expect(usageMessage(() => loadProfile(write('p.yaml', text)))).toContain(message);
});

test('static tokens need a token per principal; YAML errors name the line; a missing file is named', () => {
  const text = readFileSync(REFERENCE, 'utf8').replace(/auth:\n(  .*\n)+/, 'auth:\n  kind: static-tokens\n').replace('conf-a-${runId}', 'a').replace('conf-b-${runId}', 'b');
  expect(usageMessage(() => loadProfile(write('static.yaml', text)))).toContain("field 'tenants.tenantA.principals.clinician.token' (or");
  expect(usageMessage(() => loadProfile(write('broken.yaml', 'a: [\n')))).toMatch(/not valid YAML/);
  expect(usageMessage(() => loadProfile(join(dir, 'nope.yaml')))).toMatch(/cannot read profile .*ENOENT/);
});

test('field names are JSON-pointer paths in dotted form', () => {
  expect(fieldName('/aggregates/0/examplePayloads', 'create')).toBe('aggregates[0].examplePayloads.create');
  expect(fieldName('')).toBe('(top level)');
  expect(applyRunId(loadProfile(REFERENCE, 'x').profile, 'y').tenants.tenantA.id).toBe('conf-a-x');
});
