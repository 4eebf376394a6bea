/**
 * Strict JSON request bodies: RFC 8259 text that parses, without duplicate member names (RFC 8259
 * §4 leaves their meaning open, and a parser that keeps the last of two `tenantId`s is a smuggling
 * vector) and without absurd nesting (checked before anything recursive touches the value).
 * Anything else is a 400 problem naming where it went wrong.
 */
import { ProblemError } from './problem.js';

/** Deepest nesting accepted in a whole body. Payload limits (32, TR §12) are checked by the core. */
export const MAX_BODY_DEPTH = 64;

function escapeToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

// One pass over text that JSON.parse already accepted: track containers, compare member names per
// object, and measure depth. Strings are skipped with indexOf; only names containing a backslash
// are decoded (rare); pointers are built only when something is wrong.
function scan(text: string, maxDepth: number): void {
  const keys: (Set<string> | null)[] = [];
  // Per open container: the current member name (objects) or element index (arrays).
  const at: (string | number)[] = [];
  const pointer = (upTo: number) =>
    at
      .slice(0, upTo)
      .map((k) => `/${typeof k === 'number' ? k : escapeToken(k)}`)
      .join('');
  let expectKey = false;
  const anyBackslash = text.includes('\\');
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (keys.length >= maxDepth) {
        throw ProblemError.of('validation-failed', `JSON nesting deeper than ${maxDepth} levels`, {
          errors: [{ pointer: pointer(at.length), detail: `nesting deeper than ${maxDepth} levels` }],
        });
      }
      keys.push(c === 0x7b ? new Set() : null);
      at.push(c === 0x7b ? '' : 0);
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      keys.pop();
      at.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = keys.length - 1;
      if (keys[top] === null) at[top] = (at[top] as number) + 1;
      else expectKey = true;
    } else if (c === 0x22 /* " */) {
      // Jump to the closing quote: the next `"` not preceded by an odd run of backslashes.
      const start = i;
      for (;;) {
        i = text.indexOf('"', i + 1);
        let slashes = 0;
        while (text.charCodeAt(i - 1 - slashes) === 0x5c) slashes += 1;
        if (slashes % 2 === 0) break;
      }
      if (expectKey) {
        let escaped = false;
        if (anyBackslash) for (let j = start + 1; j < i && !escaped; j += 1) escaped = text.charCodeAt(j) === 0x5c;
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
        const top = keys.length - 1;
        const set = keys[top]!;
        if (set.has(key)) {
          at[top] = key;
          throw ProblemError.of('validation-failed', `duplicate member name '${key}'`, {
            errors: [{ pointer: pointer(at.length), detail: 'duplicate member name' }],
          });
        }
        set.add(key);
        at[top] = key;
        expectKey = false;
      }
    }
  }
}

/**
 * Parses a request body. Throws {@link ProblemError}: `malformed-json` (400) for text that is not
 * JSON, `validation-failed` (400) for duplicate member names or nesting beyond `maxDepth`.
 */
export function parseStrictJson(text: string, maxDepth: number = MAX_BODY_DEPTH): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // The position in V8's message helps the client; the message holds no server internals.
    const detail = err instanceof SyntaxError ? err.message : 'body is not valid JSON';
    throw ProblemError.of('malformed-json', `request body is not valid JSON: ${detail}`);
  }
  if (typeof value === 'object' && value !== null) scan(text, maxDepth);
  return value;
}
