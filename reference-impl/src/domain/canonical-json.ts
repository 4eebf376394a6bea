/**
 * Canonical JSON (RFC 8785 shape for the values the core produces: object keys sorted by UTF-16
 * code units, no whitespace, numbers and strings as ECMAScript serialises them). Fingerprints and
 * recorded outcomes use it, so a replay is byte-identical and two servers agree on a fingerprint.
 */

/** Serialises `value` canonically. Throws TypeError on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
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
      const obj = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is what RFC 8785 asks for.
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const v = obj[key];
        if (v === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(key) + ':' + canonicalJson(v);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
  }
}
