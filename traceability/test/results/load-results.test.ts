import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseResults, ResultsError } from '../../src/results/load-results.js';
import { countTests, normalizeResults, serializeResults, type ResultsDocument } from '../../src/results/results-format.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/results/run-basic/results.json', import.meta.url), 'utf8'),
) as ResultsDocument;

interface MutableTest {
  verifies: string[];
  verdict: string;
  failure?: { evidence: { path?: string }[] };
  [key: string]: unknown;
}
interface MutableDoc {
  format: string;
  run: { startedAt: string };
  tests: MutableTest[];
}

function mutated(change: (doc: MutableDoc) => void): unknown {
  const copy = structuredClone(fixture) as unknown as MutableDoc;
  change(copy);
  return copy;
}

describe('results format', () => {
  test('the fixture run is a valid results document', () => {
    expect(parseResults(fixture).tests).toHaveLength(7);
    expect(countTests(fixture.tests)).toEqual({ tests: 7, pass: 4, fail: 1, unknown: 1, skipped: 1 });
  });

  test.each([
    ['a failed test without its failure', (d: MutableDoc) => delete d.tests[2]!.failure, /\/tests\/2 must have required property 'failure'/],
    ['an unknown test without its failure', (d: MutableDoc) => delete d.tests[4]!.failure, /\/tests\/4 must have required property 'failure'/],
    ['a malformed requirement ID', (d: MutableDoc) => (d.tests[0]!.verifies = ['IDEM-2']), /\/tests\/0\/verifies\/0 must match pattern/],
    ['an unknown verdict', (d: MutableDoc) => (d.tests[0]!.verdict = 'passed'), /\/tests\/0\/verdict must be equal to one of the allowed values/],
    ['an unknown property', (d: MutableDoc) => (d.tests[0]!.colour = 'red'), /must NOT have additional properties/],
    ['a bad timestamp', (d: MutableDoc) => (d.run.startedAt = 'yesterday'), /\/run\/startedAt must match format "date-time"/],
    ['an evidence path escaping the directory', (d: MutableDoc) => (d.tests[2]!.failure!.evidence[1]!.path = '../secrets'), /evidence\/1\/path must match pattern/],
    ['another format', (d: MutableDoc) => (d.format = 'junit'), /\/format must be equal to constant/],
  ])('refuses %s, naming the place', (_name, change, message) => {
    expect(() => parseResults(mutated(change), 'r.json')).toThrow(ResultsError);
    expect(() => parseResults(mutated(change), 'r.json')).toThrow(message);
  });

  test('serialization is canonical: sorted tests and IDs, stable bytes', () => {
    const shuffled = { ...fixture, tests: [...fixture.tests].reverse().map((t) => ({ ...t, verifies: [...t.verifies].reverse() })) };
    expect(serializeResults(shuffled)).toBe(serializeResults(fixture));
    expect(normalizeResults(fixture).tests.map((t) => t.id)).toEqual([...fixture.tests.map((t) => t.id)].sort());
  });
});
