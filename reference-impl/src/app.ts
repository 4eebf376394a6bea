/**
 * The reference server's Fastify app factory (no listen): every operation of the sync contract over
 * the domain core and a store. `syncproof serve` (src/server.ts) listens on it; tests and the
 * in-process conformance target drive it through `app.inject()`.
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { createAuditRecorder } from './audit/audit-recorder.js';
import { DeviceEnvelopes } from './audit/device-envelopes.js';
import type { DevIssuer } from './auth/dev-issuer.js';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js';
import { clinicModule } from './domain/clinic/clinic-module.js';
import { createCore, type Core } from './domain/core.js';
import { plantDefects } from './defects/plant-defects.js';
import { verifyEnvelopeBatch } from './audit/envelope-chain.js';
import { moduleRegistry, type ModuleRegistry } from './domain/module.js';
import type { CoreConfig } from './domain/types.js';
import { installAuthentication } from './http/authenticate.js';
import { installErrorHandling } from './http/error-mapping.js';
import { DEFAULT_BODY_LIMIT, installJsonBodyParser } from './http/json-body-parser.js';
import { makeProblem, PROBLEM_CONTENT_TYPE } from './http/problem.js';
import { Responder, type ResponseValidation } from './http/respond.js';
import { registerAuditRoutes } from './http/routes/audit-routes.js';
import { registerOpsRoutes } from './http/routes/ops-routes.js';
import { registerRestRoutes } from './http/routes/rest-routes.js';
import type { RouteContext } from './http/routes/route-context.js';
import { registerSyncRoutes } from './http/routes/sync-routes.js';
import type { Clock } from './ports/clock.js';
import type { Store } from './ports/store.js';

export { createInjectTarget } from './http/inject-target.js';

/** Options of {@link buildApp}. */
export interface AppOptions {
  /** Where state lives (memory, SQLite, PostgreSQL). The app does not close it. */
  readonly store: Store;
  /**
   * Token verification. Defaults to the dev issuer's keys when `devIssuer` is given; one of the two
   * is required.
   */
  readonly verifier?: TokenVerifier;
  /** Enables `/.well-known/jwks.json` and `POST /v1/dev/tokens`. Never on unless asked for. */
  readonly devIssuer?: DevIssuer;
  /** Server clock (default: the wall clock). */
  readonly clock?: Clock;
  /** Modules served (default: clinic). */
  readonly modules?: ModuleRegistry;
  /** Core configuration overrides (retention, limits). */
  readonly coreConfig?: Partial<CoreConfig>;
  /**
   * Planted defects by catalogue name (src/defects/catalogue.ts) — the suite's self-test only. An
   * unknown name throws UnknownDefectError naming the valid ones.
   */
  readonly defects?: Iterable<string>;
  /** Called after each request that may have written outbox rows (wakes the relay). */
  readonly onCommit?: () => void;
  /** Contract check of responses (default `strict`). */
  readonly validateResponses?: ResponseValidation;
  /** Request body limit in bytes (default 1 MiB, TR §12). */
  readonly bodyLimit?: number;
  /**
   * True while the server drains (SIGTERM): new requests get 503 `service-unavailable` with
   * `Connection: close` while in-flight ones finish.
   */
  readonly isDraining?: () => boolean;
  /** Sink for one-line error logs (default stderr). */
  readonly log?: (line: string) => void;
  /**
   * Honour the host contract's test hooks (conformance/TARGET.md §5, http/test-hooks.ts): the
   * `Syncproof-Test-Hold-Ms` header holds a REST write in flight. Conformance runs only; never on
   * unless asked for, because a client could otherwise slow the server down at will.
   */
  readonly testHooks?: boolean;
}

const systemClock: Clock = { now: () => Date.now() };

/** Builds the app (routes registered, not listening). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const verifier =
    options.verifier ?? (options.devIssuer ? createTokenVerifier(options.devIssuer.verifierOptions()) : undefined);
  if (!verifier) throw new TypeError('buildApp needs a token verifier or a dev issuer');
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const clock = options.clock ?? systemClock;

  const modules = options.modules ?? moduleRegistry(clinicModule);
  const planted = plantDefects(options.defects);
  const store = planted.store(options.store);
  const core = planted.core(
    createCore({
      store,
      clock,
      modules,
      ...(options.coreConfig ? { config: options.coreConfig } : {}),
      ...(planted.domain.size > 0 ? { defects: planted.domain } : {}),
      audit: planted.audit(createAuditRecorder()),
    }),
    store,
  ) as unknown as Core<'async'>;

  const app = Fastify({
    logger: false,
    bodyLimit,
    // Malformed URLs (bad percent-encoding) are the client's mistake: 400 problem, not a crash.
    frameworkErrors: (err, _request, reply) => {
      const problem = makeProblem('validation-failed', err.message, {
        errors: [{ pointer: '', detail: 'the request URL cannot be decoded' }],
      });
      void (reply as FastifyReply).code(400).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    },
    // Draining is answered by our own hook with a problem body (see isDraining).
    return503OnClosing: false,
  });

  installErrorHandling(app, bodyLimit, log);
  const isDraining = options.isDraining;
  if (isDraining) {
    app.addHook('onRequest', async (_request, reply) => {
      if (!isDraining()) return;
      reply.header('connection', 'close');
      await reply
        .code(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send(JSON.stringify(makeProblem('service-unavailable', 'the server is shutting down; retry')));
    });
    // Requests that were in flight when draining began get their answer, then the connection
    // closes; otherwise an idle keep-alive connection would hold the shutdown open.
    app.addHook('onSend', async (_request, reply, payload) => {
      if (isDraining()) reply.header('connection', 'close');
      return payload;
    });
  }
  installJsonBodyParser(app, bodyLimit);
  installAuthentication(app, verifier);
  planted.http(app, store);

  const rc: RouteContext = {
    core,
    store,
    devices: new DeviceEnvelopes(store, () => new Date(clock.now()), planted.envelopes(verifyEnvelopeBatch)),
    modules,
    responder: new Responder(options.validateResponses ?? 'strict', log),
    devIssuer: options.devIssuer,
    onCommit: options.onCommit ?? (() => undefined),
    testHooks: options.testHooks === true,
  };
  registerOpsRoutes(app, rc);
  registerSyncRoutes(app, rc);
  registerAuditRoutes(app, rc);
  registerRestRoutes(app, rc);
  await app.ready();
  return app;
}
