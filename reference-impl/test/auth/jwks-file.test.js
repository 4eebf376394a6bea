import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importJWK, SignJWT } from 'jose';
import { afterAll, describe, expect, test } from 'vitest';
import { JwksFileError, parseJwks, readJwksFile } from '../../src/auth/jwks-file.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { readFileSync } from 'node:fs';
const dir = mkdtempSync(join(tmpdir(), 'syncproof-jwks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PROFILES = fileURLToPath(new URL('../../../conformance/profiles/', import.meta.url));
function codeOf(fn) {
    try {
        fn();
    }
    catch (err) {
        if (err instanceof JwksFileError)
            return err.code;
        throw err;
    }
    return undefined;
}
describe('JWKS file', () => {
    test('the reference profile\'s dev key pair: the committed JWKS verifies tokens signed with the committed private key', async () => {
        const jwks = readJwksFile(join(PROFILES, 'reference.dev-jwks.json'));
        expect(Object.keys(jwks)).toEqual(['keys']);
        const priv = JSON.parse(readFileSync(join(PROFILES, 'reference.dev-key.json'), 'utf8'));
        const key = await importJWK(priv, 'EdDSA');
        const token = await new SignJWT({ tenant_id: 't1', roles: ['clinician'] })
            .setProtectedHeader({ alg: 'EdDSA', kid: priv.kid })
            .setIssuer('urn:syncproof:reference-dev')
            .setAudience('syncproof-clinic')
            .setSubject('alice')
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(key);
        const verifier = createTokenVerifier({ jwks: { kind: 'local', jwks }, issuer: 'urn:syncproof:reference-dev' });
        expect(await verifier.verify(`Bearer ${token}`)).toEqual({ tenantId: 't1', actorId: 'alice', roles: ['clinician'] });
    });
    test('missing, non-JSON, key-less and private files are refused with a stable code', () => {
        expect(codeOf(() => readJwksFile(join(dir, 'nope.json')))).toBe('jwks-file-unreadable');
        expect(codeOf(() => parseJwks('{', 'x'))).toBe('jwks-file-invalid');
        expect(codeOf(() => parseJwks('{"keys":[]}', 'x'))).toBe('jwks-file-invalid');
        expect(codeOf(() => parseJwks('{"keys":[{"x":"1"}]}', 'x'))).toBe('jwks-file-invalid');
        const privateFile = join(dir, 'private.json');
        writeFileSync(privateFile, JSON.stringify({ keys: [JSON.parse(readFileSync(join(PROFILES, 'reference.dev-key.json'), 'utf8'))] }));
        expect(codeOf(() => readJwksFile(privateFile))).toBe('jwks-file-private');
    });
});
