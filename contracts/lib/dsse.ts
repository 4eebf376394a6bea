/**
 * DSSE v1 (Dead Simple Signing Envelope, secure-systems-lab/dsse `protocol.md` and `envelope.md`)
 * with Ed25519 from `node:crypto`. Generic on purpose: it signs a payloadType and payload bytes
 * and knows nothing of what they mean, so the evidence manifest of the traceability reports and the
 * offline audit envelopes of devices (DESIGN D12) share one implementation.
 *
 * Verification follows the protocol's order: decode, verify the signature over
 * PAE(payloadType, payload), only then check the payload type; the caller parses the payload
 * after {@link verifyEnvelope} returns. `keyid` is an unauthenticated hint and is never used to
 * decide trust: every trusted key is tried.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** One signature of an envelope. */
export interface DsseSignature {
  /** Signature over PAE(payloadType, payload), base64 (standard or URL-safe). */
  readonly sig: string;
  /** Optional, unauthenticated hint naming the key. */
  readonly keyid?: string;
}

/** The DSSE JSON envelope. */
export interface DsseEnvelope {
  /** Base64 (standard or URL-safe) of the serialized body. */
  readonly payload: string;
  /** Media type or URI saying how to read the payload; authenticated by the signature. */
  readonly payloadType: string;
  readonly signatures: readonly DsseSignature[];
}

/** What a successful verification yields. */
export interface VerifiedEnvelope {
  readonly payloadType: string;
  /** The decoded payload bytes; parse them according to `payloadType`. */
  readonly payload: Buffer;
  /** Fingerprints ({@link keyFingerprint}) of the trusted keys whose signatures verified. */
  readonly acceptedKeys: readonly string[];
}

/** Stable reasons an envelope is refused. */
export type DsseErrorCode =
  | 'malformed-envelope'
  | 'bad-base64'
  | 'signature-invalid'
  | 'threshold-not-met'
  | 'payload-type-unsupported'
  | 'unsupported-key';

/** An envelope that must not be trusted, or a key that cannot be used. */
export class DsseError extends Error {
  override name = 'DsseError';
  constructor(
    readonly code: DsseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const PAE_PREFIX = 'DSSEv1';
// Standard and URL-safe alphabets (DSSE: verifiers MUST accept either), optional padding.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Pre-Authentication Encoding:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN being the decimal byte length.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`${PAE_PREFIX} ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${payload.length} `, 'ascii'),
    payload,
  ]);
}

/** Decodes standard or URL-safe base64; throws {@link DsseError} `bad-base64` on anything else. */
export function decodeBase64(text: string, what: string): Buffer {
  const unpadded = text.replace(/=+$/, '');
  if (!BASE64.test(text) || unpadded.length % 4 === 1) {
    throw new DsseError('bad-base64', `${what} is not valid base64`);
  }
  return Buffer.from(text, 'base64');
}

function asKey(key: KeyObject | string | Buffer, kind: 'private' | 'public'): KeyObject {
  const obj =
    typeof key === 'string' || Buffer.isBuffer(key)
      ? kind === 'private'
        ? createPrivateKey(key)
        : createPublicKey(key)
      : key.type === 'private' && kind === 'public'
        ? createPublicKey(key)
        : key;
  if (obj.asymmetricKeyType !== 'ed25519') {
    throw new DsseError('unsupported-key', `only Ed25519 keys are supported, got ${obj.asymmetricKeyType ?? obj.type}`);
  }
  return obj;
}

/**
 * Fingerprint of a public (or private) Ed25519 key: `sha256:` + hex SHA-256 of its SPKI DER
 * encoding. Stable across PEM formatting, so auditors can compare it out of band.
 */
export function keyFingerprint(key: KeyObject | string | Buffer): string {
  const pub = asKey(key, 'public');
  const der = pub.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/**
 * Signs `payload` as `payloadType` and returns a one-signature envelope. `keyid` defaults to the
 * key's {@link keyFingerprint}; pass `null` to omit it.
 */
export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  privateKey: KeyObject | string | Buffer,
  options: { readonly keyid?: string | null } = {},
): DsseEnvelope {
  const key = asKey(privateKey, 'private');
  if (key.type !== 'private') throw new DsseError('unsupported-key', 'signing needs a private key');
  const sig = sign(null, pae(payloadType, payload), key).toString('base64');
  const id = options.keyid === undefined ? keyFingerprint(key) : options.keyid;
  return {
    payload: Buffer.from(payload).toString('base64'),
    payloadType,
    signatures: [id === null ? { sig } : { sig, keyid: id }],
  };
}

/** Checks the JSON shape of an envelope (decoded JSON, not text). Throws `malformed-envelope`. */
export function parseEnvelope(value: unknown): DsseEnvelope {
  const v = value as Partial<Record<string, unknown>> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new DsseError('malformed-envelope', 'envelope must be a JSON object');
  }
  if (typeof v.payload !== 'string') throw new DsseError('malformed-envelope', 'envelope.payload must be a string');
  if (typeof v.payloadType !== 'string') throw new DsseError('malformed-envelope', 'envelope.payloadType must be a string');
  if (!Array.isArray(v.signatures) || v.signatures.length === 0) {
    throw new DsseError('malformed-envelope', 'envelope.signatures must be a non-empty array');
  }
  const signatures = v.signatures.map((s: unknown, i: number): DsseSignature => {
    const o = s as Partial<Record<string, unknown>> | null;
    if (typeof o !== 'object' || o === null || typeof o.sig !== 'string') {
      throw new DsseError('malformed-envelope', `envelope.signatures[${i}].sig must be a string`);
    }
    if (o.keyid !== undefined && typeof o.keyid !== 'string') {
      throw new DsseError('malformed-envelope', `envelope.signatures[${i}].keyid must be a string`);
    }
    return o.keyid === undefined ? { sig: o.sig } : { sig: o.sig, keyid: o.keyid };
  });
  return { payload: v.payload, payloadType: v.payloadType, signatures };
}

/** Options of {@link verifyEnvelope}. */
export interface VerifyOptions {
  /** Keys trusted to sign; each counts at most once towards the threshold. */
  readonly trustedKeys: readonly (KeyObject | string | Buffer)[];
  /** Payload types the caller can parse; anything else is refused after the signature check. */
  readonly payloadTypes: readonly string[];
  /** How many distinct trusted keys must have signed (default 1). */
  readonly threshold?: number;
}

/**
 * Verifies an envelope per DSSE v1 multi-signature rules and returns the payload bytes.
 * Throws {@link DsseError}: `malformed-envelope`, `bad-base64`, `signature-invalid` (no trusted key
 * verified), `threshold-not-met`, `payload-type-unsupported`.
 */
export function verifyEnvelope(envelope: unknown, options: VerifyOptions): VerifiedEnvelope {
  const env = parseEnvelope(envelope);
  const payload = decodeBase64(env.payload, 'envelope.payload');
  const threshold = options.threshold ?? 1;
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new DsseError('threshold-not-met', 'threshold must be a positive integer');
  }
  const keys = options.trustedKeys.map((k) => asKey(k, 'public'));
  const message = pae(env.payloadType, payload);
  const accepted = new Set<string>();
  for (const signature of env.signatures) {
    const sig = decodeBase64(signature.sig, 'signature');
    for (const key of keys) {
      const fp = keyFingerprint(key);
      if (accepted.has(fp)) continue;
      if (verify(null, message, key, sig)) {
        accepted.add(fp);
        break;
      }
    }
    if (accepted.size >= threshold) break;
  }
  if (accepted.size === 0) {
    throw new DsseError('signature-invalid', 'no signature verifies with a trusted key');
  }
  if (accepted.size < threshold) {
    throw new DsseError('threshold-not-met', `${accepted.size} of ${threshold} required distinct trusted keys signed`);
  }
  if (!options.payloadTypes.includes(env.payloadType)) {
    throw new DsseError('payload-type-unsupported', `payloadType '${env.payloadType}' is not supported`);
  }
  return { payloadType: env.payloadType, payload, acceptedKeys: [...accepted] };
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Builds an Ed25519 private key from its 32-byte seed (RFC 8032 secret key). */
export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new DsseError('unsupported-key', 'an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** Builds an Ed25519 public key from its 32 raw bytes. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new DsseError('unsupported-key', 'an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}
