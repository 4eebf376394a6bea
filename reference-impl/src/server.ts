/**
 * The reference server process: store + app + outbox relay, listening on a port, draining on
 * SIGTERM. `syncproof serve` (reference-impl/cli/serve-command.ts) parses the command line and calls
 * {@link startServer}; tests spawn this file directly (`node --import tsx reference-impl/src/server.ts
 * --db <file> --port 0 --dev-issuer`) and read the one start line from stdout.
 */
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { JSONWebKeySet } from 'jose';
import { buildApp } from './app.js';
import { createDevIssuer } from './auth/dev-issuer.js';
import { createTokenVerifier, DEFAULT_AUDIENCE, type TokenVerifier } from './auth/token-verifier.js';
import { plantDefects } from './defects/plant-defects.js';
import { DEFAULT_AUDIT_STREAM, DEFAULT_SYNC_STREAM, JetStreamBus } from './events/jetstream-bus.js';
import { OutboxRelay } from './events/outbox-relay.js';
import { ProblemError } from './http/problem.js';
import type { ResponseValidation } from './http/respond.js';
import type { Store } from './ports/store.js';
import { openStore } from './stores/open-store.js';

/** Everything a server process needs to know. */
export interface ServerConfig {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  readonly host: string;
  /** `memory`, `:memory:` or a file (SQLite), or a `postgres://` URL. */
  readonly db: string;
  /** NATS URL; absent = events stay in the outbox. */
  readonly natsUrl?: string;
  readonly syncStream?: string;
  readonly auditStream?: string;
  readonly subjectPrefix?: string;
  /** Enable the dev token issuer. */
  readonly devIssuer: boolean;
  /** Verify tokens against this JWKS URL (production). */
  readonly jwksUrl?: string;
  /**
   * Verify tokens against this public key set (`--jwks-file`; e.g. the dev-only key of
   * conformance/profiles/reference.yaml). `jwksFile` names it in the start line.
   */
  readonly jwks?: JSONWebKeySet;
  readonly jwksFile?: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Planted defects by catalogue name (src/defects/catalogue.ts; the suite's self-test only). */
  readonly defects?: ReadonlySet<string>;
  /** Idempotency record retention in days (default 30). */
  readonly retentionDays?: number;
  /**
   * Honour the host contract's test hooks (`--test-hooks`, conformance/TARGET.md §5). Conformance
   * runs only; announced loudly in the start line.
   */
  readonly testHooks?: boolean;
  /** Test-only idempotency retention in seconds (needs `testHooks`; wins over `retentionDays`). */
  readonly testRetentionSeconds?: number;
  readonly validateResponses?: ResponseValidation;
  /** How long SIGTERM waits for the relay to flush (default 2 s). */
  readonly drainMs?: number;
}

/** A listening server. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly relay: OutboxRelay | undefined;
  /** The start line that was logged. */
  readonly startLine: string;
  /** Stops accepting, finishes in-flight requests, flushes the relay briefly, closes the store. */
  close(): Promise<void>;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

const refuseAll: TokenVerifier = {
  verify: async () => {
    throw ProblemError.of('unauthorized', 'this server has no token issuer configured');
  },
};

/** Opens the store, builds the app, starts the relay and listens. */
export async function startServer(config: ServerConfig, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<RunningServer> {
  const planted = plantDefects(config.defects);
  // Relay and app share one planted store (a store-level defect may concern the outbox).
  const store = planted.store(await openStore(config.db));
  const issuer = config.devIssuer ? await createDevIssuer() : undefined;
  let verifier: TokenVerifier | undefined;
  let tokens: string;
  if (config.jwksUrl) {
    verifier = createTokenVerifier({
      jwks: { kind: 'remote', url: config.jwksUrl },
      issuer: config.issuer ?? '',
      audience: config.audience ?? DEFAULT_AUDIENCE,
    });
    tokens = `tokens from ${config.jwksUrl}${issuer ? ' (dev issuer also on)' : ''}`;
  } else if (config.jwks) {
    verifier = createTokenVerifier({
      jwks: { kind: 'local', jwks: config.jwks },
      issuer: config.issuer ?? '',
      audience: config.audience ?? DEFAULT_AUDIENCE,
    });
    tokens = `tokens signed by the keys of ${config.jwksFile ?? 'the given JWKS'} (iss ${config.issuer ?? ''})${issuer ? ' (dev issuer also on)' : ''}`;
  } else if (issuer) {
    tokens = 'tokens from the dev issuer (POST /v1/dev/tokens)';
  } else {
    verifier = refuseAll;
    tokens = 'no token issuer (every authenticated request is 401; use --dev-issuer or --jwks-url)';
  }

  let relay: OutboxRelay | undefined;
  const errLog = (l: string) => process.stderr.write(`${l}\n`);
  if (config.natsUrl) {
    const natsUrl = config.natsUrl;
    relay = new OutboxRelay({
      source: store,
      connect: async () =>
        planted.bus(
          await JetStreamBus.connect({
            url: natsUrl,
            ...(config.syncStream ? { syncStream: config.syncStream } : {}),
            ...(config.auditStream ? { auditStream: config.auditStream } : {}),
            ...(config.subjectPrefix ? { subjectPrefix: config.subjectPrefix } : {}),
          }),
        ),
      log: errLog,
    });
    relay.start();
  }

  const retentionMs =
    config.testHooks && config.testRetentionSeconds !== undefined
      ? config.testRetentionSeconds * 1000
      : config.retentionDays !== undefined
        ? config.retentionDays * 86_400_000
        : undefined;
  let closing = false;
  const app = await buildApp({
    isDraining: () => closing,
    store,
    ...(verifier ? { verifier } : {}),
    ...(issuer ? { devIssuer: issuer } : {}),
    ...(config.defects ? { defects: config.defects } : {}),
    ...(retentionMs !== undefined ? { coreConfig: { idempotencyRetentionMs: retentionMs } } : {}),
    ...(config.testHooks ? { testHooks: true } : {}),
    // Checking every response costs ~40 % of a small push; tests and the in-process target keep
    // buildApp's `strict`, a served process checks only when asked (--validate-responses).
    validateResponses: config.validateResponses ?? 'off',
    onCommit: relay ? () => relay.kick() : () => undefined,
    log: errLog,
  });

  // Idempotency records past retention are already treated as expired by the core; deleting them
  // hourly only keeps the table from growing without bound (client sequences stay, TR §4.2).
  const keepMs = retentionMs ?? 30 * 86_400_000;
  const purge = setInterval(() => {
    Promise.resolve(store.purgeIdempotency(Date.now() - keepMs)).catch((err: Error) => errLog(`purge failed: ${err.message}`));
  }, 3_600_000);
  purge.unref();

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  const pending = await store.outboxSize();
  const events = config.natsUrl
    ? `events to ${redact(config.natsUrl)} (streams ${config.syncStream ?? DEFAULT_SYNC_STREAM}, ${config.auditStream ?? DEFAULT_AUDIT_STREAM}${config.subjectPrefix ? `, prefix ${config.subjectPrefix}` : ''}; ${pending} waiting in the outbox)`
    : `events kept in the outbox, not published (no NATS URL; ${pending} waiting)`;
  const hooks = config.testHooks
    ? ` · TEST HOOKS ON (Syncproof-Test-Hold-Ms honoured${retentionMs !== undefined && config.testRetentionSeconds !== undefined ? `; idempotency retention ${config.testRetentionSeconds} s` : ''}; never in production)`
    : '';
  const startLine = `syncproof serve: listening on ${url} · store ${redact(store.description)} · ${events} · ${tokens}${hooks}${config.defects && config.defects.size > 0 ? ` · PLANTED DEFECTS: ${[...config.defects].join(', ')}` : ''}`;
  log(startLine);

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    store,
    relay,
    startLine,
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(purge);
        // In-flight requests finish; a connection still open after the grace period is cut so a
        // stuck client cannot keep the process alive.
        const force = setTimeout(() => app.server.closeAllConnections(), 10_000);
        force.unref();
        await app.close();
        clearTimeout(force);
        await relay?.stop(config.drainMs ?? 2_000);
        await store.close();
      })();
      return closed;
    },
  };
}

// Run as a process entry: `node --import tsx reference-impl/src/server.ts [serve options]`. Not a
// top-level await: serve-command imports this module, and a pending top-level await here would
// deadlock that cycle.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void (async () => {
    const { run } = await import('../cli/serve-command.js');
    const { UsageError } = await import('../../conformance/cli/usage-error.js');
    try {
      process.exitCode = await run(process.argv.slice(2));
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`syncproof serve: ${err.message}\n`);
      process.exitCode = 2;
    }
  })();
}
