/**
 * The environment of a check file under plain `npm test`: the reference server in-process (no
 * socket) with its dev-run signing key, NATS from `NATS_URL` or a test-owned `nats-server`.
 * Missing services are reported as `unknown` (shown as skipped under `npm test`).
 */
import { createTokenSource } from '../profile/token-source.js';
import { newRunId } from '../profile/load-profile.js';
import { embeddedNatsOptions, startEmbeddedReference } from '../run/embedded-reference.js';
import { resolveNats } from '../run/nats-service.js';
import type { HarnessEnvironment } from './check-harness.js';

/** Options of {@link selfTestEnvironment}. */
export interface SelfTestEnvironmentOptions {
  /** Environment NATS is resolved from (default `process.env`; `{}` = always a test-owned nats-server). */
  readonly natsEnv?: NodeJS.ProcessEnv;
  /** Seed of the checks' generated inputs (default `SYNCPROOF_SEED` or 42). */
  readonly seed?: number;
}

/** Starts the in-process reference for one check file. */
export async function selfTestEnvironment(options: SelfTestEnvironmentOptions = {}): Promise<HarnessEnvironment> {
  const runId = newRunId();
  const nats = await resolveNats(options.natsEnv);
  const embedded = await startEmbeddedReference({ listen: false, runId, ...embeddedNatsOptions(nats) });
  const unavailable = nats.url ? undefined : (nats as { unavailable: string }).unavailable;
  return {
    profile: embedded.profile,
    runId,
    seed: options.seed ?? Number(process.env.SYNCPROOF_SEED ?? 42),
    target: embedded.target!,
    tokens: createTokenSource({ profile: embedded.profile, dir: embedded.profileDir, runId }),
    ...(unavailable ? { natsUnavailable: unavailable } : {}),
    selfTest: true,
    contractProxy: false,
    async close() {
      await embedded.close();
      await nats.close();
    },
  };
}
