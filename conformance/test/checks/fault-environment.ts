/**
 * Test-local faults for the suite's own tests: the in-process reference server wrapped in a Target
 * that breaks exactly one rule, so each family can be shown to catch it (Schemathesis-style
 * catalogue, kept here until the reference's defect catalogue lands).
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import type { Target, TargetRequest, TargetResponse } from '../../src/target/target.js';
import { runCheckBody, type CheckDefinitions } from '../../src/harness/run-check-body.js';
import { checkEntry } from '../../src/registry.js';
import type { HarnessEnvironment } from '../../src/harness/check-harness.js';
import { createTokenSource } from '../../src/profile/token-source.js';
import { newRunId } from '../../src/profile/load-profile.js';
import { embeddedNatsOptions, startEmbeddedReference, type EmbeddedReference } from '../../src/run/embedded-reference.js';
import { resolveNats, type NatsService } from '../../src/run/nats-service.js';

/** Rewrites requests and/or responses of a target. */
export interface Fault {
  readonly name: string;
  request?(req: TargetRequest, inner: Target, env: HarnessEnvironment): Promise<TargetRequest>;
  response?(res: TargetResponse, req: TargetRequest, inner: Target, env: HarnessEnvironment): Promise<TargetResponse>;
}

/** A running in-process reference and the clean environment over it. */
export interface FaultBench {
  readonly clean: HarnessEnvironment;
  /** The clean environment with `fault` planted between the checks and the server. */
  withFault(fault: Fault): HarnessEnvironment;
  readonly natsAvailable: boolean;
  close(): Promise<void>;
}

/** Replaces the JSON body of a response. */
export function withBody(res: TargetResponse, body: unknown, headers: Record<string, string> = {}): TargetResponse {
  const rawBody = JSON.stringify(body);
  return { ...res, body, rawBody, headers: { ...res.headers, ...headers } };
}

/** Starts the bench. */
export async function startFaultBench(): Promise<FaultBench> {
  const runId = newRunId();
  const nats: NatsService = await resolveNats();
  const embedded: EmbeddedReference = await startEmbeddedReference({ listen: false, runId, ...embeddedNatsOptions(nats) });
  const clean: HarnessEnvironment = {
    profile: embedded.profile,
    runId,
    seed: 7,
    target: embedded.target!,
    tokens: createTokenSource({ profile: embedded.profile, dir: embedded.profileDir, runId }),
    ...('unavailable' in nats ? { natsUnavailable: nats.unavailable } : {}),
    selfTest: true,
    contractProxy: false,
    close: async () => undefined,
  };
  return {
    clean,
    natsAvailable: nats.url !== undefined,
    withFault(fault) {
      const inner = clean.target;
      const faulty: Target = {
        name: `${inner.name} + ${fault.name}`,
        async request(req) {
          const sent = fault.request ? await fault.request(req, inner, clean) : req;
          const res = await inner.request(sent);
          return fault.response ? fault.response(res, sent, inner, clean) : res;
        },
        close: async () => undefined,
      };
      return { ...clean, target: faulty };
    },
    async close() {
      await embedded.close();
      await nats.close();
    },
  };
}

/** Bearer token of a request, if any. */
export function bearer(req: TargetRequest): string | undefined {
  const h = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  return h?.replace(/^Bearer\s+/i, '');
}

/** A fresh token with the claims of `token` (tenant, subject, roles), valid for an hour. */
export async function refreshed(token: string, env: HarnessEnvironment): Promise<string> {
  const c = decodeJwt(token);
  return env.tokens.mint({ tenantId: String(c.tenant_id), sub: String(c.sub), roles: c.roles as never });
}

/** A random id (re-exported for faults that forge values). */
export const freshId = (): string => randomUUID();

/**
 * One fault bench for the calling test file: started before its tests, closed after them. Returns
 * a getter, since the bench exists only once `beforeAll` ran.
 */
export function useFaultBench(): () => FaultBench {
  let bench: FaultBench | undefined;
  beforeAll(async () => {
    bench = await startFaultBench();
  }, 60_000);
  afterAll(async () => {
    await bench?.close();
  });
  return () => {
    if (!bench) throw new Error('the fault bench is not started (use it inside a test)');
    return bench;
  };
}

/** Runs check `id` of `defs` against `env` as the suite does: verdict, typed failure, evidence. */
export function verdictOf(defs: CheckDefinitions, id: string, env: HarnessEnvironment): ReturnType<typeof runCheckBody> {
  const def = defs[id];
  if (!def) throw new Error(`no check ${id}`);
  return runCheckBody(env, checkEntry(id), def);
}
