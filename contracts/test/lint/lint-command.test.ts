import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { lintOpenApi, LintInputError } from '../../lint/lint-openapi.js';
import { OPENAPI_PATH } from '../../src/bundle-openapi.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'syncproof-lint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `npx syncproof lint ...` from the repository root; resolves to exit code and output. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['syncproof', 'lint', ...args], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const problem = { 'application/problem+json': { schema: { type: 'object' } } };
const res = (description: string) => ({ description, content: problem });

interface Op {
  parameters?: unknown[];
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
  [extension: string]: unknown;
}
interface Doc {
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** The operation `method` of `path` in a test contract. */
function op(doc: Doc, path: string, method: string): Op {
  const found = doc.paths[path]?.[method];
  if (!found) throw new Error(`no ${method} ${path} in the test contract`);
  return found as Op;
}

/** A small module contract; `mutate` breaks one thing. */
function contract(mutate: (doc: Doc) => void = () => {}): string {
  const doc: Doc = {
    openapi: '3.1.0',
    info: { title: 'things', version: '1.0.0', description: 'd', contact: { name: 'x' } },
    servers: [{ url: 'http://127.0.0.1' }],
    tags: [{ name: 't', description: 't' }],
    paths: {
      '/v1/things': {
        post: {
          operationId: 'createThing', tags: ['t'], description: 'd', summary: 's',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
          responses: { '201': { description: 'ok' }, '409': res('c'), '422': res('u') },
        },
      },
      '/v1/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'getThing', tags: ['t'], description: 'd', summary: 's',
          responses: {
            '200': { description: 'ok', headers: { ETag: { schema: { type: 'string' } } }, content: { 'application/json': { schema: { type: 'object', properties: { version: { type: 'integer' } } } } } },
            '404': res('n'),
          },
        },
        patch: {
          operationId: 'patchThing', tags: ['t'], description: 'd', summary: 's',
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { '200': { description: 'ok' }, '409': res('c'), '412': res('p'), '422': res('u'), '428': res('r') },
        },
      },
    },
  };
  mutate(doc);
  const file = join(tmp, `contract-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const errorsOf = async (file: string) => (await lintOpenApi(file)).filter((f) => f.severity === 'error');

describe('offline-module ruleset', () => {
  test('a compliant contract has no errors', async () => {
    expect(await errorsOf(contract())).toEqual([]);
  });

  test('a write without Idempotency-Key or clientMutationId is an error naming the operation', async () => {
    const file = contract((d) => { op(d, '/v1/things', 'post').parameters = []; });
    const errors = await errorsOf(file);
    expect(errors.map((e) => `${e.rule} ${e.location}`)).toEqual(['offline-write-idempotency-key POST /v1/things']);
  });

  test('a body with clientMutationId, or a documented natural idempotency, satisfies the key rule', async () => {
    const viaBody = contract((d) => {
      op(d, '/v1/things', 'post').parameters = [];
      op(d, '/v1/things', 'post').requestBody!.content['application/json']!.schema = { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { clientMutationId: { type: 'string' } } } } } };
    });
    expect(await errorsOf(viaBody)).toEqual([]);
    const natural = contract((d) => {
      op(d, '/v1/things', 'post').parameters = [];
      op(d, '/v1/things', 'post')['x-syncproof-idempotency'] = { strategy: 'natural', reason: 'PUT semantics' };
    });
    expect(await errorsOf(natural)).toEqual([]);
    const unexplained = contract((d) => {
      op(d, '/v1/things', 'post').parameters = [];
      op(d, '/v1/things', 'post')['x-syncproof-idempotency'] = { strategy: 'natural', reason: ' ' };
    });
    expect((await errorsOf(unexplained)).map((e) => e.rule)).toEqual(['offline-write-idempotency-key']);
  });

  test('writes must declare 409/422, and 412/428 with a required If-Match, as problem+json', async () => {
    const file = contract((d) => {
      delete op(d, '/v1/things/{id}', 'patch').responses['412'];
      delete op(d, '/v1/things/{id}', 'patch').responses['428'];
      op(d, '/v1/things', 'post').responses['409'] = { description: 'c', content: { 'application/json': { schema: { type: 'object' } } } };
    });
    const messages = (await errorsOf(file)).filter((e) => e.rule === 'offline-write-problem-responses').map((e) => `${e.location}: ${e.message}`);
    expect(messages).toEqual([
      'PATCH /v1/things/{id}: write operation does not declare a 412 response (for a stale If-Match)',
      'PATCH /v1/things/{id}: write operation does not declare a 428 response (for a missing If-Match)',
      'POST /v1/things: 409 response is not application/problem+json',
    ]);
  });

  test('a versioned GET without ETag is an error', async () => {
    const file = contract((d) => { delete op(d, '/v1/things/{id}', 'get').responses['200']!.headers; });
    expect((await errorsOf(file)).map((e) => `${e.rule} ${e.location}`)).toEqual(['offline-versioned-get-etag GET /v1/things/{id}']);
  });

  test('a required body tenantId is an error; an optional undocumented one a warning; a documented one nothing', async () => {
    const body = (tenant: Record<string, unknown>, required: string[]) => (d: Doc) => {
      op(d, '/v1/things', 'post').requestBody!.content['application/json']!.schema = { type: 'object', required, properties: { tenantId: tenant } };
    };
    const required = await lintOpenApi(contract(body({ type: 'string' }, ['tenantId'])));
    expect(required.filter((f) => f.rule.startsWith('offline-tenant')).map((f) => `${f.severity} ${f.rule}`)).toEqual(['error offline-tenant-not-required-in-body']);
    const optional = await lintOpenApi(contract(body({ type: 'string' }, [])));
    expect(optional.filter((f) => f.rule.startsWith('offline-tenant')).map((f) => `${f.severity} ${f.rule}`)).toEqual(['warn offline-tenant-optional-in-body']);
    const documented = await lintOpenApi(contract(body({ type: 'string', 'x-syncproof-checked-against-token': true }, [])));
    expect(documented.filter((f) => f.rule.startsWith('offline-tenant'))).toEqual([]);
  });

  test('an error response that is not problem+json is an error', async () => {
    const file = contract((d) => { op(d, '/v1/things/{id}', 'get').responses['404'] = { description: 'n' }; });
    expect((await errorsOf(file)).map((e) => `${e.rule} ${e.location}`)).toEqual(['offline-errors-are-problem-json GET /v1/things/{id}']);
  });

  test('our contract has no errors and no warnings', async () => {
    const findings = await lintOpenApi(OPENAPI_PATH);
    expect(findings.filter((f) => f.severity === 'error' || f.severity === 'warn')).toEqual([]);
  });

  test('a missing or unparseable file is an input error, not findings', async () => {
    await expect(lintOpenApi(join(tmp, 'nope.yaml'))).rejects.toBeInstanceOf(LintInputError);
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'openapi: 3.1.0\npaths: {a: [\n');
    await expect(lintOpenApi(bad)).rejects.toBeInstanceOf(LintInputError);
    const notOpenApi = join(tmp, 'plain.yaml');
    writeFileSync(notOpenApi, 'hello: world\n');
    await expect(lintOpenApi(notOpenApi)).rejects.toThrow(/not an OpenAPI document/);
  });
});

describe('syncproof lint (CLI)', () => {
  test('a write without Idempotency-Key exits 1 and names the operation', async () => {
    const file = contract((d) => { op(d, '/v1/things', 'post').parameters = []; });
    const r = await cli(file);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error offline-write-idempotency-key POST \/v1\/things: /m);
  });

  test('our contract exits 0', async () => {
    const r = await cli('contracts/openapi/sync-api.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 error(s), 0 warning(s)');
  });

  test('a missing file exits 2 with one line', async () => {
    const r = await cli(join(tmp, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot read');
  });
});
