/**
 * The environment of a check file under `syncproof run`: an HTTP target to the URL the runner
 * provided (the target or its Prism proxy) and a token source for the resolved profile.
 */
import { createTokenSource } from '../profile/token-source.js';
import { createHttpTarget } from '../target/http-target.js';
import type { HarnessEnvironment } from './check-harness.js';
import type { ProvidedTarget } from './provided-target.js';

/** Builds the environment from what the runner provided. */
export function providedEnvironment(p: ProvidedTarget): HarnessEnvironment {
  const target = createHttpTarget({
    baseUrl: p.requestBaseUrl,
    name: p.targetName,
    ...(p.profile.headers ? { defaultHeaders: p.profile.headers } : {}),
    ...(p.profile.options?.requestTimeoutMs ? { timeoutMs: p.profile.options.requestTimeoutMs } : {}),
  });
  const directTarget =
    p.directBaseUrl !== p.requestBaseUrl
      ? createHttpTarget({
          baseUrl: p.directBaseUrl,
          name: p.targetName,
          ...(p.profile.headers ? { defaultHeaders: p.profile.headers } : {}),
          ...(p.profile.options?.requestTimeoutMs ? { timeoutMs: p.profile.options.requestTimeoutMs } : {}),
        })
      : undefined;
  return {
    profile: p.profile,
    ...(directTarget ? { directTarget } : {}),
    runId: p.runId,
    seed: p.seed,
    target,
    tokens: createTokenSource({ profile: p.profile, dir: p.profileDir, runId: p.runId }),
    ...(p.natsUnavailable ? { natsUnavailable: p.natsUnavailable } : {}),
    selfTest: false,
    contractProxy: p.contractProxy,
    close: async () => {
      await target.close();
      await directTarget?.close();
    },
  };
}
