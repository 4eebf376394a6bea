import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runContractChecks } from '../../src/contract-checks.js';
import { EXAMPLES_DIR, validateExamples } from '../../src/validate-examples.js';
import { checkBundle, checkGenerated } from '../../src/check-generated.js';
import { GENERATED_BUNDLE_PATH, GENERATED_TYPES_PATH } from '../../src/generate-types.js';
import { OPENAPI_PATH } from '../../src/bundle-openapi.js';
import { checkAsyncApiDocument, checkOpenApiDocument, ASYNCAPI_PATH } from '../../src/check-documents.js';

const tmp = mkdtempSync(join(tmpdir(), 'syncproof-contracts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('contracts:check', () => {
  test('every step passes on the repository', async () => {
    const report = await runContractChecks();
    const failed = report.steps.filter((s) => !s.ok).map((s) => `${s.name}: ${s.summary} ${s.details.join(' | ')}`);
    expect(failed).toEqual([]);
    expect(report.steps.map((s) => s.name)).toEqual(['openapi-valid', 'asyncapi-valid', 'schemas-compile', 'examples', 'generated-types', 'generated-bundle', 'lint']);
  });

  test('a valid example that no longer validates fails the example check and is named', () => {
    const copy = join(tmp, 'examples-broken-valid');
    cpSync(EXAMPLES_DIR, copy, { recursive: true });
    const file = join(copy, 'valid/mutation/create-patient.json');
    const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete value.clientMutationId;
    writeFileSync(file, JSON.stringify(value));
    const report = validateExamples(copy);
    expect(report.ok).toBe(false);
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]!.file).toBe('valid/mutation/create-patient.json');
    expect(report.failures[0]!.reason).toContain('clientMutationId');
  });

  test('an invalid example that validates fails the example check', () => {
    const copy = join(tmp, 'examples-valid-invalid');
    cpSync(EXAMPLES_DIR, copy, { recursive: true });
    cpSync(join(copy, 'valid/push-request/three-mutations.json'), join(copy, 'invalid/push-request/not-actually-broken.json'));
    const report = validateExamples(copy);
    expect(report.failures.map((f) => f.file)).toEqual(['invalid/push-request/not-actually-broken.json']);
  });

  test('a schema with fewer than two vectors of a kind fails the example check', () => {
    const copy = join(tmp, 'examples-too-few');
    cpSync(EXAMPLES_DIR, copy, { recursive: true });
    rmSync(join(copy, 'invalid/resource'), { recursive: true });
    const report = validateExamples(copy);
    expect(report.failures.map((f) => f.file)).toEqual(['invalid/resource']);
  });

  test('the generated types match a fresh generation', async () => {
    expect(await checkGenerated()).toEqual({ ok: true, reason: '' });
  });

  test('a stale generated file fails the generated check', async () => {
    const stale = join(tmp, 'sync-api.ts');
    const text = readFileSync(GENERATED_TYPES_PATH, 'utf8').replace('newVersion: number;', 'newVersion: string;');
    writeFileSync(stale, text);
    const result = await checkGenerated(OPENAPI_PATH, stale);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/stale at line \d+/);
  });

  test('a stale bundle fails the bundle check', () => {
    expect(checkBundle()).toEqual({ ok: true, reason: '' });
    const stale = join(tmp, 'sync-api.bundled.yaml');
    writeFileSync(stale, readFileSync(GENERATED_BUNDLE_PATH, 'utf8').replace('maxItems: 500', 'maxItems: 5000'));
    expect(checkBundle(OPENAPI_PATH, stale).ok).toBe(false);
  });

  test('an OpenAPI document with a dangling $ref is reported invalid', async () => {
    const file = join(tmp, 'dangling.yaml');
    writeFileSync(file, readFileSync(OPENAPI_PATH, 'utf8').replace("'../schemas/problem.schema.json'", "'../schemas/no-such.schema.json'"));
    const r = await checkOpenApiDocument(file);
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toContain('no-such.schema.json');
  });

  test('an AsyncAPI document with an operation on an undefined channel is reported invalid', async () => {
    const file = join(tmp, 'broken-asyncapi.yaml');
    writeFileSync(file, readFileSync(ASYNCAPI_PATH, 'utf8').replace("channel: { $ref: '#/channels/syncEvent' }", "channel: { $ref: '#/channels/nope' }"));
    const r = await checkAsyncApiDocument(file);
    expect(r.ok).toBe(false);
    expect(r.problems.length).toBeGreaterThan(0);
  });
});
