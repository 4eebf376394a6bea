/**
 * Bundles the OpenAPI document into one self-contained object: every `components.schemas` entry
 * that points at a `contracts/schemas/*.schema.json` file is replaced by that file's content, the
 * files' `$defs` are hoisted to components named `<Component><Def>`, and every cross-file or
 * `#/$defs/...` reference is rewritten to `#/components/schemas/...`. The source YAML keeps its
 * file `$ref`s (Prism, Spectral and the OpenAPI parser resolve them); the bundle feeds tools that
 * would otherwise hoist `$defs` under colliding names (openapi-typescript's bundler does).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve, basename } from 'node:path';
import { parse } from 'yaml';

/** A JSON object. */
type Json = Record<string, unknown>;

/** The OpenAPI document could not be read or a referenced schema file is missing. */
export class BundleError extends Error {
  override name = 'BundleError';
  readonly code = 'openapi-bundle';
}

/** Default location of the contract. */
export const OPENAPI_PATH = resolve(dirname(new URL(import.meta.url).pathname), '../openapi/sync-api.yaml');

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Options of {@link bundleOpenApi}. */
export interface BundleOptions {
  /**
   * Drop `if`/`then`/`else` (and `allOf` members left empty by that): TypeScript types cannot
   * express them and openapi-typescript renders them as `unknown` intersections. Only for type
   * generation; the schemas keep their conditionals everywhere else.
   */
  readonly stripConditionals?: boolean;
}

/** Reads and bundles an OpenAPI YAML/JSON file (see module doc). */
export function bundleOpenApi(file: string = OPENAPI_PATH, options: BundleOptions = {}): Json {
  let doc: Json;
  try {
    doc = parse(readFileSync(file, 'utf8')) as Json;
  } catch (err) {
    throw new BundleError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const baseDir = dirname(file);
  const components = (doc.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Json;

  // File path → component name, from the document's own `Name: { $ref: file }` entries.
  const nameOfFile = new Map<string, string>();
  for (const [name, value] of Object.entries(schemas)) {
    if (isObject(value) && typeof value.$ref === 'string' && !value.$ref.startsWith('#')) {
      nameOfFile.set(resolve(baseDir, value.$ref), name);
    }
  }

  const out: Json = {};
  const pending: string[] = [...nameOfFile.keys()];
  const loaded = new Set<string>();

  const componentFor = (absFile: string): string => {
    let name = nameOfFile.get(absFile);
    if (!name) {
      name = pascal(basename(absFile).replace(/\.schema\.json$/, ''));
      nameOfFile.set(absFile, name);
      pending.push(absFile);
    }
    return name;
  };

  const rewriteRef = (ref: string, fromFile: string): string => {
    const [filePart, pointer = ''] = ref.split('#', 2) as [string, string?];
    const target = filePart === '' ? fromFile : resolve(dirname(fromFile), filePart);
    const comp = componentFor(target);
    const defMatch = /^\/\$defs\/([^/]+)(.*)$/.exec(pointer);
    if (defMatch) return `#/components/schemas/${comp}${pascal(defMatch[1]!)}${defMatch[2] ?? ''}`;
    return pointer ? `#/components/schemas/${comp}${pointer}` : `#/components/schemas/${comp}`;
  };

  const rewrite = (node: unknown, fromFile: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, fromFile));
    if (!isObject(node)) return node;
    const copy: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') copy[k] = rewriteRef(v, fromFile);
      else if (k === '$id' || k === '$schema' || k === '$defs') continue;
      else if (options.stripConditionals && (k === 'if' || k === 'then' || k === 'else')) continue;
      else copy[k] = rewrite(v, fromFile);
    }
    if (options.stripConditionals && Array.isArray(copy.allOf)) {
      copy.allOf = (copy.allOf as unknown[]).filter((m) => !isObject(m) || Object.keys(m).length > 0);
      if ((copy.allOf as unknown[]).length === 0) delete copy.allOf;
    }
    return copy;
  };

  while (pending.length > 0) {
    const absFile = pending.shift()!;
    if (loaded.has(absFile)) continue;
    loaded.add(absFile);
    let schema: Json;
    try {
      schema = JSON.parse(readFileSync(absFile, 'utf8')) as Json;
    } catch (err) {
      throw new BundleError(`cannot read schema ${absFile}: ${(err as Error).message}`);
    }
    const comp = componentFor(absFile);
    out[comp] = rewrite(schema, absFile);
    for (const [def, body] of Object.entries((schema.$defs ?? {}) as Json)) {
      out[`${comp}${pascal(def)}`] = rewrite(body, absFile);
    }
  }

  // Inline (non-file) components keep their place; internal refs are already document-local.
  const merged: Json = {};
  for (const [name, value] of Object.entries(schemas)) {
    merged[name] = isObject(value) && typeof value.$ref === 'string' && !value.$ref.startsWith('#') ? out[name] : value;
  }
  for (const [name, value] of Object.entries(out)) if (!(name in merged)) merged[name] = value;
  return { ...doc, components: { ...components, schemas: merged } };
}
