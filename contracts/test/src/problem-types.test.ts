import { describe, expect, test } from 'vitest';
import { bundleOpenApi } from '../../src/bundle-openapi.js';
import { PROBLEM_NAMES, PROBLEM_TYPE_URIS, PROBLEM_TYPES, problemTypeByUri } from '../../src/problem-types.js';
import { validatorFor } from '../../src/schema-registry.js';

type Json = Record<string, unknown>;

describe('problem types', () => {
  test('the typed list equals the OpenAPI Problem.type enum, in order', () => {
    const doc = bundleOpenApi();
    const problem = ((doc.components as Json).schemas as Json).Problem as Json;
    const typeEnum = ((problem.properties as Json).type as Json).enum;
    expect(typeEnum).toEqual([...PROBLEM_TYPE_URIS]);
  });

  test('the list has the 27 names of TR §11.1 and every URI is under the problems base', () => {
    expect(PROBLEM_NAMES).toHaveLength(27);
    expect(new Set(PROBLEM_NAMES).size).toBe(27);
    for (const p of PROBLEM_TYPES) expect(p.uri).toBe(`https://syncproof.dev/problems/${p.name}`);
    expect(problemTypeByUri('https://syncproof.dev/problems/out-of-order')?.status).toBe(409);
    expect(problemTypeByUri('about:blank')).toBeUndefined();
  });

  test('problem.schema.json accepts exactly the statuses the list allows for each type', () => {
    const validate = validatorFor('problem');
    const extras: Record<string, Json> = {
      'out-of-order': { expectedSeq: 1 },
      'precondition-failed': { currentVersion: 1 },
      'insufficient-stock': { available: 0 },
      'validation-failed': { errors: [{ pointer: '/x', detail: 'bad' }] },
    };
    for (const p of PROBLEM_TYPES) {
      for (let status = 400; status <= 599; status += 1) {
        const ok = validate({ type: p.uri, title: 't', status, ...(extras[p.name] ?? {}) });
        expect(ok, `${p.name} with ${status}`).toBe(p.statuses.includes(status));
      }
    }
  });
});
