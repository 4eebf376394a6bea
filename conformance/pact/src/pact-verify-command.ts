/**
 * `syncproof pact-verify [--target <profile.yaml>] [--pact <file>]`: verifies the committed offline
 * client pact (contracts/pacts/) against a server. Without --target it starts the embedded
 * reference server and also verifies the event consumer pact against the reference core's event
 * production. With --target it verifies the HTTP pact against that server; the profile must let the
 * suite mint tokens for any tenant (jwt-signing-key or a token endpoint), because every interaction
 * runs in a fresh tenant. Exit 0 verified, 1 a pact failed, 2 bad usage or profile, 3 the server
 * could not be reached or the state setup failed.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../../cli/usage-error.js';
import { loadProfile, newRunId } from '../../src/profile/load-profile.js';
import { createTokenSource } from '../../src/profile/token-source.js';
import { startEmbeddedReference } from '../../src/run/embedded-reference.js';
import { StateSetupError, verifyHttpProvider } from './http-provider.js';
import { verifyMessageProvider } from './message-provider.js';
import { HTTP_PAIR, MESSAGE_PAIR, pactFile } from './pact-files.js';

function options(args: string[]): { target?: string; pact: string } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { target: { type: 'string' }, pact: { type: 'string' } }, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const pact = parsed.values.pact ?? pactFile(HTTP_PAIR);
  if (!existsSync(pact)) throw new UsageError(`pact file '${pact}' does not exist (run npm run pact to write it)`);
  return { ...(parsed.values.target === undefined ? {} : { target: parsed.values.target }), pact };
}

/** Runs a verification and maps its failure to an exit code with a one-line message. */
async function step(name: string, fn: () => Promise<unknown>): Promise<number> {
  try {
    await fn();
    process.stdout.write(`pact ${name}: verified\n`);
    return 0;
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof StateSetupError || e.code === 'ECONNREFUSED' || e.code === 'UND_ERR_CONNECT_TIMEOUT') {
      process.stderr.write(`pact ${name}: inconclusive: ${e.message}\n`);
      return 3;
    }
    process.stderr.write(`pact ${name}: FAILED (see the verifier output above)\n`);
    return 1;
  }
}

/** Entry point of the `pact-verify` command. */
export async function run(args: string[]): Promise<number> {
  const opts = options(args);
  const runId = newRunId();
  if (opts.target !== undefined) {
    const loaded = loadProfile(opts.target, runId);
    const tokens = createTokenSource(loaded);
    if (!tokens.capabilities.anyPrincipal) throw new UsageError(`profile '${opts.target}': auth cannot mint tokens for a fresh tenant (use jwt-signing-key or token-endpoint)`);
    return step(`${HTTP_PAIR.consumer} → ${loaded.profile.name}`, () => verifyHttpProvider({ baseUrl: loaded.profile.baseUrl.replace(/\/+$/, ''), tokens, pactFile: opts.pact }));
  }
  const reference = await startEmbeddedReference({ listen: true, runId });
  try {
    const tokens = createTokenSource({ profile: reference.profile, dir: reference.profileDir, runId });
    const http = await step(`${HTTP_PAIR.consumer} → reference`, () => verifyHttpProvider({ baseUrl: reference.baseUrl as string, tokens, pactFile: opts.pact }));
    const events = await step(`${MESSAGE_PAIR.consumer} → reference`, () => verifyMessageProvider());
    // A failed pact outranks an inconclusive one.
    return http === 1 || events === 1 ? 1 : Math.max(http, events);
  } finally {
    await reference.close();
  }
}
