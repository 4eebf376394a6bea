/**
 * The robustness checks against the in-process reference (pass) and against test-local faults that
 * answer input the contract never accepts with a success, or an oversized batch other than the
 * way OFS-SEC-008 states it (413 batch-too-large naming the limit).
 */
import { describe, expect, test } from 'vitest';
import { ConformanceFailure } from '../../src/failures.js';
import { runCheckBody } from '../../src/harness/run-check-body.js';
import type { HarnessEnvironment } from '../../src/harness/check-harness.js';
import { checkEntry } from '../../src/registry.js';
import { robustnessChecks } from '../../src/checks/robustness.js';
import { withBody, type Fault, useFaultBench } from './fault-environment.js';

const bench = useFaultBench();

function run(id: string, env: HarnessEnvironment) {
  return runCheckBody(env, checkEntry(id), robustnessChecks[id]!);
}

const isPush = (path: string) => /\/v1\/sync\/[^/]+\/push$/.test(path);
const problemOf = (body: unknown) => ((body as { type?: unknown } | undefined)?.type as string | undefined) ?? '';

function expectFailure(r: Awaited<ReturnType<typeof run>>, code: string, requirement: string): ConformanceFailure {
  expect(r.verdict, String((r.error as Error | undefined)?.message)).toBe('fail');
  expect(r.error).toBeInstanceOf(ConformanceFailure);
  const failure = r.error as ConformanceFailure;
  expect(failure.code).toBe(code);
  expect(failure.requirement).toBe(requirement);
  return failure;
}

describe('rob.malformed-inputs-no-5xx', () => {
  const CHECK = 'rob.malformed-inputs-no-5xx';

  test('passes against the clean reference', { timeout: 60_000 }, async () => {
    const r = await run(CHECK, bench().clean);
    expect(r.error, String((r.error as Error | undefined)?.message)).toBeUndefined();
    expect(r.verdict).toBe('pass');
  });

  test('fails against a server that answers 200 to a push sent as text/plain or as malformed JSON', { timeout: 60_000 }, async () => {
    const accepts: Fault = {
      name: 'accepts unparseable pushes',
      async response(res, req) {
        if (!isPush(req.path) || !/\/(unsupported-media-type|malformed-json)$/.test(problemOf(res.body))) return res;
        return withBody({ ...res, status: 200 }, { outcomes: [] }, { 'content-type': 'application/json' });
      },
    };
    const failure = expectFailure(await run(CHECK, bench().withFault(accepts)), 'CONF_E_STATUS', 'OFS-SEC-006');
    expect(failure.message).toMatch(/POST \/v1\/sync\/[^/]+\/push \(input the contract never accepts\)/);
  });

  test('fails against a server that answers 200 to a resolve of a conflict that does not exist', { timeout: 60_000 }, async () => {
    const resolvesAnything: Fault = {
      name: 'resolves unknown conflicts',
      async response(res, req) {
        if (!/\/conflicts\/[^/]*\/resolve$/.test(req.path) || res.status < 400) return res;
        return withBody({ ...res, status: 200 }, { resolved: true }, { 'content-type': 'application/json' });
      },
    };
    const failure = expectFailure(await run(CHECK, bench().withFault(resolvesAnything)), 'CONF_E_STATUS', 'OFS-SEC-006');
    expect(failure.message).toMatch(/resolve \(input the contract never accepts\)/);
  });
});

describe('rob.oversized-413', () => {
  const CHECK = 'rob.oversized-413';

  test('passes against the clean reference', { timeout: 60_000 }, async () => {
    const r = await run(CHECK, bench().clean);
    expect(r.error, String((r.error as Error | undefined)?.message)).toBeUndefined();
    expect(r.verdict).toBe('pass');
  });

  test('fails against a server that answers a batch over the limit with 422', { timeout: 60_000 }, async () => {
    const with422: Fault = {
      name: 'answers batch-too-large with 422',
      async response(res) {
        if (!problemOf(res.body).endsWith('/batch-too-large')) return res;
        return withBody({ ...res, status: 422 }, { ...(res.body as object), status: 422 });
      },
    };
    expectFailure(await run(CHECK, bench().withFault(with422)), 'CONF_E_STATUS', 'OFS-SEC-008');
  });

  test('fails against a server whose batch-too-large does not name the limit, or names another', { timeout: 60_000 }, async () => {
    for (const limit of [undefined, 501]) {
      const noLimit: Fault = {
        name: `answers batch-too-large with limit ${String(limit)}`,
        async response(res) {
          if (!problemOf(res.body).endsWith('/batch-too-large')) return res;
          const { limit: _l, ...body } = res.body as Record<string, unknown>;
          return withBody(res, limit === undefined ? body : { ...body, limit });
        },
      };
      const failure = expectFailure(await run(CHECK, bench().withFault(noLimit)), 'CONF_E_SHAPE', 'OFS-SEC-008');
      expect(failure.expected).toBe(500);
    }
  });
});
