/**
 * Loads a target profile: YAML (or JSON) → ajv validation against
 * contracts/schemas/target-profile.schema.json → cross-field rules → `${runId}` substitution.
 * Every problem is a {@link UsageError} naming the field, so `syncproof run` exits 2 with one line.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseDocument } from 'yaml';
import { UsageError } from '../../cli/usage-error.js';
import type { LoadedProfile, TargetProfile } from './target-profile.js';

// ajv and ajv-formats are CommonJS; under NodeNext their callable is the `.default` member.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

const SCHEMA_PATH = new URL('../../../contracts/schemas/target-profile.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  return validator;
}

/** `/tenants/tenantA/id` → `tenants.tenantA.id`; `/aggregates/0/type` → `aggregates[0].type`. */
export function fieldName(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(top level)' : out;
}

// Ajv reports every branch of a oneOf/if; the most specific error is the deepest non-combinator one,
// and at equal depth an unknown field (usually a typo) says more than the field it displaced.
function bestError(errors: readonly ErrorObject[]): ErrorObject {
  const alternatives = errors.filter((e) => e.keyword === 'required' && e.schemaPath.includes('/oneOf/'));
  if (alternatives.length > 1) {
    const at = alternatives[0]!.instancePath;
    const names = alternatives.filter((e) => e.instancePath === at).map((e) => String((e.params as { missingProperty?: unknown }).missingProperty));
    return { ...alternatives[0]!, keyword: 'oneOf', params: { passingSchemas: null, alternatives: names } };
  }
  const combinators = new Set(['oneOf', 'anyOf', 'if', 'allOf']);
  const specific = errors.filter((e) => !combinators.has(e.keyword));
  const pool = specific.length > 0 ? specific : errors;
  const depth = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 0.5 : 0);
  return [...pool].sort((a, b) => depth(b) - depth(a))[0] as ErrorObject;
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `field '${fieldName(error.instancePath, String(p.additionalProperty))}' is not allowed here`;
    case 'required':
      return `field '${fieldName(error.instancePath, String(p.missingProperty))}' is required`;
    case 'enum':
      return `field '${fieldName(error.instancePath)}' must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'oneOf': {
      const names = (p.alternatives as string[] | undefined) ?? [];
      return `field '${fieldName(error.instancePath)}' must set exactly one of ${names.length > 0 ? names.join(', ') : 'its alternatives'}`;
    }
    default:
      return `field '${fieldName(error.instancePath)}' ${error.message ?? 'is invalid'}`;
  }
}

/**
 * Validates a parsed profile object. Throws {@link UsageError} naming the first offending field.
 * `source` prefixes messages (usually the file path).
 */
export function validateProfile(value: unknown, source = 'profile'): TargetProfile {
  const validate = compiled();
  if (!validate(value)) {
    throw new UsageError(`${source}: ${describe(bestError(validate.errors ?? []))}`);
  }
  const profile = value as TargetProfile;
  const { idempotency, auth, tenants } = profile;
  if (profile.testHooks !== undefined && (profile.profileVersion ?? 1) < 2) {
    throw new UsageError(`${source}: field 'testHooks' needs 'profileVersion: 2' (test hooks are host contract v2, conformance/TARGET.md)`);
  }
  if (idempotency.retentionDays < idempotency.maxOfflineWindowDays) {
    throw new UsageError(
      `${source}: field 'idempotency.retentionDays' (${idempotency.retentionDays}) must be >= 'idempotency.maxOfflineWindowDays' (${idempotency.maxOfflineWindowDays})`,
    );
  }
  if (tenants.tenantA.id === tenants.tenantB.id) {
    throw new UsageError(`${source}: field 'tenants.tenantB.id' must differ from 'tenants.tenantA.id'`);
  }
  for (const key of ['tenantA', 'tenantB'] as const) {
    const tenant = tenants[key];
    if (tenant.id.includes('${runId}') && auth.kind === 'static-tokens') {
      throw new UsageError(`${source}: field 'tenants.${key}.id' may use \${runId} only when the auth kind can mint tokens (not static-tokens)`);
    }
    for (const [name, p] of Object.entries(tenant.principals)) {
      const at = `tenants.${key}.principals.${name}`;
      if (auth.kind === 'static-tokens' && p.token === undefined && p.tokenEnv === undefined) {
        throw new UsageError(`${source}: field '${at}.token' (or '${at}.tokenEnv') is required with auth kind static-tokens`);
      }
      if (auth.kind === 'token-endpoint' && auth.grant === 'client-credentials') {
        if (p.clientId === undefined) throw new UsageError(`${source}: field '${at}.clientId' is required with grant client-credentials`);
        if (p.clientSecret === undefined && p.clientSecretEnv === undefined) {
          throw new UsageError(`${source}: field '${at}.clientSecretEnv' (or '${at}.clientSecret') is required with grant client-credentials`);
        }
      }
    }
  }
  const types = new Set<string>();
  profile.aggregates.forEach((a, i) => {
    if (types.has(a.type)) throw new UsageError(`${source}: field 'aggregates[${i}].type' repeats '${a.type}'`);
    types.add(a.type);
    if (a.policy === 'merge-append' && a.examplePayloads.append === undefined) {
      throw new UsageError(`${source}: field 'aggregates[${i}].examplePayloads.append' is required for policy merge-append`);
    }
    if (a.policy === 'server-authoritative' && a.examplePayloads.adjust === undefined) {
      throw new UsageError(`${source}: field 'aggregates[${i}].examplePayloads.adjust' is required for policy server-authoritative`);
    }
  });
  return profile;
}

/** Replaces `${runId}` in tenant ids. */
export function applyRunId(profile: TargetProfile, runId: string): TargetProfile {
  const sub = (id: string): string => id.split('${runId}').join(runId);
  return {
    ...profile,
    tenants: {
      tenantA: { ...profile.tenants.tenantA, id: sub(profile.tenants.tenantA.id) },
      tenantB: { ...profile.tenants.tenantB, id: sub(profile.tenants.tenantB.id) },
    },
  };
}

/** A short run id usable inside tenant ids (letters and digits only). */
export function newRunId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

/**
 * Reads, parses and validates a profile file. Throws {@link UsageError} for a missing file, bad
 * YAML or any invalid field.
 */
export function loadProfile(path: string, runId: string = newRunId()): LoadedProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read profile '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0] as { message: string; linePos?: [{ line: number; col: number }] };
    const where = first.linePos ? ` (line ${first.linePos[0].line})` : '';
    throw new UsageError(`${path}: not valid YAML${where}: ${first.message.split('\n')[0] ?? ''}`);
  }
  const profile = validateProfile(doc.toJS() as unknown, path);
  return { profile: applyRunId(profile, runId), dir: dirname(resolve(path)), runId };
}
