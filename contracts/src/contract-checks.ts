/**
 * The steps of `contracts:check` as one importable function, so tests and CI run exactly the same
 * gate: both documents valid, schemas compile, examples behave, generated types fresh, lint clean.
 */
import { checkAsyncApiDocument, checkOpenApiDocument, ASYNCAPI_PATH } from './check-documents.js';
import { checkBundle, checkGenerated } from './check-generated.js';
import { createSchemaRegistry, SCHEMAS_DIR } from './schema-registry.js';
import { EXAMPLES_DIR, validateExamples } from './validate-examples.js';
import { OPENAPI_PATH } from './bundle-openapi.js';
import { GENERATED_BUNDLE_PATH, GENERATED_TYPES_PATH } from './generate-types.js';
import { formatFinding, lintOpenApi } from '../lint/lint-openapi.js';

/** One step's result. */
export interface CheckStep {
  readonly name: string;
  readonly ok: boolean;
  readonly summary: string;
  readonly details: readonly string[];
}

/** Where the checked artefacts are; defaults are the repository's. */
export interface ContractPaths {
  readonly openapi?: string;
  readonly asyncapi?: string;
  readonly schemasDir?: string;
  readonly examplesDir?: string;
  readonly generated?: string;
  readonly bundle?: string;
}

async function step(name: string, fn: () => Promise<Omit<CheckStep, 'name'>>): Promise<CheckStep> {
  try {
    return { name, ...(await fn()) };
  } catch (err) {
    // A crashed step is a failure, never a pass.
    return { name, ok: false, summary: `crashed: ${(err as Error).message}`, details: [] };
  }
}

/** Runs every step (none short-circuits) and returns their results in order. */
export async function runContractChecks(paths: ContractPaths = {}): Promise<{ ok: boolean; steps: CheckStep[] }> {
  const openapi = paths.openapi ?? OPENAPI_PATH;
  const steps: CheckStep[] = [];
  steps.push(
    await step('openapi-valid', async () => {
      const r = await checkOpenApiDocument(openapi);
      return { ok: r.ok, summary: r.ok ? 'OpenAPI 3.1 document is valid' : `${r.problems.length} problem(s)`, details: r.problems };
    }),
  );
  steps.push(
    await step('asyncapi-valid', async () => {
      const r = await checkAsyncApiDocument(paths.asyncapi ?? ASYNCAPI_PATH);
      return { ok: r.ok, summary: r.ok ? 'AsyncAPI 3.0 document is valid' : `${r.problems.length} problem(s)`, details: r.problems };
    }),
  );
  steps.push(
    await step('schemas-compile', async () => {
      createSchemaRegistry(paths.schemasDir ?? SCHEMAS_DIR);
      return { ok: true, summary: 'every schema compiles under ajv 2020 (strict)', details: [] };
    }),
  );
  steps.push(
    await step('examples', async () => {
      const r = validateExamples(paths.examplesDir ?? EXAMPLES_DIR, paths.schemasDir ?? SCHEMAS_DIR);
      return {
        ok: r.ok,
        summary: r.ok ? `${r.checked} example(s) behave as labelled` : `${r.failures.length} failure(s) in ${r.checked} example(s)`,
        details: r.failures.map((f) => `${f.file}: ${f.reason}`),
      };
    }),
  );
  steps.push(
    await step('generated-types', async () => {
      const r = await checkGenerated(openapi, paths.generated ?? GENERATED_TYPES_PATH);
      return { ok: r.ok, summary: r.ok ? 'contracts/generated/sync-api.ts matches the contract' : r.reason, details: [] };
    }),
  );
  steps.push(
    await step('generated-bundle', async () => {
      const bundle = paths.bundle ?? GENERATED_BUNDLE_PATH;
      const fresh = checkBundle(openapi, bundle);
      if (!fresh.ok) return { ok: false, summary: fresh.reason, details: [] };
      const valid = await checkOpenApiDocument(bundle);
      return { ok: valid.ok, summary: valid.ok ? 'contracts/generated/sync-api.bundled.yaml matches the contract and is valid' : 'bundle is not a valid OpenAPI document', details: valid.problems };
    }),
  );
  steps.push(
    await step('lint', async () => {
      const findings = await lintOpenApi(openapi);
      const errors = findings.filter((f) => f.severity === 'error');
      const warnings = findings.filter((f) => f.severity === 'warn');
      return { ok: errors.length === 0, summary: `${errors.length} error(s), ${warnings.length} warning(s)`, details: [...errors, ...warnings].map(formatFinding) };
    }),
  );
  return { ok: steps.every((s) => s.ok), steps };
}
