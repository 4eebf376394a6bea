/**
 * The registry of `syncproof` subcommands. Each command lives beside the part of the tree it
 * belongs to and exports `run(args)`, resolving to an exit code (see {@link ExitCode}).
 */

/** A command module. */
export interface CommandModule {
  run(args: string[]): Promise<number>;
}

/** One registered subcommand. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Full help text printed by `syncproof <name> --help`. */
  readonly help: string;
  readonly load: () => Promise<CommandModule>;
}

/** Used for subcommands whose issue has not landed yet: says so and exits 3, never pretends. */
function notYet(name: string, issue: string): () => Promise<CommandModule> {
  return async () => ({
    run: async () => {
      process.stderr.write(`syncproof ${name}: not implemented yet (tracked in ${issue}); nothing was checked\n`);
      return 3;
    },
  });
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    summary: 'run the conformance suite (embedded reference server, or --target <profile.yaml>)',
    help: `usage: syncproof run [--target <profile.yaml>] [--only <id-glob>] [--seed <n>] [--out <dir>] [--fail-on must|should] [--no-prism] [--no-report]

Runs every requirement-tagged check. Without --target it starts the embedded reference server
(SQLite, dev token issuer) and checks it; NATS comes from NATS_URL or a local nats-server binary
started on a free port (otherwise event checks are unknown). With --target it checks that server.
Responses pass through a Prism validation proxy unless --no-prism. Writes results.json and the
signed reports to --out (default reports/) unless --no-report.`,
    load: async () => import('./commands/run-command.js'),
  },
  {
    name: 'serve',
    summary: 'start the reference server',
    help: `usage: syncproof serve [--port <n>] [--host <addr>] [--db <sqlite-file|:memory:|memory|postgres-url>] [--nats <url>]
                      [--dev-issuer | --jwks-url <url> --issuer <iss> [--audience <aud>]] [--defect <name>]...
                      [--retention-days <n>] [--sync-stream <name>] [--audit-stream <name>] [--subject-prefix <p>]
                      [--validate-responses strict|log|off] [--drain-ms <n>]

Starts the reference sync server (default port 8080, SQLite). DATABASE_URL and NATS_URL are used when
the flags are absent; without NATS events wait in the outbox. Logs one line with what it uses; GET
/healthz answers; SIGTERM drains in-flight requests and exits 0.`,
    load: async () => import('../../reference-impl/cli/serve-command.js'),
  },
  {
    name: 'simulate',
    summary: 'run a deterministic swarm of offline clients and check the history',
    help: `usage: syncproof simulate [--seed <n>] [--clients <n>] [--hours <n>] [--mutations <n>] [--faults all|none|<list>] [--target <profile.yaml>] [--out <dir>]

Runs seeded offline clients under faults against the reference core (or a target) and checks every
invariant. A failure writes a repro file and prints 'reproduce with: syncproof replay <file>'.`,
    load: notYet('simulate', 'the simulator issue'),
  },
  {
    name: 'replay',
    summary: 'replay a simulation repro file',
    help: `usage: syncproof replay <repro.json>

Re-runs the exact scenario recorded in a repro file and reports the same verdicts.`,
    load: notYet('replay', 'the simulator issue'),
  },
  {
    name: 'trace',
    summary: 'check the traceability matrix against the tests\' declarations',
    help: `usage: syncproof trace check [--fix] [--matrix <file>] [--declarations <file.json>] [--root <dir>]

Fails (exit 1, one problem a line) when a MUST has neither a test nor a not-tested reason, a test
cites an unknown ID, or the matrix's Tests column disagrees with the tests' declarations.
--fix rewrites only that generated column.`,
    load: async () => import('../../traceability/cli/trace-command.js'),
  },
  {
    name: 'report',
    summary: 'render traceability reports from a results directory',
    help: `usage: syncproof report <results-dir> [--out <dir>] [--signing-key <pem>] [--profile <file>] [--matrix <file>]

Writes traceability.md, traceability.html, junit.xml, ctrf.json, results.json and a signed evidence
manifest (evidence.dsse.json). The key comes from --signing-key or SYNCPROOF_SIGNING_KEY; without one a
one-time key is generated and its public key and fingerprint are printed and stored beside the report.
SOURCE_DATE_EPOCH fixes the timestamp.`,
    load: async () => import('../../traceability/cli/report-command.js'),
  },
  {
    name: 'verify',
    summary: 'verify a signed evidence bundle offline',
    help: `usage: syncproof verify <dir> [--public-key <pem>] [--source <repo-root>]

Re-hashes every file of a report bundle offline and checks the DSSE signature of its manifest. Any
changed, missing or added file, or a bad signature, is exit 1 naming it. --source also re-hashes
specs/ and contracts/ of a checkout against the manifest.`,
    load: async () => import('../../traceability/cli/verify-command.js'),
  },
  {
    name: 'lint',
    summary: 'lint a module\'s OpenAPI contract against the offline-capable-module rules',
    help: `usage: syncproof lint <openapi-file>

Reports write operations without Idempotency-Key or clientMutationId, missing 409/412/422/428
problem responses, versioned resources without ETag, and tenant taken from the body. Exit 1 on any error.`,
    load: async () => import('../../contracts/lint/lint-command.js'),
  },
  {
    name: 'pact-verify',
    summary: "verify the offline client's committed pact against a server",
    help: `usage: syncproof pact-verify [--target <profile.yaml>] [--pact <file>]

Verifies the committed client pact (contracts/pacts/) against a server. Without --target it starts
the embedded reference server and also verifies the event consumer pact against the reference
core's events. The profile must let the suite mint tokens for any tenant, because every interaction
runs in a fresh tenant. Exit 3 when the server cannot be reached or a provider state cannot be set up.`,
    load: async () => import('../pact/src/pact-verify-command.js'),
  },
  {
    name: 'mock',
    summary: 'serve a Prism mock of the sync contract for client teams',
    help: `usage: syncproof mock [--port <n>]

Starts a Prism mock server of the sync contract (default port 4010) for client teams.`,
    load: async () => import('./commands/mock-command.js'),
  },
  {
    name: 'init',
    summary: 'write a commented starter target profile',
    help: `usage: syncproof init [<file>] [--force]

Writes a commented starter target profile to fill in for your own server (default syncproof.target.yaml).`,
    load: async () => import('./commands/init-command.js'),
  },
];
