/**
 * evt.client-cannot-publish (OFS-EVT-007) against NATS servers that do and do not let a client's
 * credentials publish: the local nats-server `syncproof run` starts denies the client user every
 * publish (pass); credentials that may publish (fail, with the injected events as evidence);
 * credentials the server refuses (unknown — refused credentials prove nothing); a stream the
 * observer cannot see even a real event on (unknown — not seeing the client's message proves nothing).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { DiscardPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { ConformanceFailure } from '../../src/failures.js';
import { eventChecks } from '../../src/checks/events.js';
import { runCheckBody } from '../../src/harness/run-check-body.js';
import { checkEntry } from '../../src/registry.js';
import { selfTestEnvironment } from '../../src/harness/self-test-environment.js';
import { LOCAL_CLIENT_CREDENTIALS, localNatsConfig } from '../../src/run/nats-service.js';
import type { HarnessEnvironment } from '../../src/harness/check-harness.js';
import type { TargetProfile } from '../../src/profile/target-profile.js';

const CHECK = 'evt.client-cannot-publish';
let env: HarnessEnvironment;

beforeAll(async () => {
  // An empty environment: always the test-owned nats-server with its client user, whatever NATS_URL says.
  env = await selfTestEnvironment({ natsEnv: {}, seed: 7 });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

function withClientCredentials(credentials: NonNullable<TargetProfile['nats']>['clientCredentials']): HarnessEnvironment {
  return { ...env, profile: { ...env.profile, nats: { ...env.profile.nats!, clientCredentials: credentials! } } };
}

describe(CHECK, () => {
  test('the nats-server syncproof run starts gives the profile a client user, and that user cannot publish', { timeout: 60_000 }, async () => {
    expect(env.natsUnavailable, 'a nats-server binary is installed on this machine (.ci/system-packages.sh)').toBeUndefined();
    expect(env.profile.nats?.clientCredentials).toEqual(LOCAL_CLIENT_CREDENTIALS);
    const run = await runCheckBody(env, checkEntry(CHECK), eventChecks[CHECK]!);
    expect(run.error, String((run.error as Error | undefined)?.message)).toBeUndefined();
    expect(run.verdict).toBe('pass');
  });

  test('fails when the client credentials may publish (here: the service user)', { timeout: 60_000 }, async () => {
    const run = await runCheckBody(withClientCredentials({ user: 'syncproof-service' }), checkEntry(CHECK), eventChecks[CHECK]!);
    expect(run.verdict).toBe('fail');
    expect(run.error).toBeInstanceOf(ConformanceFailure);
    const failure = run.error as ConformanceFailure;
    expect(failure.code).toBe('CONF_E_EVENT_PUBLISH_ALLOWED');
    expect(failure.requirement).toBe('OFS-EVT-007');
  });

  test('is unknown, never pass, when the server refuses the client credentials', { timeout: 60_000 }, async () => {
    const run = await runCheckBody(withClientCredentials({ user: LOCAL_CLIENT_CREDENTIALS.user, pass: 'not-the-password' }), checkEntry(CHECK), eventChecks[CHECK]!);
    expect(run.verdict).toBe('unknown');
    expect(String((run.error as Error).message)).toMatch(/refused at connect/);
  });

  test('is not applicable when the profile gives no client credentials', { timeout: 60_000 }, async () => {
    const { clientCredentials: _c, ...withoutClient } = env.profile.nats!;
    const run = await runCheckBody({ ...env, profile: { ...env.profile, nats: withoutClient } }, checkEntry(CHECK), eventChecks[CHECK]!);
    expect(run.verdict).toBe('skipped');
    expect(String((run.error as Error).message)).toMatch(/no client NATS credentials/);
  });
});

describe(`${CHECK} positive control`, () => {
  test('is unknown, never pass, when the stream stores no new message, not even a real event', { timeout: 60_000 }, async () => {
    // Its own reference and nats-server: the stream is left full for the rest of this environment.
    const full = await selfTestEnvironment({ natsEnv: {}, seed: 7 });
    try {
      expect(full.natsUnavailable, 'a nats-server binary is installed on this machine (.ci/system-packages.sh)').toBeUndefined();
      const nats = full.profile.nats!;
      // As the service user (no credentials): one message, then the stream is capped at what it
      // holds with discard new, so JetStream refuses the relay's events and anyone else's alike.
      const nc = await connect({ servers: nats.url });
      try {
        const jsm = await jetstreamManager(nc);
        // The reference's relay creates its streams when it first connects, a moment after start.
        for (let i = 0; i < 100 && !(await jsm.streams.info(nats.stream).then(() => true, () => false)); i += 1) await new Promise((r) => setTimeout(r, 100));
        await jetstream(nc).publish(`${nats.subjectPrefix}.filler`, 'filler');
        const info = await jsm.streams.info(nats.stream);
        await jsm.streams.update(nats.stream, { ...info.config, max_msgs: info.state.messages, discard: DiscardPolicy.New });
      } finally {
        await nc.close();
      }
      // Credentials that may publish: nothing they send is stored, and neither is any real event.
      const env = { ...full, profile: { ...full.profile, nats: { ...nats, clientCredentials: { user: 'syncproof-service' } } } };
      const run = await runCheckBody(env, checkEntry(CHECK), eventChecks[CHECK]!);
      expect(run.verdict).toBe('unknown');
      expect(String((run.error as Error).message)).toMatch(/observer saw no event .* control create/);
    } finally {
      await full.close();
    }
  });
});

describe('conformance/profiles/reference.nats.conf', () => {
  test('gives NATS the same users and permissions as the nats-server syncproof run starts', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../profiles/reference.nats.conf', import.meta.url)), 'utf8');
    // Everything but where it listens and stores.
    const users = (text: string) => text.slice(text.indexOf('accounts {')).trim();
    expect(users(committed)).toBe(users(localNatsConfig(4223, '/tmp/x')));
    expect(committed).toMatch(/^listen: "127\.0\.0\.1:4223"$/m);
  });
});
