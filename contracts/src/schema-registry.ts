/**
 * One ajv (JSON Schema 2020-12) instance holding every contract schema under its stable `$id`, so
 * the reference server, the conformance suite and the contract checks validate against exactly the
 * same definitions. Cross-file `$ref`s are relative (`mutation.schema.json`) and resolve against
 * the `$id` base `https://syncproof.dev/schemas/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS; under NodeNext their callable is the `.default` member.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** A ready ajv 2020 instance. */
export type Ajv = InstanceType<typeof Ajv2020>;

/** Folder holding the `*.schema.json` files. */
export const SCHEMAS_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));

/** `$id` prefix every contract schema shares. */
export const SCHEMA_ID_BASE = 'https://syncproof.dev/schemas/';

/** Vendor annotations the schemas carry; registered so ajv's strict mode accepts them. */
const ANNOTATION_KEYWORDS = ['x-syncproof-checked-against-token'];

/** A schema file that could not be read or registered. */
export class SchemaRegistryError extends Error {
  override name = 'SchemaRegistryError';
  readonly code = 'schema-registry';
}

/** `$id` of a schema by its short name, e.g. `mutation` → `https://syncproof.dev/schemas/mutation.schema.json`. */
export function schemaId(name: string): string {
  return `${SCHEMA_ID_BASE}${name}.schema.json`;
}

/** Reads every `*.schema.json` of a folder; returns short name → parsed schema, sorted by name. */
export function loadSchemaFiles(dir: string = SCHEMAS_DIR): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()) {
    const name = file.slice(0, -'.schema.json'.length);
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new SchemaRegistryError(`${file}: not valid JSON (${(err as Error).message})`);
    }
    if (schema.$id !== schemaId(name)) {
      throw new SchemaRegistryError(`${file}: $id must be ${schemaId(name)}, found ${String(schema.$id)}`);
    }
    out.set(name, schema);
  }
  return out;
}

/**
 * Builds a fresh ajv 2020 instance (strict, all errors, ajv-formats) with every schema of `dir`
 * registered and compiled. Throws {@link SchemaRegistryError} if a schema does not compile.
 */
export function createSchemaRegistry(dir: string = SCHEMAS_DIR): Ajv {
  // strictRequired is off because if/then branches legitimately `require` properties that the
  // parent schema (not the branch) defines; every other strict check stays on.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'boolean' });
  const schemas = loadSchemaFiles(dir);
  for (const schema of schemas.values()) ajv.addSchema(schema);
  for (const name of schemas.keys()) {
    try {
      ajv.getSchema(schemaId(name));
    } catch (err) {
      throw new SchemaRegistryError(`${name}.schema.json does not compile: ${(err as Error).message}`);
    }
  }
  return ajv;
}

let shared: Ajv | undefined;

/** The process-wide registry over `contracts/schemas` (built on first use). */
export function schemaRegistry(): Ajv {
  shared ??= createSchemaRegistry();
  return shared;
}

/** The compiled validator of a contract schema by short name (e.g. `push-request`). */
export function validatorFor(name: string, ajv: Ajv = schemaRegistry()): ValidateFunction {
  const validate = ajv.getSchema(schemaId(name));
  if (!validate) throw new SchemaRegistryError(`no schema named '${name}' (expected $id ${schemaId(name)})`);
  return validate;
}

/** Renders ajv errors as `<instancePath or /> <message>` lines, for one-line diagnostics. */
export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return '';
  return errors
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : ''}`)
    .join('; ');
}
