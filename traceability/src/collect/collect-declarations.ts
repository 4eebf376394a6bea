/**
 * Finds which tests declare which requirement IDs by asking vitest itself: a collection-only pass
 * (`Vitest.collect`, no test body runs) over every project of the config, reading each test's
 * `meta()` — the same data the reporter sees, so declarations and results can never disagree on
 * what a test claims. `vitest list --json` drops the meta, hence the Node API.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { REPO_ROOT } from '../results/run-metadata.js';

/** One test's claim. */
export interface Declaration {
  readonly testId: string;
  readonly verifies: readonly string[];
  readonly title: string;
  /** POSIX path relative to the root. */
  readonly file: string;
  readonly line?: number;
  readonly project?: string;
}

/** A test file vitest could not collect; its declarations are unknown. */
export interface CollectionProblem {
  readonly file: string;
  readonly message: string;
}

/** Everything the collector found. */
export interface Declarations {
  readonly declarations: readonly Declaration[];
  readonly problems: readonly CollectionProblem[];
}

/** Options of {@link collectDeclarations}. */
export interface CollectOptions {
  /** Repository root (default: this repository). */
  readonly root?: string;
  /** vitest config file (default: `<root>/vitest.config.ts`); `false` to use none. */
  readonly config?: string | false;
  /** Test file globs, overriding the config's (used with `config: false`). */
  readonly include?: readonly string[];
  /** vitest file filters, as on the command line. */
  readonly filters?: readonly string[];
}

type TestModules = Awaited<ReturnType<import('vitest/node').Vitest['collect']>>;

/** One collection pass; `isolate: false` shares the module graph across files (about 5x faster). */
async function collectOnce(root: string, options: CollectOptions, isolate: boolean, filters: readonly string[]): Promise<TestModules> {
  const { createVitest } = await import('vitest/node');
  const vitest = await createVitest(
    'test',
    {
      root,
      config: options.config ?? resolve(root, 'vitest.config.ts'),
      ...(options.include ? { include: [...options.include] } : {}),
      watch: false,
      reporters: [],
      includeTaskLocation: true,
      passWithNoTests: true,
      ...(isolate ? {} : { isolate: false }),
    },
    { logLevel: 'silent' },
  );
  try {
    return await vitest.collect([...filters]);
  } finally {
    await vitest.close();
  }
}

/**
 * Collects declarations with vitest's Node API (collection only). A first pass shares modules
 * between files for speed; files that fail in it are collected again in isolation, so state
 * leaking between files can never invent or hide a problem.
 */
export async function collectDeclarations(options: CollectOptions = {}): Promise<Declarations> {
  const root = resolve(options.root ?? REPO_ROOT);
  const rel = (file: string) => relative(root, file).split(sep).join('/');
  const shared = await collectOnce(root, options, false, options.filters ?? []);
  const modules = new Map(shared.testModules.map((m) => [m.moduleId, m]));
  const unhandled = [...shared.unhandledErrors];
  const failed = shared.testModules.filter((m) => m.errors().length > 0).map((m) => rel(m.moduleId));
  if (failed.length > 0) {
    const isolated = await collectOnce(root, options, true, failed);
    for (const m of isolated.testModules) modules.set(m.moduleId, m);
    unhandled.push(...isolated.unhandledErrors);
  }

  const declarations: Declaration[] = [];
  const problems: CollectionProblem[] = [];
  for (const module of [...modules.values()].sort((a, b) => a.moduleId.localeCompare(b.moduleId))) {
    for (const error of module.errors()) {
      problems.push({ file: rel(module.moduleId), message: firstLine(error.message) });
    }
    for (const testCase of module.children.allTests()) {
      const meta = testCase.meta();
      if (!meta.testId) continue;
      declarations.push({
        testId: meta.testId,
        verifies: [...(meta.verifies ?? [])],
        title: testCase.fullName,
        file: rel(module.moduleId),
        ...(testCase.location ? { line: testCase.location.line } : {}),
        project: testCase.project.name,
      });
    }
  }
  for (const error of unhandled) {
    problems.push({ file: '(vitest)', message: firstLine((error as { message?: string }).message ?? String(error)) });
  }
  declarations.sort((a, b) => (a.testId === b.testId ? a.file.localeCompare(b.file) : a.testId < b.testId ? -1 : 1));
  return { declarations, problems };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/**
 * Reads declarations from a JSON file `{ "declarations": [...] }` (the shape of
 * {@link Declarations}, `problems` optional): for fixtures and for suites outside this repository.
 */
export function loadDeclarationsFile(path: string): Declarations {
  const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Declarations>;
  if (!Array.isArray(value.declarations)) {
    throw new Error(`${path}: expected an object with a "declarations" array`);
  }
  for (const [i, d] of value.declarations.entries()) {
    if (typeof d?.testId !== 'string' || !Array.isArray(d.verifies) || typeof d.file !== 'string') {
      throw new Error(`${path}: declarations[${i}] needs testId (string), verifies (array) and file (string)`);
    }
  }
  return {
    declarations: value.declarations.map((d) => ({ ...d, title: d.title ?? d.testId })),
    problems: Array.isArray(value.problems) ? value.problems : [],
  };
}
