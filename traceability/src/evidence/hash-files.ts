/**
 * SHA-256 digests of files and file trees, with paths in POSIX form relative to the tree root,
 * sorted — the same tree always yields the same list and digest on every OS.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One file's digest. */
export interface FileDigest {
  /** POSIX path relative to the tree root. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** A tree's files and one digest over them all. */
export interface TreeDigest {
  /** Root of the tree, relative to the repository (e.g. `specs`). */
  readonly root: string;
  /** SHA-256 over the lines `<sha256>  <path>\n` of {@link files}, in order (sha256sum format). */
  readonly digest: string;
  readonly files: readonly FileDigest[];
}

/** Hex SHA-256 of bytes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Lists the files under `dir` (recursively, symlinks not followed), as POSIX paths relative to
 * `dir`, sorted by code unit. Directories named in `skipDirs` are left out wherever they occur.
 */
export function listFiles(dir: string, skipDirs: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!skipDirs.has(entry.name)) walk(full);
      } else if (entry.isFile()) {
        out.push(relative(dir, full).split(sep).join('/'));
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Digest of one file. */
export function digestFile(root: string, path: string): FileDigest {
  const bytes = readFileSync(join(root, ...path.split('/')));
  return { path, sha256: sha256(bytes), size: bytes.length };
}

/** Digest of a list of file digests, in the sha256sum line format. */
export function digestOfList(files: readonly FileDigest[]): string {
  return sha256(files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
}

/** Digests a whole tree. `label` is what the manifest calls its root. */
export function digestTree(dir: string, label: string, skipDirs: ReadonlySet<string> = new Set()): TreeDigest {
  const files = listFiles(dir, skipDirs).map((p) => digestFile(dir, p));
  return { root: label, digest: digestOfList(files), files };
}
