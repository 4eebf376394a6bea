/**
 * Checks the example vectors: every `examples/valid/<schema>/*.json` must validate against
 * `<schema>.schema.json` and every `examples/invalid/<schema>/*.json` must fail it. Each schema
 * needs at least {@link MIN_EXAMPLES} of each kind, so a schema cannot go untested.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSchemaRegistry, formatSchemaErrors, loadSchemaFiles, SCHEMAS_DIR, schemaId } from './schema-registry.js';

/** Default examples folder. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));

/** Minimum number of valid and of invalid vectors per schema. */
export const MIN_EXAMPLES = 2;

/** One problem found in the examples. */
export interface ExampleFailure {
  /** Path relative to the examples folder, or the schema name for a count problem. */
  readonly file: string;
  readonly reason: string;
}

/** Result of {@link validateExamples}. */
export interface ExampleReport {
  readonly ok: boolean;
  /** Number of example files checked. */
  readonly checked: number;
  readonly failures: readonly ExampleFailure[];
}

function jsonFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
}

/** Validates every example vector of `examplesDir` against the schemas of `schemasDir`. */
export function validateExamples(examplesDir: string = EXAMPLES_DIR, schemasDir: string = SCHEMAS_DIR): ExampleReport {
  const ajv = createSchemaRegistry(schemasDir);
  const names = [...loadSchemaFiles(schemasDir).keys()];
  const failures: ExampleFailure[] = [];
  let checked = 0;

  for (const kind of ['valid', 'invalid'] as const) {
    const kindDir = join(examplesDir, kind);
    for (const folder of existsSync(kindDir) ? readdirSync(kindDir).sort() : []) {
      if (!names.includes(folder)) failures.push({ file: `${kind}/${folder}`, reason: `no schema named '${folder}'` });
    }
    for (const name of names) {
      const dir = join(kindDir, name);
      const files = jsonFiles(dir);
      if (files.length < MIN_EXAMPLES) {
        failures.push({ file: `${kind}/${name}`, reason: `has ${files.length} ${kind} example(s), needs at least ${MIN_EXAMPLES}` });
      }
      const validate = ajv.getSchema(schemaId(name))!;
      for (const file of files) {
        checked += 1;
        const rel = `${kind}/${name}/${file}`;
        let value: unknown;
        try {
          value = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        } catch (err) {
          failures.push({ file: rel, reason: `not valid JSON: ${(err as Error).message}` });
          continue;
        }
        const ok = validate(value) as boolean;
        if (kind === 'valid' && !ok) failures.push({ file: rel, reason: `should be valid but fails: ${formatSchemaErrors(validate.errors)}` });
        if (kind === 'invalid' && ok) failures.push({ file: rel, reason: 'should be invalid but validates' });
      }
    }
  }
  return { ok: failures.length === 0, checked, failures };
}
