/**
 * Spectral ruleset for the OpenAPI contract of an offline-capable module. On top of Spectral's
 * `spectral:oas` recommended rules it checks what an offline client relies on when it retries a
 * queued write: an idempotency key, the problem responses the idempotency and precondition
 * machinery answers with, ETags on versioned reads, and a tenant that never comes from the body.
 *
 * Two vendor extensions let a contract state, rather than hide, a deliberate choice:
 * - `x-syncproof-dev: true` on an operation: development-only (e.g. token minting); the offline
 *   rules skip it.
 * - `x-syncproof-idempotency: { strategy: natural, reason: <why> }` on a write that is idempotent
 *   by its own semantics (e.g. PUT of the same key, a one-shot state transition); satisfies the
 *   idempotency-key rule only with a non-empty reason.
 * - `x-syncproof-checked-against-token: true` on an optional body `tenantId`: documents that the
 *   server compares it with the token and refuses a mismatch (403 tenant-mismatch).
 */
import { createRulesetFunction, type RulesetDefinition, type IFunctionResult } from '@stoplight/spectral-core';
import { oas } from '@stoplight/spectral-rulesets';

type Json = Record<string, unknown>;
type Path = (string | number)[];

const WRITE_METHODS = ['post', 'put', 'patch'] as const;
const ALL_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const PROBLEM_JSON = 'application/problem+json';

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Path-level and operation-level parameters; the operation's win (OpenAPI 3 §4.8.9). */
function parametersOf(pathItem: Json, op: Json): Json[] {
  const byKey = new Map<string, Json>();
  for (const list of [pathItem.parameters, op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      if (isObject(p) && typeof p.name === 'string') byKey.set(`${String(p.in)}:${p.name.toLowerCase()}`, p);
    }
  }
  return [...byKey.values()];
}

function headerParam(params: Json[], name: string): Json | undefined {
  return params.find((p) => p.in === 'header' && typeof p.name === 'string' && p.name.toLowerCase() === name.toLowerCase());
}

function jsonSchemasOfContent(content: unknown): Json[] {
  if (!isObject(content)) return [];
  return Object.entries(content)
    .filter(([type]) => /json/i.test(type))
    .map(([, media]) => (isObject(media) && isObject(media.schema) ? media.schema : undefined))
    .filter((s): s is Json => s !== undefined);
}

/** True if `name` is a property anywhere in the (resolved) schema: nested objects, arrays, compositions. */
function schemaHasProperty(schema: unknown, name: string, seen = new Set<unknown>(), depth = 0): boolean {
  if (!isObject(schema) || seen.has(schema) || depth > 32) return false;
  seen.add(schema);
  if (isObject(schema.properties) && name in schema.properties) return true;
  const children: unknown[] = [];
  if (isObject(schema.properties)) children.push(...Object.values(schema.properties));
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']) children.push(schema[key]);
  for (const key of ['allOf', 'oneOf', 'anyOf', 'prefixItems']) if (Array.isArray(schema[key])) children.push(...(schema[key] as unknown[]));
  if (isObject(schema.$defs)) children.push(...Object.values(schema.$defs));
  return children.some((c) => schemaHasProperty(c, name, seen, depth + 1));
}

/** Top-level properties of a schema, following allOf; with whether each is required. */
function topLevelProperties(schema: unknown, seen = new Set<unknown>()): Map<string, { schema: Json; required: boolean }> {
  const out = new Map<string, { schema: Json; required: boolean }>();
  if (!isObject(schema) || seen.has(schema)) return out;
  seen.add(schema);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  if (isObject(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties)) out.set(k, { schema: isObject(v) ? v : {}, required: required.has(k) });
  }
  for (const k of required) if (!out.has(k)) out.set(k, { schema: {}, required: true });
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf) {
      for (const [k, v] of topLevelProperties(member, seen)) {
        const prev = out.get(k);
        out.set(k, { schema: prev?.schema ?? v.schema, required: (prev?.required ?? false) || v.required });
      }
    }
  }
  return out;
}

interface WriteOp {
  readonly method: string;
  readonly op: Json;
  readonly params: Json[];
  readonly bodySchemas: Json[];
}

/** The non-dev write operations of a path item. */
function writeOps(pathItem: Json): WriteOp[] {
  const ops: WriteOp[] = [];
  for (const method of WRITE_METHODS) {
    const op = pathItem[method];
    if (!isObject(op) || op['x-syncproof-dev'] === true) continue;
    const body = isObject(op.requestBody) ? op.requestBody : undefined;
    ops.push({ method, op, params: parametersOf(pathItem, op), bodySchemas: jsonSchemasOfContent(body?.content) });
  }
  return ops;
}

function naturalIdempotency(op: Json): boolean {
  const ext = op['x-syncproof-idempotency'];
  return isObject(ext) && ext.strategy === 'natural' && typeof ext.reason === 'string' && ext.reason.trim().length > 0;
}

/** (a) Every write carries an Idempotency-Key header or a body with clientMutationId. */
export const writeIdempotency = createRulesetFunction<Json, null>({ input: { type: 'object' }, options: null }, (pathItem, _opts, ctx) => {
  const results: IFunctionResult[] = [];
  for (const w of writeOps(pathItem)) {
    if (headerParam(w.params, 'Idempotency-Key')) continue;
    if (w.bodySchemas.some((s) => schemaHasProperty(s, 'clientMutationId'))) continue;
    if (naturalIdempotency(w.op)) continue;
    results.push({
      message:
        'write operation has neither an Idempotency-Key header parameter nor a request body with clientMutationId; an offline client cannot retry it safely (if it is idempotent by its own semantics, say so with x-syncproof-idempotency: {strategy: natural, reason})',
      path: [...ctx.path, w.method] as Path,
    });
  }
  return results;
});

/** (b) Writes declare 409, 422 and, with If-Match, 412 (and 428 when required) as problem+json. */
export const writeProblemResponses = createRulesetFunction<Json, null>({ input: { type: 'object' }, options: null }, (pathItem, _opts, ctx) => {
  const results: IFunctionResult[] = [];
  for (const w of writeOps(pathItem)) {
    const responses = isObject(w.op.responses) ? w.op.responses : {};
    const ifMatch = headerParam(w.params, 'If-Match');
    const needed: [string, string][] = [
      ['409', 'a request still in flight or a state conflict'],
      ['422', 'a reused idempotency key with another payload or a business rule'],
    ];
    if (ifMatch) needed.push(['412', 'a stale If-Match']);
    if (ifMatch?.required === true) needed.push(['428', 'a missing If-Match']);
    for (const [code, why] of needed) {
      const response = responses[code];
      if (!isObject(response)) {
        results.push({ message: `write operation does not declare a ${code} response (for ${why})`, path: [...ctx.path, w.method, 'responses'] as Path });
      } else if (!isObject(response.content) || !(PROBLEM_JSON in response.content)) {
        results.push({ message: `${code} response is not ${PROBLEM_JSON}`, path: [...ctx.path, w.method, 'responses', code] as Path });
      }
    }
  }
  return results;
});

/** (c) A GET returning a versioned representation (top-level `version`) declares an ETag header. */
export const versionedGetEtag = createRulesetFunction<Json, null>({ input: { type: 'object' }, options: null }, (pathItem, _opts, ctx) => {
  const results: IFunctionResult[] = [];
  const op = pathItem.get;
  if (!isObject(op) || !isObject(op.responses)) return results;
  for (const [code, response] of Object.entries(op.responses)) {
    if (!/^2\d\d$/.test(code) || !isObject(response)) continue;
    const versioned = jsonSchemasOfContent(response.content).some((s) => topLevelProperties(s).has('version'));
    if (!versioned) continue;
    const headers = isObject(response.headers) ? Object.keys(response.headers).map((h) => h.toLowerCase()) : [];
    if (!headers.includes('etag')) {
      results.push({ message: `${code} response returns a versioned resource (it has a version property) but declares no ETag header`, path: [...ctx.path, 'get', 'responses', code] as Path });
    }
  }
  return results;
});

/** (d) Tenant never taken from the request body: required → error here; optional and undocumented → the warning rule. */
function tenantFromBody(mode: 'required' | 'optional') {
  return createRulesetFunction<Json, null>({ input: { type: 'object' }, options: null }, (pathItem, _opts, ctx) => {
    const results: IFunctionResult[] = [];
    for (const w of writeOps(pathItem)) {
      for (const schema of w.bodySchemas) {
        for (const [name, prop] of topLevelProperties(schema)) {
          if (name !== 'tenantId' && name !== 'tenant_id') continue;
          if (mode === 'required' && prop.required) {
            results.push({ message: `request body requires '${name}': the tenant must come from the token only`, path: [...ctx.path, w.method, 'requestBody'] as Path });
          }
          if (mode === 'optional' && !prop.required && prop.schema['x-syncproof-checked-against-token'] !== true) {
            results.push({
              message: `request body accepts an optional '${name}' without x-syncproof-checked-against-token: true; document that it is checked against the token (403 tenant-mismatch) or drop it`,
              path: [...ctx.path, w.method, 'requestBody'] as Path,
            });
          }
        }
      }
    }
    return results;
  });
}

/** Every 4xx/5xx response of every operation is application/problem+json. */
export const errorsAreProblems = createRulesetFunction<Json, null>({ input: { type: 'object' }, options: null }, (pathItem, _opts, ctx) => {
  const results: IFunctionResult[] = [];
  for (const method of ALL_METHODS) {
    const op = pathItem[method];
    if (!isObject(op) || !isObject(op.responses)) continue;
    for (const [code, response] of Object.entries(op.responses)) {
      if (!/^[45]\d\d$/.test(code) || !isObject(response)) continue;
      if (!isObject(response.content) || !(PROBLEM_JSON in response.content)) {
        results.push({ message: `${code} response is not ${PROBLEM_JSON} (RFC 9457)`, path: [...ctx.path, method, 'responses', code] as Path });
      }
    }
  }
  return results;
});

/** The ruleset: `spectral:oas` recommended plus the offline-capable-module rules. */
const ruleset: RulesetDefinition = {
  extends: [[oas as RulesetDefinition, 'recommended']],
  rules: {
    // A contract exposes its shared JSON Schemas (Mutation, Outcome, AuditEvent...) as components so
    // generated types name them, although operations reach them only through other schemas.
    'oas3-unused-component': 'info',
    'offline-write-idempotency-key': {
      description: 'Every write (POST/PUT/PATCH) carries an Idempotency-Key header or a body with clientMutationId.',
      severity: 'error',
      given: '$.paths[*]',
      message: '{{error}}',
      then: { function: writeIdempotency },
    },
    'offline-write-problem-responses': {
      description: 'Writes declare 409 and 422, plus 412 with If-Match and 428 when If-Match is required, as application/problem+json.',
      severity: 'error',
      given: '$.paths[*]',
      message: '{{error}}',
      then: { function: writeProblemResponses },
    },
    'offline-versioned-get-etag': {
      description: 'A GET returning a versioned resource declares an ETag response header.',
      severity: 'error',
      given: '$.paths[*]',
      message: '{{error}}',
      then: { function: versionedGetEtag },
    },
    'offline-tenant-not-required-in-body': {
      description: 'No write requires tenantId/tenant_id in its body: the tenant comes from the token.',
      severity: 'error',
      given: '$.paths[*]',
      message: '{{error}}',
      then: { function: tenantFromBody('required') },
    },
    'offline-tenant-optional-in-body': {
      description: 'An optional body tenantId is documented as checked against the token.',
      severity: 'warn',
      given: '$.paths[*]',
      message: '{{error}}',
      then: { function: tenantFromBody('optional') },
    },
    'offline-errors-are-problem-json': {
      description: 'Every 4xx/5xx response is application/problem+json.',
      severity: 'error',
      given: '$.paths[*]',
      message: '{{error}}',
      then: { function: errorsAreProblems },
    },
  },
};

export default ruleset;
