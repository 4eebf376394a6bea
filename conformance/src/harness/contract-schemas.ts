/**
 * Validation against the contract's JSON Schemas (contracts/schemas, by `$id`), shared with the
 * reference server and the contract checks so all three read the same definitions.
 */
import type { ErrorObject } from 'ajv';
import { createSchemaRegistry, schemaId, type Ajv } from '../../../contracts/src/schema-registry.js';
import { InconclusiveError } from '../failures.js';

let registry: Ajv | undefined;

/** Errors of `value` against contract schema `name` (e.g. `outcome`), as `pointer message` lines; empty when valid. */
export function schemaErrors(name: string, value: unknown): string[] {
  try {
    registry ??= createSchemaRegistry();
  } catch (err) {
    throw new InconclusiveError(`contract schemas unavailable: ${(err as Error).message}`, { cause: err });
  }
  const validate = registry.getSchema(schemaId(name));
  if (!validate) throw new InconclusiveError(`contract schema '${name}' not found`);
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
}
