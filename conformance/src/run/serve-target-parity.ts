/**
 * Serve/target parity (issue 5 acceptance): `syncproof run` against the embedded reference and
 * `syncproof serve` + `syncproof run --target conformance/profiles/reference.yaml` must give the
 * same verdict for every check. This runs both as the user would — `bin/syncproof.mjs` child
 * processes — and compares the two results.json files check by check.
 *
 * The served profile is reference.yaml verbatim except for where things are: the base URL (the
 * served port, picked free), the NATS URL (one NATS both runs share, test-owned unless given) and
 * the key file path (absolute, because the copy lives in a temp dir). The serve command line is
 * the one reference.yaml's header documents.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { natsEnvironment, resolveNats, type NatsService } from './nats-service.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The CLI as `npx syncproof` runs it. */
export const CLI = join(ROOT, 'bin/syncproof.mjs');
const PROFILE_DIR = join(ROOT, 'conformance/profiles');
/** The profile whose verdicts must match the embedded run's. */
export const REFERENCE_PROFILE_PATH = join(PROFILE_DIR, 'reference.yaml');

/** The `syncproof serve` options reference.yaml describes (its header comment). */
export const REFERENCE_SERVE_ARGS: readonly string[] = [
  '--jwks-file',
  join(PROFILE_DIR, 'reference.dev-jwks.json'),
  '--issuer',
  'urn:syncproof:reference-dev',
  '--test-hooks',
  '--test-retention-seconds',
  '2',
];

/** Options of {@link serveTargetParity}. */
export interface ParityOptions {
  /** Seed for both runs (same property inputs). */
  readonly seed: number;
  /** Where both runs write results (`embedded/`, `target/`) and the derived profile. */
  readonly outDir: string;
  /** NATS to use; default a test-owned `nats-server` (or NATS_URL via {@link resolveNats}'s order with an empty env). */
  readonly natsUrl?: string;
  /** `--only` glob for both runs. */
  readonly only?: string;
  /** Skip the Prism proxy in both runs. */
  readonly noPrism?: boolean;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** One `syncproof run`. */
export interface RunOutcome {
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** check id → verdict. */
  readonly verdicts: ReadonlyMap<string, string>;
  readonly output: string;
}

/** A check whose verdicts differ (undefined = missing from that run). */
export interface VerdictDifference {
  readonly id: string;
  readonly embedded: string | undefined;
  readonly target: string | undefined;
}

/** What {@link serveTargetParity} found. */
export interface ParityResult {
  readonly embedded: RunOutcome;
  readonly target: RunOutcome;
  readonly differences: readonly VerdictDifference[];
  /** The served process's start line and exit code after SIGTERM. */
  readonly serveStartLine: string;
  readonly serveExitCode: number | null;
}

/** Compares two verdict maps check by check (sorted by id). */
export function verdictDifferences(embedded: ReadonlyMap<string, string>, target: ReadonlyMap<string, string>): VerdictDifference[] {
  const ids = [...new Set([...embedded.keys(), ...target.keys()])].sort();
  return ids.filter((id) => embedded.get(id) !== target.get(id)).map((id) => ({ id, embedded: embedded.get(id), target: target.get(id) }));
}

/** reference.yaml relocated: base URL, NATS URL and an absolute key path; nothing else changes. */
export function relocatedReferenceProfile(text: string, baseUrl: string, natsUrl: string): string {
  const replaced = text
    .replace(/^baseUrl: .*$/m, `baseUrl: ${baseUrl}`)
    .replace(/^(  url: )nats:\/\/.*$/m, `$1${natsUrl}`)
    .replace(/^(  privateKeyFile: )(.*)$/m, (_m, lead: string, file: string) => `${lead}${join(PROFILE_DIR, file.trim())}`);
  for (const [what, expected] of [['baseUrl', baseUrl], ['nats url', natsUrl], ['privateKeyFile', PROFILE_DIR]] as const) {
    if (!replaced.includes(expected)) throw new Error(`reference.yaml changed shape: could not relocate its ${what}`);
  }
  return replaced;
}

function readVerdicts(resultsFile: string): Map<string, string> {
  const doc = JSON.parse(readFileSync(resultsFile, 'utf8')) as { tests: { id: string; verdict: string }[] };
  return new Map(doc.tests.map((t) => [t.id, t.verdict]));
}

async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, resultsFile: string): Promise<RunOutcome> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'run', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let verdicts: Map<string, string>;
  try {
    verdicts = readVerdicts(resultsFile);
  } catch {
    verdicts = new Map();
  }
  return { exitCode, wallMs: Date.now() - started, verdicts, output };
}

interface Served {
  readonly url: string;
  readonly startLine: string;
  stop(): Promise<number | null>;
}

async function startServe(natsUrl: string, env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--nats', natsUrl, ...REFERENCE_SERVE_ARGS], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const startLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`syncproof serve did not start within 30 s: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (!l.startsWith('syncproof serve: listening on ')) return;
      clearTimeout(timer);
      resolve(l);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`syncproof serve exited ${code} before starting: ${stderr}`));
    });
  });
  const url = /listening on (http:\/\/\S+)/.exec(startLine)![1]!;
  return {
    url,
    startLine,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs the embedded suite and the served suite and compares their verdicts. */
export async function serveTargetParity(options: ParityOptions): Promise<ParityResult> {
  const log = options.log ?? (() => undefined);
  // The children see neither the developer's services nor colour codes.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['DATABASE_URL'];
  delete env['NATS_URL'];
  delete env['SYNCPROOF_NATS_CLIENT_USER'];
  delete env['SYNCPROOF_NATS_CLIENT_PASS'];
  const nats: NatsService = options.natsUrl ? { url: options.natsUrl, source: 'env', close: async () => undefined } : await resolveNats({});
  if (!nats.url) throw new Error(`no NATS for the parity run: ${(nats as { unavailable?: string }).unavailable ?? 'unknown reason'}`);
  const natsUrl = nats.url;
  mkdirSync(options.outDir, { recursive: true });
  const common = ['--seed', String(options.seed), '--no-report', ...(options.only ? ['--only', options.only] : []), ...(options.noPrism ? ['--no-prism'] : [])];
  try {
    log(`nats: ${natsUrl}`);
    const embeddedOut = join(options.outDir, 'embedded');
    log('embedded: syncproof run');
    const embedded = await runCli([...common, '--out', embeddedOut], { ...env, ...natsEnvironment(nats) }, join(embeddedOut, 'results.json'));
    log(`embedded: exit ${embedded.exitCode} in ${(embedded.wallMs / 1000).toFixed(1)} s`);

    const served = await startServe(natsUrl, env);
    log(served.startLine);
    let target: RunOutcome;
    let serveExitCode: number | null;
    try {
      const profile = join(options.outDir, 'reference.served.yaml');
      writeFileSync(profile, relocatedReferenceProfile(readFileSync(REFERENCE_PROFILE_PATH, 'utf8'), served.url, natsUrl));
      const targetOut = join(options.outDir, 'target');
      log(`target: syncproof run --target ${profile}`);
      target = await runCli([...common, '--target', profile, '--out', targetOut], env, join(targetOut, 'results.json'));
      log(`target: exit ${target.exitCode} in ${(target.wallMs / 1000).toFixed(1)} s`);
    } finally {
      serveExitCode = await served.stop();
    }
    return {
      embedded,
      target,
      differences: verdictDifferences(embedded.verdicts, target.verdicts),
      serveStartLine: served.startLine,
      serveExitCode,
    };
  } finally {
    await nats.close();
  }
}
