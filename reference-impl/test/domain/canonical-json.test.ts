/**
 * Canonical JSON (RFC 8785 shape): the exact bytes for the cases its fast paths special-case —
 * escapes at the edges of each escaped range, integer-like and `__proto__` keys, objects that are
 * not plain, and values JSON cannot represent.
 */
import { describe, expect, test } from 'vitest';
import { canonicalJson, quoteJson } from '../../src/domain/canonical-json.js';

describe('quoteJson', () => {
  test('is JSON.stringify for strings at the edges of every escaped range', () => {
    const samples = ['', 'plain', ' ', '\u001f', '\u0000', '\n', '"', '\\', '!', '#', '[', ']', '\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000', '\ud83d\ude00', 'a\ud800b', 'é€'];
    for (const s of samples) expect(quoteJson(s), JSON.stringify(s)).toBe(JSON.stringify(s));
  });

  test('escapes control characters, quotes, backslashes and lone surrogates', () => {
    expect(quoteJson('a\u001fb')).toBe('"a\\u001fb"');
    expect(quoteJson('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteJson('C:\\x')).toBe('"C:\\\\x"');
    expect(quoteJson('\ud800')).toBe('"\\ud800"');
    expect(quoteJson('\udfff')).toBe('"\\udfff"');
  });
});

describe('canonicalJson', () => {
  test('sorts keys by code unit at every level, skipping undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: undefined })).toBe('{}');
    expect(canonicalJson({ b: { x: 1 }, a: undefined, c: 2 })).toBe('{"b":{"x":1},"c":2}');
    expect(canonicalJson({ B: 1, a: 2, _: 3 })).toBe('{"B":1,"_":3,"a":2}');
  });

  test('already sorted flat and nested objects come out unchanged', () => {
    expect(canonicalJson({ a: 1, b: 'x', c: false, d: null })).toBe('{"a":1,"b":"x","c":false,"d":null}');
    expect(canonicalJson({ a: { b: 1 }, c: [2] })).toBe('{"a":{"b":1},"c":[2]}');
  });

  test('integer-like keys sort as strings, not in enumeration order', () => {
    expect(canonicalJson({ b: 1, 10: 'ten', 9: 'nine', a: 2 })).toBe('{"10":"ten","9":"nine","a":2,"b":1}');
    expect(canonicalJson({ z: 1, '0x': 2 })).toBe('{"0x":2,"z":1}');
  });

  test('an own __proto__ member is serialised as a member', () => {
    expect(canonicalJson(JSON.parse('{"z":1,"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2,"z":1}');
    expect(canonicalJson(JSON.parse('{"z":1,"__proto__":"p"}'))).toBe('{"__proto__":"p","z":1}');
  });

  test('objects without the plain prototype serialise their own enumerable members', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 'x' });
    expect(canonicalJson(bare)).toBe('{"a":"x","b":1}');
    class Point {
      constructor(
        readonly y: number,
        readonly x: number,
      ) {}
    }
    expect(canonicalJson(new Point(2, 1))).toBe('{"x":1,"y":2}');
  });

  test('flat objects escape their keys and values', () => {
    expect(canonicalJson({ 'b"': '\n', a: '\ud800' })).toBe('{"a":"\\ud800","b\\"":"\\n"}');
  });

  test('arrays keep order and write undefined as null', () => {
    expect(canonicalJson([3, undefined, 'a', [true]])).toBe('[3,null,"a",[true]]');
    expect(canonicalJson([])).toBe('[]');
  });

  test('numbers as ECMAScript prints them; non-finite numbers and other types are refused', () => {
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(0.1)).toBe('0.1');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson(null)).toBe('null');
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN, { a: Number.NEGATIVE_INFINITY }, { b: 1, a: Number.NaN }, [Number.NaN]]) {
      expect(() => canonicalJson(bad), String(bad)).toThrow(new TypeError('canonical JSON cannot represent a non-finite number'));
    }
    expect(() => canonicalJson(undefined)).toThrow(new TypeError('canonical JSON cannot represent a undefined'));
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ s: Symbol('s') })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});

describe('canonicalJson corner cases of the fast paths', () => {
  test('a member named "undefined" is an ordinary member', () => {
    expect(canonicalJson({ undefined: 1, z: { a: 1 } })).toBe('{"undefined":1,"z":{"a":1}}');
  });

  test('integer-like keys with the same leading digit sort as strings', () => {
    expect(canonicalJson({ z: 1, 91: 1, 900: 2 })).toBe('{"900":2,"91":1,"z":1}');
  });

  test('an object whose prototype has toJSON is serialised by its own members', () => {
    class Tagged {
      constructor(readonly b: number) {}
      toJSON(): string {
        return 'tagged';
      }
    }
    expect(canonicalJson(new Tagged(1))).toBe('{"b":1}');
    expect(canonicalJson({ z: new Tagged(2), a: 1 })).toBe('{"a":1,"z":{"b":2}}');
  });
});
