/**
 * A Prism validation proxy in front of the target (`prism proxy <openapi> <upstream>`), started from
 * node_modules/.bin and stopped by its own PID. Without `--errors` it passes every response through
 * and lists contract violations in the `sl-violations` header; the checks collect those of the
 * response and the runner decides `contract.responses-match-openapi` from them. Request violations
 * are ignored: the robustness checks send invalid requests on purpose.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, tcpAnswers } from './nats-service.js';

/** The contract the proxy validates against. */
export const OPENAPI_PATH = fileURLToPath(new URL('../../../contracts/openapi/sync-api.yaml', import.meta.url));
const PRISM_BIN = fileURLToPath(new URL('../../../node_modules/.bin/prism', import.meta.url));

/** A running proxy, or why there is none. */
export type PrismProxy =
  | { readonly url: string; close(): Promise<void> }
  | { readonly url?: undefined; readonly unavailable: string; close(): Promise<void> };

/** Starts `prism <mode>` on a free port and waits until it answers (at most `timeoutMs`). */
export async function startPrism(mode: 'proxy' | 'mock', upstream: string | undefined, options: { port?: number; timeoutMs?: number; log?: (l: string) => void } = {}): Promise<PrismProxy> {
  const noop = async () => undefined;
  if (!existsSync(PRISM_BIN)) return { unavailable: 'Prism is not installed (node_modules/.bin/prism)', close: noop };
  if (!existsSync(OPENAPI_PATH)) return { unavailable: `contract ${OPENAPI_PATH} is missing`, close: noop };
  const port = options.port ?? (await freePort());
  const args = mode === 'proxy' ? ['proxy', '-h', '127.0.0.1', '-p', String(port), OPENAPI_PATH, upstream as string] : ['mock', '-h', '127.0.0.1', '-p', String(port), OPENAPI_PATH];
  // Started directly (not through npx) so that this PID is the Prism process we stop later.
  const child: ChildProcess = spawn(PRISM_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString('utf8')).slice(-4000);
    options.log?.(b.toString('utf8'));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const close = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { unavailable: `Prism exited (${child.exitCode}): ${output.trim().split('\n').slice(-3).join(' | ')}`, close: noop };
    if (await tcpAnswers('127.0.0.1', port, 200)) return { url: `http://127.0.0.1:${port}`, close };
    await new Promise((r) => setTimeout(r, 100));
  }
  await close();
  return { unavailable: `Prism did not answer within ${options.timeoutMs ?? 20_000} ms`, close: noop };
}
