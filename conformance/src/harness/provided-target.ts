/**
 * What `syncproof run` hands the check files through vitest's provided context: the resolved
 * profile (tenants with the run id substituted, a generated signing key for the embedded server),
 * the URL to talk to (the Prism proxy when contract validation is on) and the state of services.
 */
import type { TargetProfile } from '../profile/target-profile.js';

/** The run's view of a target, serialisable (it crosses into vitest workers). */
export interface ProvidedTarget {
  readonly profile: TargetProfile;
  /** Directory relative profile paths resolve against. */
  readonly profileDir: string;
  readonly runId: string;
  /** Base URL the checks send requests to (the target, or the Prism proxy in front of it). */
  readonly requestBaseUrl: string;
  /** Base URL of the target itself (differs from requestBaseUrl when a proxy is in front). */
  readonly directBaseUrl: string;
  /** Seed for property-based checks. */
  readonly seed: number;
  /** True when requests pass through a Prism validation proxy (responses carry `sl-violations`). */
  readonly contractProxy: boolean;
  /** Why NATS cannot be used, when it cannot (event checks become `unknown`). */
  readonly natsUnavailable?: string;
  /** Name of the target in reports. */
  readonly targetName: string;
  /** `--only` glob over check ids; checks outside it are not declared. */
  readonly only?: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    /** Set by `syncproof run`; absent under plain `npm test` (self-test against the embedded reference). */
    syncproofTarget: ProvidedTarget | undefined;
  }
}
