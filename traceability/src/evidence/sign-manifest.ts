/**
 * Signing the evidence manifest: choosing the key and writing the DSSE envelope, the public key
 * and its fingerprint beside the report.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyFingerprint, signEnvelope } from '../../../contracts/lib/dsse.js';
import { CONTROL_FILES, MANIFEST_PAYLOAD_TYPE, type EvidenceManifest } from './evidence-manifest.js';

/** Environment variable naming the PEM file of the signing key. */
export const SIGNING_KEY_ENV = 'SYNCPROOF_SIGNING_KEY';

/** A key ready to sign. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly fingerprint: string;
  /** `file`: from --signing-key or the env var; `generated`: a fresh key used once and discarded. */
  readonly source: 'file' | 'generated';
  readonly path?: string;
}

/** A signing key that cannot be used. */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/**
 * Picks the signing key: the PEM file `path`, else `$SYNCPROOF_SIGNING_KEY`, else a freshly
 * generated Ed25519 key (its private half is never written anywhere).
 */
export function resolveSigningKey(path: string | undefined, env: NodeJS.ProcessEnv = process.env): SigningKey {
  const file = path ?? (env[SIGNING_KEY_ENV] || undefined);
  if (!file) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return { privateKey, publicKey, fingerprint: keyFingerprint(publicKey), source: 'generated' };
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (err) {
    throw new SigningKeyError(`signing key ${file}: cannot read a PEM private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`signing key ${file}: must be Ed25519, is ${privateKey.asymmetricKeyType}`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: keyFingerprint(publicKey), source: 'file', path: file };
}

/** Serializes the manifest as the envelope's payload (stable 2-space JSON). */
export function manifestBytes(manifest: EvidenceManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** Signs the manifest and writes the envelope, public key and fingerprint into `dir`. */
export function writeSignedManifest(dir: string, manifest: EvidenceManifest, key: SigningKey): void {
  const envelope = signEnvelope(MANIFEST_PAYLOAD_TYPE, manifestBytes(manifest), key.privateKey);
  writeFileSync(join(dir, CONTROL_FILES.envelope), `${JSON.stringify(envelope, null, 2)}\n`);
  writeFileSync(join(dir, CONTROL_FILES.publicKey), key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  writeFileSync(join(dir, CONTROL_FILES.fingerprint), `${key.fingerprint}\n`);
}
