/**
 * Finds a NATS server for the embedded run, in the order DESIGN §6 fixes: `NATS_URL` (when it
 * answers) → a local `nats-server` binary started on a free port with JetStream in a temp dir →
 * a testcontainers container when a Docker engine answers → otherwise unavailable (event checks
 * become `unknown: NATS unavailable`, never pass).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A NATS server to use, or why there is none. */
export type NatsService =
  | { readonly url: string; readonly source: 'env' | 'local-binary' | 'container'; close(): Promise<void> }
  | { readonly url?: undefined; readonly unavailable: string; close(): Promise<void> };

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when a TCP connection to host:port succeeds within `timeoutMs`. */
export function tcpAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** host and port of a `nats://host:port` URL (first server of a list). */
export function natsHostPort(url: string): { host: string; port: number } {
  const first = url.split(',')[0]!.trim();
  const u = new URL(first.includes('://') ? first : `nats://${first}`);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 4222) };
}

function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/local/bin', '/usr/bin'])) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

async function startLocalBinary(bin: string): Promise<NatsService | undefined> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'syncproof-nats-'));
  const child: ChildProcess = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i += 1) {
    if (child.exitCode !== null) break;
    if (await tcpAnswers('127.0.0.1', port, 200)) return { url: `nats://127.0.0.1:${port}`, source: 'local-binary', close: stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  return undefined;
}

async function dockerAnswers(): Promise<boolean> {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('tcp://')) {
    const u = new URL(host.replace('tcp://', 'http://'));
    return tcpAnswers(u.hostname, Number(u.port || 2375));
  }
  const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
  if (!existsSync(socketPath)) return false;
  return new Promise((resolve) => {
    const s = createConnection({ path: socketPath });
    s.setTimeout(1_000, () => {
      s.destroy();
      resolve(false);
    });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function startContainer(): Promise<NatsService | undefined> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('nats:2.10').withCommand(['-js']).withExposedPorts(4222).withWaitStrategy(Wait.forLogMessage(/Server is ready/)).start();
  return { url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`, source: 'container', close: async () => void (await container.stop()) };
}

/** Resolves NATS for a run. `env` is the environment to read `NATS_URL` from. */
export async function resolveNats(env: NodeJS.ProcessEnv = process.env): Promise<NatsService> {
  const noop = async () => undefined;
  const fromEnv = env.NATS_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    // An explicit URL is the user's choice: if it does not answer, NATS is unavailable (no fallback).
    const { host, port } = natsHostPort(fromEnv);
    if (await tcpAnswers(host, port)) return { url: fromEnv, source: 'env', close: noop };
    return { unavailable: `NATS unavailable: NATS_URL ${fromEnv} does not answer`, close: noop };
  }
  const bin = findBinary('nats-server');
  if (bin) {
    const started = await startLocalBinary(bin);
    if (started) return started;
  }
  if (await dockerAnswers()) {
    try {
      const started = await startContainer();
      if (started) return started;
    } catch (err) {
      return { unavailable: `NATS unavailable: container failed to start (${(err as Error).message.split('\n')[0]})`, close: noop };
    }
  }
  return { unavailable: 'NATS unavailable: no NATS_URL, no nats-server binary, no Docker engine', close: noop };
}
