/**
 * Reads a public JWKS from a file (`syncproof serve --jwks-file`): the way to make a served
 * reference trust the signing key a target profile holds, without running an identity provider.
 * A file with private key members is refused — the server only ever needs the public half, and a
 * private key passed here by mistake should not quietly work.
 */
import { readFileSync } from 'node:fs';
import type { JSONWebKeySet, JWK } from 'jose';

/** Why a JWKS file cannot be used (stable `code`, message names the file). */
export class JwksFileError extends Error {
  constructor(
    readonly code: 'jwks-file-unreadable' | 'jwks-file-invalid' | 'jwks-file-private',
    message: string,
  ) {
    super(message);
    this.name = 'JwksFileError';
  }
}

/** JWK members that only private (or symmetric) keys carry (RFC 7518 §6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Parses and checks JWKS text; `source` names it in errors. */
export function parseJwks(text: string, source: string): JSONWebKeySet {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new JwksFileError('jwks-file-invalid', `${source} is not JSON: ${(err as Error).message}`);
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new JwksFileError('jwks-file-invalid', `${source} must be a JWK set: an object with a non-empty "keys" array`);
  }
  keys.forEach((key: unknown, i) => {
    if (typeof key !== 'object' || key === null || typeof (key as JWK).kty !== 'string') {
      throw new JwksFileError('jwks-file-invalid', `${source}: keys[${i}] is not a JWK (no "kty")`);
    }
    const secret = PRIVATE_MEMBERS.find((m) => Object.hasOwn(key, m));
    if (secret) {
      throw new JwksFileError('jwks-file-private', `${source}: keys[${i}] has private member "${secret}"; give the public JWKS, never the private key`);
    }
  });
  // Only `keys` is kept: other top-level members (comments) mean nothing to a verifier.
  return { keys: keys as JWK[] };
}

/** Reads a public JWKS file. Throws {@link JwksFileError}. */
export function readJwksFile(path: string): JSONWebKeySet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new JwksFileError('jwks-file-unreadable', `cannot read JWKS file '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseJwks(text, `JWKS file '${path}'`);
}
