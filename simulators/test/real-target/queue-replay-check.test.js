/**
 * The conformance check `order.queue-replay-after-partition` (driven by real-target mode) passes
 * against the in-process reference and fails, with the checker's witness, against a server that
 * acknowledges pushes it never stores.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ConformanceFailure } from '../../../conformance/src/failures.js';
import { runCheckBody } from '../../../conformance/src/harness/run-check-body.js';
import { checkEntry } from '../../../conformance/src/registry.js';
import { orderingChecks } from '../../../conformance/src/checks/ordering.js';
import { createTokenSource } from '../../../conformance/src/profile/token-source.js';
import { newRunId } from '../../../conformance/src/profile/load-profile.js';
import { startEmbeddedReference } from '../../../conformance/src/run/embedded-reference.js';
const ID = 'order.queue-replay-after-partition';
let embedded;
let clean;
beforeAll(async () => {
    const runId = newRunId();
    embedded = await startEmbeddedReference({ listen: false, runId });
    clean = {
        profile: embedded.profile,
        runId,
        seed: 21,
        target: embedded.target,
        tokens: createTokenSource({ profile: embedded.profile, dir: embedded.profileDir, runId }),
        natsUnavailable: 'not needed',
        selfTest: true,
        contractProxy: false,
        close: async () => undefined,
    };
}, 60_000);
afterAll(async () => {
    await embedded?.close();
});
function check() {
    const def = orderingChecks[ID];
    if (!def)
        throw new Error(`no check ${ID}`);
    return def;
}
test('passes against the reference server', async () => {
    const run = await runCheckBody(clean, checkEntry(ID), check());
    expect(run.error).toBeUndefined();
    expect(run.verdict).toBe('pass');
}, 60_000);
test('fails with the witness against a server that acknowledges every second push without storing it', async () => {
    const inner = clean.target;
    let pushes = 0;
    const lossy = {
        name: `${inner.name} + acknowledges unstored pushes`,
        async request(req) {
            if (req.method === 'POST' && req.path.endsWith('/push') && ++pushes % 2 === 0) {
                const { mutations } = JSON.parse(req.rawBody ?? '{}');
                const body = {
                    outcomes: mutations.map((m) => ({
                        clientMutationId: m.clientMutationId,
                        clientSeq: m.clientSeq,
                        status: 'applied',
                        newVersion: m.baseVersion + 1,
                        etag: `"${m.baseVersion + 1}"`,
                        eventId: m.clientMutationId,
                    })),
                };
                return { status: 200, headers: { 'content-type': 'application/json' }, body, rawBody: JSON.stringify(body) };
            }
            return inner.request(req);
        },
        close: async () => undefined,
    };
    const run = await runCheckBody({ ...clean, target: lossy }, checkEntry(ID), check());
    expect(run.verdict).toBe('fail');
    const failure = run.error;
    expect(failure).toBeInstanceOf(ConformanceFailure);
    expect(failure.code).toBe('CONF_E_LOST_UPDATE');
    expect(failure.requirement).toBe('OFS-SYNC-011');
    expect(failure.message).toMatch(/no-silent-loss/);
    const received = failure.received;
    expect(received.witness.map((e) => e.k)).toEqual(['capture', 'outcome']);
    expect(failure.evidence.length).toBeGreaterThan(0);
}, 60_000);
