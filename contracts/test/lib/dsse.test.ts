import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  DsseError,
  decodeBase64,
  ed25519PrivateKeyFromSeed,
  ed25519PublicKeyFromRaw,
  keyFingerprint,
  pae,
  parseEnvelope,
  signEnvelope,
  verifyEnvelope,
} from '../../lib/dsse.js';

interface Vector {
  id: string;
  envelope: unknown;
  trustedKeys: string[];
  threshold: number;
  supportedPayloadTypes: string[];
  pae: string;
  expect: 'accept' | 'reject';
}
interface Vectors {
  keys: Record<string, { seed: string; public: string }>;
  vectors: Vector[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/dsse-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

function publicKey(name: string) {
  const k = vectors.keys[name];
  if (!k) throw new Error(`no key ${name}`);
  return ed25519PublicKeyFromRaw(Buffer.from(k.public, 'hex'));
}

describe('DSSE PAE', () => {
  test('matches the protocol example byte for byte', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString('utf8')).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  // In 'payload-type-swapped' the vector's PAE is the one the signature covers (the original type),
  // not the PAE of the envelope as tampered, so it is left out here and checked as a rejection below.
  const paeVectors = vectors.vectors.filter((v) => v.id !== 'payload-type-swapped');
  test.each(paeVectors.map((v) => [v.id, v] as const))('matches the PAE of vector %s', (_id, v) => {
    const env = parseEnvelope(v.envelope);
    expect(pae(env.payloadType, decodeBase64(env.payload, 'payload')).toString('hex')).toBe(v.pae);
  });
});

describe('DSSE verification against the specification vectors', () => {
  test.each(vectors.vectors.map((v) => [v.id, v.expect, v] as const))('%s → %s', (_id, expected, v) => {
    const attempt = () =>
      verifyEnvelope(v.envelope, {
        trustedKeys: v.trustedKeys.map(publicKey),
        payloadTypes: v.supportedPayloadTypes,
        threshold: v.threshold,
      });
    if (expected === 'accept') expect(attempt().acceptedKeys.length).toBeGreaterThanOrEqual(v.threshold);
    else expect(attempt).toThrow(DsseError);
  });

  test('our signature over the first vector equals the published one (Ed25519 is deterministic)', () => {
    const seed = vectors.keys.A?.seed ?? '';
    const v = vectors.vectors[0] as Vector;
    const env = parseEnvelope(v.envelope);
    const ours = signEnvelope(env.payloadType, decodeBase64(env.payload, 'payload'), ed25519PrivateKeyFromSeed(Buffer.from(seed, 'hex')), {
      keyid: 'A',
    });
    expect(ours).toEqual(v.envelope);
  });
});

describe('DSSE sign/verify round trip', () => {
  const { privateKey, publicKey: pub } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const type = 'application/vnd.syncproof.test+json';
  const body = Buffer.from('{"a":1}');

  test('a signed envelope verifies and yields the payload', () => {
    const env = signEnvelope(type, body, privateKey);
    expect(env.signatures[0]?.keyid).toBe(keyFingerprint(pub));
    const out = verifyEnvelope(JSON.parse(JSON.stringify(env)), { trustedKeys: [pub], payloadTypes: [type] });
    expect(out.payload.equals(body)).toBe(true);
    expect(out.acceptedKeys).toEqual([keyFingerprint(pub)]);
  });

  test('PEM keys work as well as KeyObjects', () => {
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pubPem = pub.export({ type: 'spki', format: 'pem' }).toString();
    const env = signEnvelope(type, body, pem);
    expect(verifyEnvelope(env, { trustedKeys: [pubPem], payloadTypes: [type] }).payload.toString()).toBe('{"a":1}');
    expect(keyFingerprint(pubPem)).toBe(keyFingerprint(pub));
  });

  test('a flipped payload byte is refused with signature-invalid', () => {
    const env = signEnvelope(type, body, privateKey);
    const tampered = { ...env, payload: Buffer.from('{"a":2}').toString('base64') };
    expect(() => verifyEnvelope(tampered, { trustedKeys: [pub], payloadTypes: [type] })).toThrow(
      expect.objectContaining({ code: 'signature-invalid' }),
    );
  });

  test('another key is refused, whatever keyid claims', () => {
    const env = signEnvelope(type, body, other.privateKey, { keyid: keyFingerprint(pub) });
    expect(() => verifyEnvelope(env, { trustedKeys: [pub], payloadTypes: [type] })).toThrow(
      expect.objectContaining({ code: 'signature-invalid' }),
    );
  });

  test('an unsupported payload type is refused after the signature check', () => {
    const env = signEnvelope(type, body, privateKey);
    expect(() => verifyEnvelope(env, { trustedKeys: [pub], payloadTypes: ['application/other'] })).toThrow(
      expect.objectContaining({ code: 'payload-type-unsupported' }),
    );
  });

  test('malformed envelopes and base64 are refused with stable codes', () => {
    expect(() => parseEnvelope([])).toThrow(expect.objectContaining({ code: 'malformed-envelope' }));
    expect(() => parseEnvelope({ payload: '', payloadType: 't', signatures: [] })).toThrow(
      expect.objectContaining({ code: 'malformed-envelope' }),
    );
    expect(() => decodeBase64('ab$c', 'x')).toThrow(expect.objectContaining({ code: 'bad-base64' }));
    expect(() => decodeBase64('abcde', 'x')).toThrow(expect.objectContaining({ code: 'bad-base64' }));
  });

  test('non-Ed25519 keys are refused', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signEnvelope(type, body, ec.privateKey)).toThrow(expect.objectContaining({ code: 'unsupported-key' }));
  });
});
