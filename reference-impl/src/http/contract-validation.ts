/**
 * Request and response validation against the contract schemas (contracts/schemas, one ajv 2020
 * registry shared with the conformance suite). A request that fails is a 400 `validation-failed`
 * whose `errors` name each offending field by JSON Pointer; a response that fails is a server bug,
 * reported to the caller of {@link checkResponse}.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validatorFor } from '../../../contracts/src/schema-registry.js';
import { ProblemError } from './problem.js';

/** Contract schema names the server validates against. */
export type ContractSchema =
  | 'push-request'
  | 'push-response'
  | 'pull-response'
  | 'conflict-list'
  | 'conflict-resolve-request'
  | 'conflict-resolve-response'
  | 'resource'
  | 'problem'
  | 'audit-events-page'
  | 'device-key-registration'
  | 'device-key'
  | 'envelope-upload-request'
  | 'envelope-upload-response'
  | 'dev-token-request'
  | 'dev-token-response';

const cache = new Map<string, ValidateFunction>();

function validator(name: ContractSchema): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    v = validatorFor(name);
    cache.set(name, v);
  }
  return v;
}

/** One field error. */
export interface FieldError {
  readonly pointer: string;
  readonly detail: string;
}

/** Turns ajv errors into pointer + detail pairs (the pointer names the offending member itself). */
export function fieldErrors(errors: readonly ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // `if`/`then` wrappers repeat the real error underneath; skip them.
    if (e.keyword === 'if') continue;
    let pointer = e.instancePath;
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    if (e.keyword === 'required' && params.missingProperty) pointer += `/${params.missingProperty}`;
    if (e.keyword === 'additionalProperties' && params.additionalProperty) pointer += `/${params.additionalProperty}`;
    const detail =
      e.keyword === 'additionalProperties' ? 'unknown member' : e.keyword === 'required' ? 'required member missing' : (e.message ?? e.keyword);
    const key = `${pointer}\u0000${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, detail });
  }
  return out;
}

/** Validates a request body; throws a 400 `validation-failed` {@link ProblemError} naming the fields. */
export function checkRequest(name: ContractSchema, value: unknown): void {
  const v = validator(name);
  if (v(value)) return;
  const errors = fieldErrors(v.errors).slice(0, 20);
  const first = errors[0];
  throw ProblemError.of(
    'validation-failed',
    first ? `${first.pointer || '/'}: ${first.detail}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` : 'request body does not match the contract',
    { errors: errors.length > 0 ? errors : [{ pointer: '', detail: 'does not match the contract' }] },
  );
}

/** Validates a response body; returns the violations (empty when it conforms). */
export function checkResponse(name: ContractSchema, value: unknown): FieldError[] {
  const v = validator(name);
  return v(value) ? [] : fieldErrors(v.errors);
}
