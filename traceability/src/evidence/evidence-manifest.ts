/**
 * The evidence manifest of a report bundle: the SHA-256 of every file in the bundle, digests of
 * the spec pack and the contracts the run used, the redacted target profile, and the run's
 * identity (tool version, git commit, seed, target, timestamps). It is the payload of the DSSE
 * envelope `evidence.dsse.json`; see traceability/RESULTS_FORMAT.md ("Evidence bundle").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsDocument, RunMetadata } from '../results/results-format.js';
import type { VerdictCounts } from '../join/join-traceability.js';
import { digestFile, digestTree, listFiles, type FileDigest, type TreeDigest } from './hash-files.js';

/** DSSE payloadType of the manifest. */
export const MANIFEST_PAYLOAD_TYPE = 'application/vnd.syncproof.evidence-manifest+json';

/** Files of a bundle that hold the signature and key; everything else is listed in the manifest. */
export const CONTROL_FILES = {
  envelope: 'evidence.dsse.json',
  publicKey: 'evidence.pub.pem',
  fingerprint: 'evidence.fingerprint.txt',
} as const;

const CONTROL = new Set<string>(Object.values(CONTROL_FILES));

/** Directory names never hashed inside the spec pack or the contracts. */
export const SKIPPED_SOURCE_DIRS: ReadonlySet<string> = new Set(['node_modules', 'test', '.git']);

/** The redacted target profile, as stored in the bundle. */
export interface ProfileEvidence {
  /** Name of the profile file the run used (no directory). */
  readonly source: string;
  /** Path of the redacted copy inside the bundle. */
  readonly path: string;
  readonly sha256: string;
  /** Key paths whose values were replaced. */
  readonly redacted: readonly string[];
}

/** The signed manifest. */
export interface EvidenceManifest {
  readonly manifestVersion: 1;
  readonly generatedAt: string;
  readonly tool: RunMetadata['tool'];
  readonly producer: string;
  readonly gitCommit: string | null;
  readonly seed: string | null;
  readonly target: RunMetadata['target'];
  readonly run: { readonly startedAt: string; readonly finishedAt: string };
  /** Fingerprint of the key that signs the envelope (`sha256:<hex of SPKI DER>`). */
  readonly signer: string;
  /** Every file of the bundle except the control files. */
  readonly files: readonly FileDigest[];
  /** The spec pack (`specs/**`); null when the run had none on disk. */
  readonly specPack: TreeDigest | null;
  /** The contracts tree (`contracts/**`, tests excluded); null when absent. */
  readonly contracts: TreeDigest | null;
  readonly targetProfile: ProfileEvidence | null;
  /** Requirement totals of the report, for a glance without opening it. */
  readonly requirements: VerdictCounts;
}

/** Inputs of {@link buildManifest}. */
export interface ManifestInput {
  readonly bundleDir: string;
  /** Repository root holding `specs/` and `contracts/`. */
  readonly sourceRoot: string;
  readonly results: ResultsDocument;
  readonly generatedAt: string;
  readonly signer: string;
  readonly requirements: VerdictCounts;
  readonly targetProfile: ProfileEvidence | null;
}

/** Lists and hashes the bundle's files (control files excluded). */
export function bundleFiles(bundleDir: string): FileDigest[] {
  return listFiles(bundleDir)
    .filter((p) => !CONTROL.has(p))
    .map((p) => digestFile(bundleDir, p));
}

/** Digests `specs/` and `contracts/` under a source root (null for a missing tree). */
export function sourceDigests(sourceRoot: string): { specPack: TreeDigest | null; contracts: TreeDigest | null } {
  const tree = (name: string) => {
    const dir = join(sourceRoot, name);
    return existsSync(dir) ? digestTree(dir, name, SKIPPED_SOURCE_DIRS) : null;
  };
  return { specPack: tree('specs'), contracts: tree('contracts') };
}

/** Builds the manifest of a bundle whose report files are already written. */
export function buildManifest(input: ManifestInput): EvidenceManifest {
  const { run } = input.results;
  return {
    manifestVersion: 1,
    generatedAt: input.generatedAt,
    tool: run.tool,
    producer: run.producer,
    gitCommit: run.gitCommit,
    seed: run.seed,
    target: run.target,
    run: { startedAt: run.startedAt, finishedAt: run.finishedAt },
    signer: input.signer,
    files: bundleFiles(input.bundleDir),
    ...sourceDigests(input.sourceRoot),
    targetProfile: input.targetProfile,
    requirements: input.requirements,
  };
}
