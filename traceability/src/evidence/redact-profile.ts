/**
 * Redacts secrets from a target profile before it goes into an evidence bundle. A bundle is
 * handed to auditors; tokens, passwords, client secrets and private keys must not travel with it.
 * What is redacted: the value of any key whose name ends in a secret word, JWT- and PEM-looking strings
 * anywhere, and the password of any URL. The redacted key paths are listed so auditors see
 * what was removed.
 */
import { parse, stringify } from 'yaml';

/** Replacement text for a removed secret. */
export const REDACTED = '[REDACTED]';

// The secret word ends the key name (`clientSecret`, `access_token`, `apiKey`), so settings *about*
// secrets (`tokenLifetimeSeconds`, `tokenUrl`) stay readable.
const SECRET_KEY = /(secret|password|passwd|passphrase|token|api[-_]?key|private[-_]?key|credentials?|authorization|cookie|bearer|signing[-_]?key|client[-_]?assertion)$/i;
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]+@/i;

/** Result of {@link redactProfile}. */
export interface RedactedProfile {
  /** The profile as YAML with secrets replaced. */
  readonly text: string;
  /** Paths (dot/bracket notation) of the values that were replaced. */
  readonly redacted: readonly string[];
}

function redactValue(value: unknown, path: string, hits: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => redactValue(v, `${path}[${i}]`, hits));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      // A reference such as `${TENANT_A_TOKEN}` names where a secret comes from; it is kept.
      const isReference = typeof v === 'string' && /^\$\{[A-Za-z0-9_:.-]+\}$/.test(v.trim());
      if (SECRET_KEY.test(k) && v !== null && typeof v !== 'object' && v !== '' && typeof v !== 'boolean' && !isReference) {
        hits.push(p);
        out[k] = REDACTED;
      } else {
        out[k] = redactValue(v, p, hits);
      }
    }
    return out;
  }
  if (typeof value === 'string') {
    if (JWT.test(value.trim()) || PEM.test(value)) {
      hits.push(path);
      return REDACTED;
    }
    if (URL_WITH_PASSWORD.test(value)) {
      hits.push(path);
      return value.replace(URL_WITH_PASSWORD, `$1:${REDACTED}@`);
    }
  }
  return value;
}

/** Redacts a YAML (or JSON) profile. Throws when the text is not YAML. */
export function redactProfile(text: string): RedactedProfile {
  const hits: string[] = [];
  const value = redactValue(parse(text) as unknown, '', hits);
  return { text: stringify(value, { lineWidth: 0 }), redacted: hits };
}
