/**
 * Canonical JSON (RFC 8785 shape for the values the core produces: object keys sorted by UTF-16
 * code units, no whitespace, numbers and strings as ECMAScript serialises them). Fingerprints and
 * recorded outcomes use it, so a replay is byte-identical and two servers agree on a fingerprint.
 *
 * This runs for every pushed mutation (the fingerprint covers the payload), so it avoids the two
 * costs that dominated a naive version: sorting keys that are already in order (payloads parsed
 * from canonical text, or built by a client in a fixed order, usually are) and calling
 * `JSON.stringify` on strings that need no escaping.
 */

/** Serialises `value` canonically. Throws TypeError on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quoteJson(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot represent a non-finite number');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          out += item === undefined ? 'null' : canonicalJson(item);
        }
        return out + ']';
      }
      return objectJson(value as Record<string, unknown>);
    }
    default:
      throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
  }
}

function objectJson(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  // Default sort compares UTF-16 code units, which is what RFC 8785 asks for; the relational
  // operators compare the same way, so an already ordered key list is left as it is.
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      sorted = false;
      break;
    }
  }
  // Fast path for a flat plain object (every payload the clinic module accepts): the engine's
  // JSON.stringify writes one flat string, where concatenation built (and dropped) a dozen
  // pieces. It prints exactly the canonical form when the members are enumerated in code-unit
  // order and every value is a string, finite number, boolean, null or undefined (skipped by
  // both). A copy in sorted order is enumerated in that order unless a key is integer-like
  // (enumerated first) or `__proto__` (an assignment would set the prototype).
  if (isFlatPlain(obj, keys)) {
    if (sorted) return JSON.stringify(obj);
    keys.sort();
    if (copyable(keys)) {
      const copy: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) copy[keys[i] as string] = obj[keys[i] as string];
      return JSON.stringify(copy);
    }
  } else if (!sorted) keys.sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = obj[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += quoteJson(key) + ':' + canonicalJson(v);
  }
  return out + '}';
}

/** A plain object whose values JSON.stringify prints as canonicalJson does (no nesting). */
function isFlatPlain(obj: Record<string, unknown>, keys: readonly string[]): boolean {
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) return false;
  for (let i = 0; i < keys.length; i++) {
    const v = obj[keys[i] as string];
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'undefined':
        break;
      case 'number':
        if (!Number.isFinite(v)) return false;
        break;
      case 'object':
        if (v !== null) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether an object built by assigning `keys` in order enumerates them in that order. */
function copyable(keys: readonly string[]): boolean {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const c = key.charCodeAt(0);
    if ((c >= 48 && c <= 57) || key === '__proto__') return false;
  }
  return true;
}

/**
 * `JSON.stringify(s)` for a string: quotes added directly when nothing needs escaping (control
 * characters, `"`, `\` and surrogates — lone ones are escaped by well-formed JSON.stringify).
 */
export function quoteJson(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}
