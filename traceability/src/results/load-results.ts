/**
 * Reads and validates a `results.json` against `contracts/schemas/results.schema.json`, so the
 * renderers only ever see well-formed results whoever wrote them.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import type { ResultsDocument } from './results-format.js';

/** A results file that cannot be used; the message names the file and the first problems. */
export class ResultsError extends Error {
  override name = 'ResultsError';
}

/** Location of the JSON Schema of the results format. */
export const RESULTS_SCHEMA_URL = new URL('../../../contracts/schemas/results.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats.default(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(RESULTS_SCHEMA_URL, 'utf8')) as object);
  }
  return validator;
}

/** Validates decoded JSON; throws {@link ResultsError} listing up to five schema violations. */
export function parseResults(value: unknown, source = 'results.json'): ResultsDocument {
  const check = validate();
  if (!check(value)) {
    const problems = (check.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    throw new ResultsError(`${source}: not a valid results document: ${problems}`);
  }
  return value as ResultsDocument;
}

/** Reads, decodes and validates a results file. */
export function loadResults(path: string): ResultsDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ResultsError(`${path}: cannot read: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ResultsError(`${path}: not JSON: ${(err as Error).message}`);
  }
  return parseResults(value, path);
}
