/**
 * `syncproof simulate --target <profile.yaml>`: a real-target run against the server a conformance
 * target profile describes (base URL, tokens, module and example payloads, NATS for the event and
 * audit checkers when the profile has a `nats` section and NATS answers).
 */
import { loadProfile } from '../../conformance/src/profile/load-profile.js';
import { createTokenSource } from '../../conformance/src/profile/token-source.js';
import { EventObserver } from '../../conformance/src/harness/event-observer.js';
import { profileRunSetup } from './profile-setup.js';
import { type RealTargetFaults, type RealTargetRun, runRealTarget } from './run-real-target.js';
import { streamEventReader } from './stream-event-reader.js';
import type { RealWorld } from './real-world.js';

/** Options of {@link runRealTargetFromProfile}. */
export interface FromProfileOptions {
  /** Real time and fresh salts (the caller's). */
  readonly world: RealWorld;
  /** @defaultValue 1 */
  readonly seed?: number;
  /** Devices. @defaultValue 8 */
  readonly clients?: number;
  /** Cap on captured mutations. @defaultValue 60 × clients / 8, at least 20 */
  readonly mutations?: number;
  /** Wall-time bound, ms. @defaultValue 15000 */
  readonly timeBudgetMs?: number;
  /** Fault intensities (defaults: every class on, moderate). */
  readonly faults?: Partial<RealTargetFaults>;
  /** Read events and audit events from the profile's NATS. @defaultValue true */
  readonly events?: boolean;
  readonly onProgress?: (line: string) => void;
}

/**
 * Loads the profile (a bad one throws the suite's `UsageError`, exit 2), runs the devices against
 * its base URL and returns the checked run. NATS unavailable → event and audit verdicts `unknown`.
 */
export async function runRealTargetFromProfile(profilePath: string, opts: FromProfileOptions): Promise<RealTargetRun> {
  const loaded = loadProfile(profilePath);
  const { profile } = loaded;
  const setup = profileRunSetup(profile, createTokenSource(loaded), { runId: loaded.runId, world: opts.world });
  const clients = opts.clients ?? 8;
  let observer: EventObserver | undefined;
  if (opts.events !== false && profile.nats) {
    observer = await EventObserver.open(profile.nats.url, profile.nats.credentials).catch((err: unknown) => {
      opts.onProgress?.(`real-target: events not checked: ${(err as Error).message}`);
      return undefined;
    });
  }
  try {
    return await runRealTarget({
      world: opts.world,
      target: profile.baseUrl,
      module: setup.module,
      tenants: setup.tenants,
      tokens: setup.tokens,
      workload: setup.workload,
      scope: setup.scope,
      ...(setup.headers ? { headers: setup.headers } : {}),
      seed: opts.seed ?? 1,
      clients,
      clones: setup.clonesPossible && clients >= 4 ? 1 : 0,
      mutations: opts.mutations ?? Math.max(20, Math.round((60 * clients) / 8)),
      timeBudgetMs: opts.timeBudgetMs ?? 15_000,
      ...(opts.faults ? { faults: opts.faults } : {}),
      ...(profile.options?.requestTimeoutMs ? { requestTimeoutMs: profile.options.requestTimeoutMs } : {}),
      ...(observer && profile.nats
        ? {
            events: streamEventReader(
              observer,
              {
                stream: profile.nats.stream,
                subjectPrefix: profile.nats.subjectPrefix,
                ...(profile.nats.auditStream && profile.nats.auditSubjectPrefix
                  ? { auditStream: profile.nats.auditStream, auditSubjectPrefix: profile.nats.auditSubjectPrefix }
                  : {}),
                settleMs: profile.nats.settleMs ?? 1_000,
              },
              setup.module,
            ),
          }
        : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  } finally {
    await observer?.close();
  }
}
