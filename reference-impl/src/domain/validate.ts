/**
 * Small, allocation-light validators shared by the push envelope check and the module payload
 * rules. They never throw on any JSON value: they return field errors with JSON pointers.
 */
import type { JsonObject } from '../ports/records.js';
import type { FieldError } from './module.js';

/** Whether `v` is a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The last string that passed {@link isDateTime}: a batch usually repeats a capture time. */
let lastDateTime: string | undefined;

/** RFC 3339 date-time. */
export function isDateTime(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  if (v === lastDateTime) return true;
  if (v.length > 64 || !DATE_TIME.test(v)) return false;
  lastDateTime = v;
  return true;
}

/** RFC 3339 full-date (YYYY-MM-DD) that exists in the calendar. */
export function isDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = DATE.exec(v);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, d);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Integer within the safe range. */
export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** Non-empty string of at most `max` characters with some non-whitespace. */
export function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= max && v.trim().length > 0;
}

/**
 * Checks nesting depth and string sizes of a JSON value (TR §12): depth ≤ `maxDepth`, every string
 * (and key) ≤ `maxString` characters. Returns the pointer of the first violation, or undefined.
 */
export function checkLimits(value: unknown, maxDepth: number, maxString: number, pointer = ''): FieldError | undefined {
  // Every pushed payload passes; build JSON pointers (a string per key) only for one that fails.
  return withinLimits(value, 1, maxDepth, maxString) ? undefined : walk(value, 1, maxDepth, maxString, pointer);
}

/** {@link walk} without pointers: whether `value` is within the limits. */
function withinLimits(value: unknown, depth: number, maxDepth: number, maxString: number): boolean {
  if (typeof value === 'string') return value.length <= maxString;
  if (typeof value !== 'object' || value === null) return true;
  if (depth > maxDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!withinLimits(value[i], depth + 1, maxDepth, maxString)) return false;
    return true;
  }
  for (const key in value) {
    if (key.length > maxString) return false;
    if (!withinLimits((value as Record<string, unknown>)[key], depth + 1, maxDepth, maxString)) return false;
  }
  return true;
}

function walk(value: unknown, depth: number, maxDepth: number, maxString: number, pointer: string): FieldError | undefined {
  if (typeof value === 'string') {
    return value.length > maxString ? { pointer, detail: `string longer than ${maxString} characters` } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > maxDepth) return { pointer, detail: `nesting deeper than ${maxDepth} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const e = walk(value[i], depth + 1, maxDepth, maxString, `${pointer}/${i}`);
      if (e) return e;
    }
    return undefined;
  }
  for (const key in value) {
    if (key.length > maxString) return { pointer, detail: `key longer than ${maxString} characters` };
    const e = walk((value as Record<string, unknown>)[key], depth + 1, maxDepth, maxString, `${pointer}/${escapePointer(key)}`);
    if (e) return e;
  }
  return undefined;
}

/** Escapes a key for a JSON pointer (RFC 6901). */
export function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

/** Field errors for keys of `obj` outside `allowed`. */
export function unknownKeys(obj: JsonObject, allowed: ReadonlySet<string>, base = ''): FieldError[] {
  const errors: FieldError[] = [];
  for (const key in obj) {
    if (!allowed.has(key)) errors.push({ pointer: `${base}/${escapePointer(key)}`, detail: 'unknown field' });
  }
  return errors;
}
