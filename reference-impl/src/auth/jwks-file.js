/**
 * Reads a public JWKS from a file (`syncproof serve --jwks-file`): the way to make a served
 * reference trust the signing key a target profile holds, without running an identity provider.
 * A file with private key members is refused — the server only ever needs the public half, and a
 * private key passed here by mistake should not quietly work.
 */
import { readFileSync } from 'node:fs';
/** Why a JWKS file cannot be used (stable `code`, message names the file). */
export class JwksFileError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = 'JwksFileError';
    }
}
/** JWK members that only private (or symmetric) keys carry (RFC 7518 §6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
/** Parses and checks JWKS text; `source` names it in errors. */
export function parseJwks(text, source) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (err) {
        throw new JwksFileError('jwks-file-invalid', `${source} is not JSON: ${err.message}`);
    }
    const keys = doc?.keys;
    if (!Array.isArray(keys) || keys.length === 0) {
        throw new JwksFileError('jwks-file-invalid', `${source} must be a JWK set: an object with a non-empty "keys" array`);
    }
    keys.forEach((key, i) => {
        if (typeof key !== 'object' || key === null || typeof key.kty !== 'string') {
            throw new JwksFileError('jwks-file-invalid', `${source}: keys[${i}] is not a JWK (no "kty")`);
        }
        const secret = PRIVATE_MEMBERS.find((m) => Object.hasOwn(key, m));
        if (secret) {
            throw new JwksFileError('jwks-file-private', `${source}: keys[${i}] has private member "${secret}"; give the public JWKS, never the private key`);
        }
    });
    // Only `keys` is kept: other top-level members (comments) mean nothing to a verifier.
    return { keys: keys };
}
/** Reads a public JWKS file. Throws {@link JwksFileError}. */
export function readJwksFile(path) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (err) {
        throw new JwksFileError('jwks-file-unreadable', `cannot read JWKS file '${path}': ${err.code ?? err.message}`);
    }
    return parseJwks(text, `JWKS file '${path}'`);
}
