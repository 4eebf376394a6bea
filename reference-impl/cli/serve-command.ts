/**
 * `syncproof serve`: starts the reference server and keeps it running until SIGTERM/SIGINT, then
 * drains (stops accepting, finishes in-flight requests, gives the relay a moment to flush) and
 * resolves to exit code 0. Bad options are a {@link UsageError} (exit 2).
 *
 *   syncproof serve [--port <n>] [--host <addr>] [--db <sqlite-file|:memory:|postgres-url>]
 *                   [--nats <url>] [--dev-issuer] [--jwks-url <url> | --jwks-file <path>]
 *                   [--issuer <iss>] [--audience <aud>] [--defect <name>]... [--retention-days <n>]
 *                   [--sync-stream <name>] [--audit-stream <name>] [--subject-prefix <p>]
 *                   [--validate-responses strict|log|off] [--drain-ms <n>]
 *                   [--test-hooks [--test-retention-seconds <n>]]
 *
 * `--defect` plants a catalogue defect (reference-impl/src/defects/catalogue.ts; self-test only), as
 * does `SYNCPROOF_SELFTEST_DEFECTS=<name,…>` (used by `npm run selftest`'s crash probe).
 * `DATABASE_URL` and `NATS_URL` are honoured when the flags are absent. `--jwks-file` trusts a
 * public key set from a file (the dev-only key of conformance/profiles/reference.yaml);
 * `--test-hooks` enables the host contract's test hooks (conformance/TARGET.md §5) and allows a
 * retention in seconds for the retention check — conformance runs only.
 */
import { UsageError } from '../../conformance/cli/usage-error.js';
import { JwksFileError, readJwksFile } from '../src/auth/jwks-file.js';
import { defectNames } from '../src/defects/catalogue.js';
import { startServer, type ServerConfig } from '../src/server.js';

const FLAGS = new Set(['--dev-issuer', '--test-hooks']);
const OPTIONS = new Set([
  '--port',
  '--host',
  '--db',
  '--nats',
  '--jwks-url',
  '--jwks-file',
  '--issuer',
  '--audience',
  '--defect',
  '--retention-days',
  '--sync-stream',
  '--audit-stream',
  '--subject-prefix',
  '--validate-responses',
  '--drain-ms',
  '--test-retention-seconds',
]);

interface Parsed {
  readonly flags: Set<string>;
  readonly values: Map<string, string[]>;
}

function parse(args: readonly string[]): Parsed {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS.has(name)) {
      flags.add(name);
      continue;
    }
    if (!OPTIONS.has(name)) throw new UsageError(`unknown option '${arg}' (see 'syncproof serve --help')`);
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (value.startsWith('--') && eq < 0)) throw new UsageError(`option ${name} needs a value`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { flags, values };
}

function one(p: Parsed, name: string): string | undefined {
  const v = p.values.get(name);
  if (v && v.length > 1) throw new UsageError(`option ${name} given more than once`);
  return v?.[0];
}

function int(p: Parsed, name: string, min: number, max: number): number | undefined {
  const raw = one(p, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${name} must be an integer in ${min}..${max}, got '${raw}'`);
  return Number(raw);
}

/** Builds the server configuration from arguments and environment. Throws {@link UsageError}. */
export function serveConfig(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const p = parse(args);
  // An empty variable counts as unset (a common way to switch a service off).
  const db = one(p, '--db') ?? (env['DATABASE_URL'] || undefined) ?? ':memory:';
  if (db.trim() === '') throw new UsageError('--db must not be empty');
  const natsUrl = one(p, '--nats') ?? (env['NATS_URL'] || undefined);
  if (natsUrl !== undefined && !/^(nats|tls|ws|wss):\/\/|^[^/\s]+:\d+$/.test(natsUrl)) {
    throw new UsageError(`--nats must be a NATS URL (nats://host:port), got '${natsUrl}'`);
  }
  const jwksUrl = one(p, '--jwks-url');
  const jwksFile = one(p, '--jwks-file');
  const issuer = one(p, '--issuer');
  if (jwksUrl !== undefined && jwksFile !== undefined) throw new UsageError('give --jwks-url or --jwks-file, not both');
  if (jwksUrl !== undefined) {
    if (!/^https?:\/\//.test(jwksUrl)) throw new UsageError(`--jwks-url must be an http(s) URL, got '${jwksUrl}'`);
    if (!issuer) throw new UsageError('--jwks-url needs --issuer (the expected iss claim)');
  }
  let jwks;
  if (jwksFile !== undefined) {
    if (!issuer) throw new UsageError('--jwks-file needs --issuer (the expected iss claim)');
    try {
      jwks = readJwksFile(jwksFile);
    } catch (err) {
      if (err instanceof JwksFileError) throw new UsageError(`--jwks-file: ${err.message}`);
      throw err;
    }
  }
  const validate = one(p, '--validate-responses');
  if (validate !== undefined && !['strict', 'log', 'off'].includes(validate)) {
    throw new UsageError(`--validate-responses must be strict, log or off, got '${validate}'`);
  }
  let defects;
  try {
    // SYNCPROOF_SELFTEST_DEFECTS (comma list) exists for the self-test's crash probe, which starts
    // this server through a test that does not pass --defect; the start line announces it.
    const fromEnv = (env['SYNCPROOF_SELFTEST_DEFECTS'] ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '');
    defects = defectNames([...(p.values.get('--defect') ?? []), ...fromEnv]);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const retentionDays = int(p, '--retention-days', 1, 36_500);
  const testHooks = p.flags.has('--test-hooks');
  const testRetentionSeconds = int(p, '--test-retention-seconds', 1, 3_600);
  if (testRetentionSeconds !== undefined && !testHooks) {
    // A retention of seconds breaks offline clients (TR §3.5); it exists only for the retention check.
    throw new UsageError('--test-retention-seconds is a test hook: it needs --test-hooks');
  }
  if (testRetentionSeconds !== undefined && retentionDays !== undefined) throw new UsageError('give --retention-days or --test-retention-seconds, not both');
  const drainMs = int(p, '--drain-ms', 0, 600_000);
  const syncStream = one(p, '--sync-stream');
  const auditStream = one(p, '--audit-stream');
  const subjectPrefix = one(p, '--subject-prefix');
  const audience = one(p, '--audience');
  return {
    port: int(p, '--port', 0, 65_535) ?? 8080,
    host: one(p, '--host') ?? '127.0.0.1',
    db,
    devIssuer: p.flags.has('--dev-issuer'),
    defects,
    ...(natsUrl ? { natsUrl } : {}),
    ...(jwksUrl ? { jwksUrl } : {}),
    ...(jwks && jwksFile ? { jwks, jwksFile } : {}),
    ...(issuer ? { issuer } : {}),
    ...(audience ? { audience } : {}),
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    ...(testHooks ? { testHooks } : {}),
    ...(testRetentionSeconds !== undefined ? { testRetentionSeconds } : {}),
    ...(drainMs !== undefined ? { drainMs } : {}),
    ...(syncStream ? { syncStream } : {}),
    ...(auditStream ? { auditStream } : {}),
    ...(subjectPrefix ? { subjectPrefix } : {}),
    ...(validate ? { validateResponses: validate as ServerConfig['validateResponses'] } : {}),
  };
}

/** Runs the server until SIGTERM/SIGINT; resolves 0 after a clean drain. */
export async function run(args: string[]): Promise<number> {
  const config = serveConfig(args);
  let server;
  try {
    server = await startServer(config);
  } catch (err) {
    // Could not open the store or bind the port: a configuration problem, not a crash.
    process.stderr.write(`syncproof serve: cannot start: ${(err as Error).message}\n`);
    return 2;
  }
  const running = server;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`syncproof serve: ${signal}, draining\n`);
      running.close().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`syncproof serve: error while draining: ${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
