import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { renderCtrf } from '../../src/report/render-ctrf.js';
import { FIXTURES, GENERATED_AT, fixtureModel } from './fixture-model.js';

// CTRF's published schema is JSON Schema draft-07: the default Ajv build.
const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateCtrf = ajv.compile(JSON.parse(readFileSync(`${FIXTURES}schemas/ctrf-schema-0.0.json`, 'utf8')) as object);

describe('ctrf.json', () => {
  const doc = renderCtrf(fixtureModel().results, GENERATED_AT);

  test('matches the golden file', async () => {
    await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot('../fixtures/golden/ctrf.json');
  });

  test('validates against the CTRF JSON schema', () => {
    const ok = validateCtrf(doc);
    expect(validateCtrf.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the schema check can fail: an unknown status is refused', () => {
    const bad = structuredClone(doc) as { results: { tests: { status: string }[] } };
    (bad.results.tests[0] as { status: string }).status = 'unknown';
    expect(validateCtrf(bad)).toBe(false);
  });

  test('maps verdicts and carries requirement IDs', () => {
    const results = doc.results as { summary: Record<string, number>; tests: Record<string, unknown>[] };
    expect(results.summary).toMatchObject({ tests: 7, passed: 4, failed: 1, skipped: 1, other: 1, pending: 0 });
    const unknown = results.tests.find((t) => t.testId === 'evt.one-event-per-applied');
    expect(unknown).toMatchObject({ status: 'other', rawStatus: 'unknown', tags: ['OFS-EVT-001'], labels: { requirements: ['OFS-EVT-001'] } });
  });
});
