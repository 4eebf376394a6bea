/**
 * The shared validators: RFC 3339 date-times and calendar dates, text, and the TR §12 size limits
 * with RFC 6901 pointers to the first violation.
 */
import { describe, expect, test } from 'vitest';
import { checkLimits, escapePointer, isDate, isDateTime, isInt, isObject, isText, unknownKeys } from '../../src/domain/validate.js';

describe('isDateTime', () => {
  test('accepts RFC 3339 date-times with Z or an offset and optional fractions', () => {
    for (const v of ['2026-01-01T00:00:00Z', '2026-12-31t23:59:60z', '2026-01-01T10:00:00.5+01:00', '2026-02-28T12:30:00-23:59', '2026-01-31T19:00:00.123456Z']) {
      expect(isDateTime(v), v).toBe(true);
      expect(isDateTime(v), `${v} (again)`).toBe(true);
    }
  });

  test('refuses dates, bad fields, non-strings and anything longer than 64 characters', () => {
    for (const v of ['2026-01-01', '2026-13-01T00:00:00Z', '2026-01-32T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:61Z', '2026-01-01T00:00:00', '2026-01-01T00:00:00+24:00', '2026-01-01 00:00:00Z', ' 2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z ']) {
      expect(isDateTime(v), v).toBe(false);
    }
    expect(isDateTime('2026-01-01T00:00:00.' + '1'.repeat(43) + 'Z')).toBe(true);
    expect(isDateTime('2026-01-01T00:00:00.' + '1'.repeat(44) + 'Z')).toBe(false);
    expect(isDateTime(20260101)).toBe(false);
    expect(isDateTime(null)).toBe(false);
  });
});

describe('isDate', () => {
  test('accepts dates that exist in the calendar', () => {
    for (const v of ['2024-02-29', '2026-12-31', '2026-01-01', '2000-02-29']) expect(isDate(v), v).toBe(true);
  });

  test('reads years 0000–0099 as themselves (RFC 3339 full-date), not as 1900–1999', () => {
    for (const v of ['0001-01-01', '0099-12-31', '0004-02-29', '0000-02-29']) expect(isDate(v), v).toBe(true);
    // 1900 is not a leap year, but year 0 and year 4 are: only a 19xx reading would refuse these.
    expect(isDate('0001-02-29')).toBe(false);
  });

  test('refuses impossible dates and other shapes', () => {
    for (const v of ['2026-02-29', '1900-02-29', '2026-04-31', '2026-00-10', '2026-13-01', '2026-01-00', '2026-1-01', '26-01-01', '2026-01-01T00:00:00Z', '']) expect(isDate(v), v).toBe(false);
    expect(isDate(20260101)).toBe(false);
  });
});

describe('scalars', () => {
  test('isInt is a safe integer; isObject a non-array object; isText 1..max with some non-space', () => {
    expect([isInt(3), isInt(-3), isInt(3.5), isInt(2 ** 53), isInt('3')]).toEqual([true, true, false, false, false]);
    expect([isObject({}), isObject([]), isObject(null), isObject('x')]).toEqual([true, false, false, false]);
    expect([isText('a', 1), isText('ab', 1), isText('', 5), isText('  ', 5), isText(' a ', 3), isText(5, 5)]).toEqual([true, false, false, false, true, false]);
  });
});

describe('checkLimits', () => {
  test('passes values within depth and string limits', () => {
    expect(checkLimits({ a: { b: ['x'.repeat(5)] } }, 3, 5)).toBeUndefined();
    expect(checkLimits('x'.repeat(5), 1, 5)).toBeUndefined();
    expect(checkLimits(42, 0, 0)).toBeUndefined();
    expect(checkLimits(null, 0, 0)).toBeUndefined();
  });

  test('names the first string longer than the limit', () => {
    expect(checkLimits({ a: 'ok', b: ['x', 'xxxxxx'] }, 5, 5, '/payload')).toEqual({ pointer: '/payload/b/1', detail: 'string longer than 5 characters' });
    expect(checkLimits('xxxxxx', 5, 5)).toEqual({ pointer: '', detail: 'string longer than 5 characters' });
  });

  test('names a key longer than the limit at its object', () => {
    expect(checkLimits({ a: { longkey: 1 } }, 5, 5)).toEqual({ pointer: '/a', detail: 'key longer than 5 characters' });
  });

  test('names the first object or array nested deeper than the limit', () => {
    expect(checkLimits({ a: { b: {} } }, 2, 10)).toEqual({ pointer: '/a/b', detail: 'nesting deeper than 2 levels' });
    expect(checkLimits([[[]]], 2, 10)).toEqual({ pointer: '/0/0', detail: 'nesting deeper than 2 levels' });
    expect(checkLimits({ a: { b: 'deep string is fine' } }, 2, 100)).toBeUndefined();
    expect(checkLimits({ a: [1, 2] }, 2, 10)).toBeUndefined();
  });

  test('escapes ~ and / in the pointer', () => {
    expect(checkLimits({ 'a/b': { 'c~d': 'xxxxxx' } }, 5, 5)).toEqual({ pointer: '/a~1b/c~0d', detail: 'string longer than 5 characters' });
  });
});

describe('escapePointer and unknownKeys', () => {
  test('escapePointer follows RFC 6901 (~ first, then /)', () => {
    expect(escapePointer('plain')).toBe('plain');
    expect(escapePointer('a~/b')).toBe('a~0~1b');
    expect(escapePointer('~1')).toBe('~01');
    expect(escapePointer('x/y/z')).toBe('x~1y~1z');
  });

  test('unknownKeys names each key outside the allowed set under the base pointer', () => {
    expect(unknownKeys({ a: 1, b: 2, 'c/d': 3 }, new Set(['a']), '/base')).toEqual([
      { pointer: '/base/b', detail: 'unknown field' },
      { pointer: '/base/c~1d', detail: 'unknown field' },
    ]);
    expect(unknownKeys({ a: 1 }, new Set(['a']))).toEqual([]);
    expect(unknownKeys({ z: 1 }, new Set())).toEqual([{ pointer: '/z', detail: 'unknown field' }]);
  });
});

describe('checkLimits edge cases', () => {
  test('maxDepth 0 refuses any object or array at the root', () => {
    expect(checkLimits({ a: 1 }, 0, 10)).toEqual({ pointer: '', detail: 'nesting deeper than 0 levels' });
    expect(checkLimits([], 0, 10)).toEqual({ pointer: '', detail: 'nesting deeper than 0 levels' });
  });

  test('a long key first at the root is named', () => {
    expect(checkLimits({ longkey: 1 }, 5, 5)).toEqual({ pointer: '', detail: 'key longer than 5 characters' });
  });

  test('an array of only oversized strings is named at its first element', () => {
    expect(checkLimits(['xxxxxx', 'yyyyyy'], 5, 5)).toEqual({ pointer: '/0', detail: 'string longer than 5 characters' });
  });

  test('strings and keys of exactly the limit pass; the first real violation is named', () => {
    expect(checkLimits({ a: 'xxxxx', b: 'xxxxxx' }, 5, 5)).toEqual({ pointer: '/b', detail: 'string longer than 5 characters' });
    expect(checkLimits({ abcde: 1, x: 'xxxxxx' }, 5, 5)).toEqual({ pointer: '/x', detail: 'string longer than 5 characters' });
  });

  test('scalars nested at the depth limit are not nesting', () => {
    expect(checkLimits({ a: { b: null, d: 5, e: true }, c: 'x'.repeat(11) }, 2, 10)).toEqual({ pointer: '/c', detail: 'string longer than 10 characters' });
  });
});

describe('validators given arrays', () => {
  test('an array is neither a date nor text', () => {
    expect(isDate(['2024-02-29'])).toBe(false);
    expect(isText(['abc'], 5)).toBe(false);
    expect(isDateTime(['2026-01-01T00:00:00Z'])).toBe(false);
  });
});
