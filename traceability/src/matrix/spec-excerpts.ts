/**
 * Finds the spec prose that mentions each requirement ID, so reports can show auditors the
 * normative text next to the verdict. Paragraph-level: a block of lines between blank lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A paragraph of a spec file that mentions a requirement. */
export interface SpecExcerpt {
  /** POSIX path relative to the spec root's parent (e.g. `specs/offline-first/SPEC.md`). */
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

const ID = /OFS-(?:STORE|IDEM|SYNC|CONF|AUD|EVT|SEC|TEN|AUTH)-\d{3}/g;

/** Extracts excerpts from one file's text. The matrix itself is skipped by the caller. */
export function excerptsOf(text: string, file: string, perId = 3): Map<string, SpecExcerpt[]> {
  const out = new Map<string, SpecExcerpt[]>();
  const lines = text.split(/\r?\n/);
  let start = 0;
  const flush = (end: number) => {
    const block = lines.slice(start, end).join('\n').trim();
    if (block) {
      for (const id of new Set(block.match(ID) ?? [])) {
        const list = out.get(id) ?? [];
        if (list.length < perId) list.push({ file, line: start + 1, text: block.slice(0, 2_000) });
        out.set(id, list);
      }
    }
  };
  lines.forEach((l, i) => {
    if (l.trim() === '') {
      flush(i);
      start = i + 1;
    }
  });
  flush(lines.length);
  return out;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []))
    .sort();
}

/** Collects excerpts from every Markdown file under `specDir` except traceability matrices. */
export function collectSpecExcerpts(specDir: string, perId = 3): Map<string, SpecExcerpt[]> {
  const all = new Map<string, SpecExcerpt[]>();
  let files: string[];
  try {
    files = markdownFiles(specDir);
  } catch {
    return all;
  }
  for (const path of files) {
    if (path.endsWith('TRACEABILITY_MATRIX.md')) continue;
    const file = relative(join(specDir, '..'), path).split(sep).join('/');
    for (const [id, list] of excerptsOf(readFileSync(path, 'utf8'), file, perId)) {
      const merged = [...(all.get(id) ?? []), ...list].slice(0, perId);
      all.set(id, merged);
    }
  }
  return all;
}
