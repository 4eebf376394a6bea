import { describe, expect, test } from 'vitest';
import { ProblemError } from '../../src/http/problem.js';
import { parseStrictJson } from '../../src/http/strict-json.js';

function refusal(text: string, maxDepth?: number): { type: string; errors?: { pointer: string }[] } {
  try {
    parseStrictJson(text, maxDepth);
  } catch (err) {
    expect(err).toBeInstanceOf(ProblemError);
    return (err as ProblemError).problem as { type: string; errors?: { pointer: string }[] };
  }
  throw new Error(`accepted: ${text}`);
}

describe('strict JSON bodies', () => {
  test('valid JSON parses to the same value as JSON.parse', () => {
    for (const text of ['{}', '[]', '"s"', '1', 'null', '{"a":[1,{"b":"x\\"}{,"}],"c":{"a":1}}', '[{"a":1},{"a":2}]', '{"\\\\":1,"\\"":2}']) {
      expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    }
  });

  test('duplicate member names are refused with the pointer of the second', () => {
    expect(refusal('{"a":1,"a":2}').errors?.[0]?.pointer).toBe('/a');
    expect(refusal('{"x":[{"y":1},{"y":2,"y":3}]}').errors?.[0]?.pointer).toBe('/x/1/y');
    expect(refusal('{"m":{"k/~":1,"k/~":2}}').errors?.[0]?.pointer).toBe('/m/k~1~0');
    // Escapes that decode to the same name are the same name.
    expect(refusal('{"a\\u0062":1,"ab":2}').type).toMatch(/validation-failed$/);
    // The same name in sibling objects is fine.
    expect(parseStrictJson('{"a":{"k":1},"b":{"k":2}}')).toEqual({ a: { k: 1 }, b: { k: 2 } });
  });

  test('nesting beyond the limit is refused before anything recursive runs', () => {
    expect(refusal(`${'['.repeat(100_000)}${']'.repeat(100_000)}`).type).toMatch(/validation-failed$/);
    expect(parseStrictJson('[[[1]]]', 3)).toEqual([[[1]]]);
    expect(refusal('[[[[1]]]]', 3).errors?.[0]?.pointer).toBe('/0/0/0');
  });

  test('text that is not JSON is malformed-json', () => {
    for (const text of ['', '{', '{"a":1,}', "{'a':1}", 'NaN', '{"a":1} x', '\u0000']) expect(refusal(text).type).toMatch(/malformed-json$/);
  });
});
