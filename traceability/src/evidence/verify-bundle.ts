/**
 * Offline verification of a report bundle: the DSSE signature of the manifest first (nothing in
 * the payload is trusted before it verifies), then every file re-hashed against it. Each problem
 * is one line naming the file.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DsseError, keyFingerprint, parseEnvelope, verifyEnvelope } from '../../../contracts/lib/dsse.js';
import { CONTROL_FILES, MANIFEST_PAYLOAD_TYPE, bundleFiles, sourceDigests, type EvidenceManifest } from './evidence-manifest.js';
import type { FileDigest, TreeDigest } from './hash-files.js';

/** Options of {@link verifyBundle}. */
export interface VerifyBundleOptions {
  /** PEM of the public key to trust; without it the bundle's own `evidence.pub.pem` is used. */
  readonly publicKeyPem?: string | Buffer;
  /** Also re-hash `specs/` and `contracts/` under this root against the manifest. */
  readonly sourceRoot?: string;
}

/** Outcome of {@link verifyBundle}. */
export interface BundleVerification {
  readonly ok: boolean;
  /** One line per problem, each naming a file. */
  readonly problems: readonly string[];
  /** Fingerprint of the key the signature was checked with. */
  readonly fingerprint?: string;
  /** Whether that key came from the caller or from the bundle itself. */
  readonly keySource: 'given' | 'bundle';
  readonly manifest?: EvidenceManifest;
  /** Number of bundle files re-hashed. */
  readonly checkedFiles: number;
}

/** Compares listed digests with actual ones; `prefix` is prepended to paths in messages. */
export function compareDigests(listed: readonly FileDigest[], actual: readonly FileDigest[], prefix = ''): string[] {
  const problems: string[] = [];
  const now = new Map(actual.map((f) => [f.path, f]));
  const then = new Map(listed.map((f) => [f.path, f]));
  for (const f of listed) {
    const a = now.get(f.path);
    if (!a) problems.push(`missing: ${prefix}${f.path}`);
    else if (a.sha256 !== f.sha256) problems.push(`changed: ${prefix}${f.path} (sha256 ${a.sha256}, manifest says ${f.sha256})`);
  }
  for (const a of actual) if (!then.has(a.path)) problems.push(`added: ${prefix}${a.path} (not in the manifest)`);
  return problems;
}

function readKey(pem: string | Buffer, what: string): KeyObject | string {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') return `${what}: not an Ed25519 public key`;
    return key;
  } catch {
    return `${what}: not a valid PEM public key`;
  }
}

function isFileDigestList(value: unknown): value is FileDigest[] {
  return Array.isArray(value) && value.every((f) => typeof f?.path === 'string' && typeof f?.sha256 === 'string');
}

function treeProblems(listed: TreeDigest | null, actual: TreeDigest | null, name: string): string[] {
  if (!listed && !actual) return [];
  if (!listed) return [`added: ${name}/ (the manifest recorded no ${name})`];
  if (!actual) return [`missing: ${name}/`];
  return compareDigests(listed.files, actual.files, `${name}/`);
}

/** Verifies the bundle in `dir`. Never throws for a bad bundle: every defect is a problem line. */
export function verifyBundle(dir: string, options: VerifyBundleOptions = {}): BundleVerification {
  const keySource = options.publicKeyPem !== undefined ? 'given' : 'bundle';
  const fail = (problems: string[], fingerprint?: string): BundleVerification => ({
    ok: false,
    problems,
    keySource,
    checkedFiles: 0,
    ...(fingerprint ? { fingerprint } : {}),
  });

  const envelopePath = join(dir, CONTROL_FILES.envelope);
  if (!existsSync(envelopePath)) return fail([`missing: ${CONTROL_FILES.envelope} (the signed manifest)`]);
  let envelope: unknown;
  const envelopeText = readFileSync(envelopePath, 'utf8');
  try {
    envelope = JSON.parse(envelopeText);
  } catch {
    return fail([`changed: ${CONTROL_FILES.envelope} is not valid JSON`]);
  }

  const problems: string[] = [];
  // The signature covers payloadType and payload only; keyid and formatting are not signed. The
  // bundle is always written by syncproof in one form, so any other byte is a change too.
  if (envelopeText !== `${JSON.stringify(envelope, null, 2)}\n`) {
    problems.push(`changed: ${CONTROL_FILES.envelope} is not byte-for-byte in the form syncproof writes`);
  }
  const pubPath = join(dir, CONTROL_FILES.publicKey);
  const bundled = existsSync(pubPath) ? readKey(readFileSync(pubPath), CONTROL_FILES.publicKey) : undefined;
  let key: KeyObject;
  if (options.publicKeyPem !== undefined) {
    const given = readKey(options.publicKeyPem, 'public key');
    if (typeof given === 'string') return fail([given]);
    key = given;
  } else {
    if (bundled === undefined) return fail([`missing: ${CONTROL_FILES.publicKey} (pass --public-key to verify without it)`]);
    if (typeof bundled === 'string') return fail([bundled]);
    key = bundled;
  }
  const fingerprint = keyFingerprint(key);

  let payload: Buffer;
  try {
    payload = verifyEnvelope(envelope, { trustedKeys: [key], payloadTypes: [MANIFEST_PAYLOAD_TYPE] }).payload;
  } catch (err) {
    const why = err instanceof DsseError ? `${err.code}: ${err.message}` : (err as Error).message;
    const keyName = keySource === 'given' ? 'the given public key' : `${CONTROL_FILES.publicKey}`;
    return fail([`signature: ${CONTROL_FILES.envelope} does not verify with ${keyName} (${fingerprint}): ${why}`], fingerprint);
  }

  // The signature holds, so the manifest is what the signer wrote; now check the world against it.
  let manifest: EvidenceManifest;
  try {
    manifest = JSON.parse(payload.toString('utf8')) as EvidenceManifest;
  } catch {
    return fail([`${CONTROL_FILES.envelope}: signed payload is not JSON`], fingerprint);
  }
  if (manifest?.manifestVersion !== 1 || !isFileDigestList(manifest.files)) {
    return fail([`${CONTROL_FILES.envelope}: signed payload is not a version 1 evidence manifest`], fingerprint);
  }
  const keyids = parseEnvelope(envelope).signatures.map((sig) => sig.keyid);
  if (keyids.some((k) => k !== undefined && k !== fingerprint)) {
    problems.push(`changed: ${CONTROL_FILES.envelope} names keyid ${keyids.join(', ')} but verifies with ${fingerprint}`);
  }
  if (manifest.signer !== fingerprint) {
    problems.push(`${CONTROL_FILES.envelope}: manifest names signer ${manifest.signer} but it verifies with ${fingerprint}`);
  }
  if (bundled !== undefined && typeof bundled !== 'string' && keyFingerprint(bundled) !== fingerprint) {
    problems.push(`changed: ${CONTROL_FILES.publicKey} is not the key that signed the manifest (${keyFingerprint(bundled)})`);
  } else if (typeof bundled === 'string' && keySource === 'given') {
    problems.push(bundled);
  }
  const fpPath = join(dir, CONTROL_FILES.fingerprint);
  if (existsSync(fpPath) && readFileSync(fpPath, 'utf8').trim() !== fingerprint) {
    problems.push(`changed: ${CONTROL_FILES.fingerprint} does not match the signing key (${fingerprint})`);
  }

  const actual = bundleFiles(dir);
  problems.push(...compareDigests(manifest.files, actual));
  if (options.sourceRoot) {
    const now = sourceDigests(options.sourceRoot);
    problems.push(...treeProblems(manifest.specPack, now.specPack, 'specs'));
    problems.push(...treeProblems(manifest.contracts, now.contracts, 'contracts'));
  }
  return { ok: problems.length === 0, problems, fingerprint, keySource, manifest, checkedFiles: actual.length };
}
