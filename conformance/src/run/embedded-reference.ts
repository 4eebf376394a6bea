/**
 * The embedded reference server of `syncproof run` (no --target) and of the self-test under
 * `npm test`: the reference app over an in-memory SQLite store, trusting a signing key generated
 * for this run (so the suite can mint expired, foreign-audience and reduced-role tokens), with its
 * own NATS streams and subject prefix, a short idempotency retention the retention check uses and
 * the host contract's test hooks on (TARGET.md §5), as `syncproof serve --test-hooks` offers them.
 * Its profile is conformance/profiles/reference.yaml with those facts filled in.
 */
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { FastifyInstance } from 'fastify';
import { buildApp, createInjectTarget } from '../../../reference-impl/src/app.js';
import { createTokenVerifier } from '../../../reference-impl/src/auth/token-verifier.js';
import { openSqliteStore } from '../../../reference-impl/src/stores/sqlite/sqlite-store.js';
import { JetStreamBus } from '../../../reference-impl/src/events/jetstream-bus.js';
import { OutboxRelay } from '../../../reference-impl/src/events/outbox-relay.js';
import { plantDefects } from '../../../reference-impl/src/defects/plant-defects.js';
import { loadProfile } from '../profile/load-profile.js';
import type { TargetProfile } from '../profile/target-profile.js';
import type { Target } from '../target/target.js';
import type { NatsService } from './nats-service.js';

/** Path of the reference profile the embedded profile derives from. */
export const REFERENCE_PROFILE = fileURLToPath(new URL('../../profiles/reference.yaml', import.meta.url));

/** Options of {@link startEmbeddedReference}. */
export interface EmbeddedOptions {
  /** Listen on 127.0.0.1 (a free port) instead of serving only `inject()`. */
  readonly listen: boolean;
  /** NATS for the outbox relay; absent = events stay in the outbox. */
  readonly natsUrl?: string;
  /**
   * Credentials of a client-level NATS user on `natsUrl` (NatsService.clientCredentials), put in
   * the profile so `evt.client-cannot-publish` runs; absent, that check is not applicable.
   */
  readonly natsClientCredentials?: { readonly user: string; readonly pass: string };
  /** Idempotency retention in seconds for the retention check. @defaultValue 2 */
  readonly retentionSeconds?: number;
  readonly runId: string;
  /**
   * Planted defects by catalogue name (reference-impl/src/defects/catalogue.ts) — `npm run
   * selftest` only, through the hidden `syncproof run --defect`. Planted into the store the relay
   * and the app share, the relay's bus and the app.
   */
  readonly defects?: readonly string[];
  /** Extra app options for the suite's own tests. */
  readonly appOverrides?: Record<string, unknown>;
}

/** The NATS options of {@link startEmbeddedReference} for what resolveNats found. */
export function embeddedNatsOptions(nats: NatsService): Pick<EmbeddedOptions, 'natsUrl' | 'natsClientCredentials'> {
  if (nats.url === undefined) return {};
  return { natsUrl: nats.url, ...(nats.clientCredentials ? { natsClientCredentials: nats.clientCredentials } : {}) };
}

/** A started embedded reference. */
export interface EmbeddedReference {
  readonly profile: TargetProfile;
  /** Directory relative profile paths resolve against. */
  readonly profileDir: string;
  /** `http://127.0.0.1:<port>` when listening. */
  readonly baseUrl?: string;
  /** The in-process target when not listening. */
  readonly target?: Target;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

const ISSUER = 'urn:syncproof:conformance-embedded';
const AUDIENCE = 'syncproof-clinic';

/** Starts the embedded reference server. */
export async function startEmbeddedReference(options: EmbeddedOptions): Promise<EmbeddedReference> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `conformance-${options.runId}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' };
  const verifier = createTokenVerifier({ jwks: { kind: 'local', jwks: { keys: [publicJwk] } }, issuer: ISSUER, audience: AUDIENCE });
  const planted = plantDefects(options.defects);
  const store = planted.store(openSqliteStore({ filename: ':memory:' }));
  const retention = options.retentionSeconds ?? 2;
  // Own streams and subject prefix: a shared NATS server may hold other runs' streams.
  const tag = options.runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
  const syncStream = `SP_${tag}_SYNC`;
  const auditStream = `SP_${tag}_AUDIT`;
  const prefix = `sp${tag}.`;
  let relay: OutboxRelay | undefined;
  if (options.natsUrl) {
    const url = options.natsUrl;
    relay = new OutboxRelay({
      source: store,
      connect: async () => planted.bus(await JetStreamBus.connect({ url, syncStream, auditStream, subjectPrefix: prefix, name: 'syncproof-embedded-reference' })),
      pollMs: 50,
      log: () => undefined,
    });
    relay.start();
  }
  const app = await buildApp({
    store,
    verifier,
    coreConfig: { idempotencyRetentionMs: retention * 1000 },
    onCommit: relay ? () => relay.kick() : () => undefined,
    validateResponses: 'off',
    log: () => undefined,
    testHooks: true,
    ...(planted.names.length > 0 ? { defects: planted.names } : {}),
    ...(options.appOverrides ?? {}),
  });
  let baseUrl: string | undefined;
  if (options.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }
  const reference = loadProfile(REFERENCE_PROFILE, options.runId).profile;
  const profile: TargetProfile = {
    ...reference,
    name: options.listen ? 'reference (embedded)' : 'reference (in-process)',
    baseUrl: baseUrl ?? 'http://in-process.invalid',
    auth: { kind: 'jwt-signing-key', alg: 'EdDSA', kid, issuer: ISSUER, audience: AUDIENCE, privateKeyJwk: privateJwk },
    idempotency: { ...reference.idempotency, testRetentionSeconds: retention },
    testHooks: { ...reference.testHooks, holdInFlight: true },
    nats: {
      ...natsWithoutCredentials(reference.nats!),
      ...(options.natsUrl
        ? { url: options.natsUrl, stream: syncStream, auditStream, subjectPrefix: `${prefix}sync`, auditSubjectPrefix: `${prefix}audit` }
        : { url: 'nats://127.0.0.1:1' }),
      ...(options.natsUrl && options.natsClientCredentials ? { clientCredentials: { ...options.natsClientCredentials } } : {}),
    },
  };
  const target = options.listen ? undefined : createInjectTarget(app, 'reference (in-process)');
  return {
    profile,
    profileDir: dirname(REFERENCE_PROFILE),
    ...(baseUrl ? { baseUrl } : {}),
    ...(target ? { target } : {}),
    app,
    async close() {
      await app.close();
      await relay?.stop(500);
      await deleteStreams(options.natsUrl, [syncStream, auditStream]);
      store.close();
    },
  };
}

/** reference.yaml's NATS section minus its credentials: they belong to its own NATS, not this run's. */
function natsWithoutCredentials(nats: NonNullable<TargetProfile['nats']>): NonNullable<TargetProfile['nats']> {
  const { credentials: _credentials, clientCredentials: _clientCredentials, ...rest } = nats;
  return rest;
}

async function deleteStreams(url: string | undefined, names: readonly string[]): Promise<void> {
  if (!url) return;
  try {
    const { connect } = await import('@nats-io/transport-node');
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const nc = await connect({ servers: url, timeout: 1_000, reconnect: false });
    try {
      const jsm = await jetstreamManager(nc);
      for (const n of names) await jsm.streams.delete(n).catch(() => false);
    } finally {
      await nc.close();
    }
  } catch {
    // Cleanup is best effort: a test-owned server is thrown away anyway.
  }
}
