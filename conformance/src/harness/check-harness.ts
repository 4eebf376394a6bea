/**
 * What a check body receives: the profile, actors of both tenants, example payloads, the event
 * observer and a recording target. One harness per check run; one {@link HarnessEnvironment} per
 * check file (or per unit test of the suite itself, over a deliberately broken target).
 */
import { NotApplicableError, InconclusiveError } from '../failures.js';
import type { AggregateSpec, ConflictPolicy, TargetProfile } from '../profile/target-profile.js';
import type { TenantKey, TokenSource } from '../profile/token-source.js';
import type { Target } from '../target/target.js';
import type { CheckEntry } from '../registry.js';
import { Actor } from './actor.js';
import { EventObserver } from './event-observer.js';
import { examplePayload, type JsonObject } from './payloads.js';
import { recordingTarget, type RecordingTarget } from './recording-target.js';

/** A target plus everything needed to talk to it; shared by the checks of one file. */
export interface HarnessEnvironment {
  readonly profile: TargetProfile;
  readonly runId: string;
  readonly seed: number;
  readonly target: Target;
  /** The target without the contract proxy in front (for deliberately malformed requests); defaults to `target`. */
  readonly directTarget?: Target;
  readonly tokens: TokenSource;
  /** Why NATS cannot be used (event checks become `unknown`); undefined when it can or is not configured. */
  readonly natsUnavailable?: string;
  /** True under plain `npm test` (self-test); environmental unknowns are then reported as skips. */
  readonly selfTest: boolean;
  /** True when responses carry Prism `sl-violations`. */
  readonly contractProxy: boolean;
  close(): Promise<void>;
}

/** The API of a check body. */
export interface CheckHarness {
  readonly entry: CheckEntry;
  readonly profile: TargetProfile;
  readonly module: string;
  readonly seed: number;
  readonly runId: string;
  readonly target: RecordingTarget;
  readonly tokens: TokenSource;
  /** A principal of a tenant (default the clinician); skipped when the profile lacks it. */
  actor(tenant: TenantKey, principal?: string): Actor;
  /** The aggregate with a policy; skipped when the module declares none. */
  aggregate(policy: ConflictPolicy): AggregateSpec;
  /** An example payload of `agg` for `op`, fresh values, `overrides` on top; skipped when the profile has none. */
  payload(agg: AggregateSpec, op: keyof AggregateSpec['examplePayloads'], overrides?: JsonObject): JsonObject;
  /** The event observer; `unknown` when NATS is unavailable, `skipped` when the profile has no NATS section. */
  events(): Promise<EventObserver>;
  /** Sync event subject filter of a tenant: `<prefix>.<tenantId>.<module>.>`. */
  eventSubject(tenantId: string, rest?: string): string;
  /** Releases what the harness opened. */
  dispose(): Promise<void>;
}

/** Builds the harness for one run of `entry`. */
export function createHarness(env: HarnessEnvironment, entry: CheckEntry, options: { direct?: boolean } = {}): CheckHarness {
  const { profile } = env;
  const phiFields = profile.aggregates.flatMap((a) => a.phiFields ?? []);
  const target = recordingTarget(options.direct ? (env.directTarget ?? env.target) : env.target, { phiFields, recordPhi: profile.options?.recordPhi === true });
  let observer: Promise<EventObserver> | undefined;
  const actors = new Map<string, Actor>();
  return {
    entry,
    profile,
    module: profile.module,
    seed: env.seed,
    runId: env.runId,
    target,
    tokens: env.tokens,
    actor(tenant, principal = 'clinician') {
      const key = `${tenant}/${principal}`;
      let a = actors.get(key);
      if (!a) {
        const spec = env.tokens.principal(tenant, principal);
        a = new Actor(target, () => env.tokens.token(tenant, principal), tenant, profile.tenants[tenant].id, principal, spec, profile.module);
        actors.set(key, a);
      }
      return a;
    },
    aggregate(policy) {
      const agg = profile.aggregates.find((a) => a.policy === policy);
      if (!agg) throw new NotApplicableError(`the profile declares no aggregate with policy ${policy}`);
      return agg;
    },
    payload(agg, op, overrides = {}) {
      const example = agg.examplePayloads[op];
      if (!example) throw new NotApplicableError(`the profile gives no '${op}' example payload for aggregate ${agg.type}`);
      return examplePayload(example, overrides);
    },
    events() {
      if (!profile.nats) return Promise.reject(new NotApplicableError('the profile has no nats section'));
      if (env.natsUnavailable) return Promise.reject(new InconclusiveError(env.natsUnavailable, { environmental: true }));
      const nats = profile.nats;
      observer ??= EventObserver.open(nats.url, nats.credentials);
      return observer;
    },
    eventSubject(tenantId, rest = '>') {
      const prefix = profile.nats?.subjectPrefix ?? 'sync';
      return `${prefix}.${tenantId}.${profile.module}.${rest}`;
    },
    async dispose() {
      if (observer) await (await observer.catch(() => undefined))?.close();
    },
  };
}
