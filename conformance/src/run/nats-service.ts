/**
 * Finds a NATS server for the embedded run, in the order DESIGN §6 fixes: `NATS_URL` (when it
 * answers) → a local `nats-server` binary started on a free port with JetStream in a temp dir →
 * a testcontainers container when a Docker engine answers → otherwise unavailable (event checks
 * become `unknown: NATS unavailable`, never pass).
 *
 * A local binary is started the way a platform should run NATS for offline clients: with a
 * client user that may not publish (OFS-EVT-007), so the embedded run can check that a client's
 * credentials cannot inject domain events. Connections without credentials act as the service
 * user (`no_auth_user`), so the relay and the suite's observer connect as before.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** User and password of a NATS user. */
export interface NatsUserPassword {
  readonly user: string;
  readonly pass: string;
}

/**
 * The client user of a NATS server this module starts, and of conformance/profiles/reference.nats.conf.
 * Not a secret: the server is local and test-owned, and this user can publish nothing.
 */
export const LOCAL_CLIENT_CREDENTIALS: NatsUserPassword = { user: 'syncproof-client', pass: 'client-publish-denied' };

/** A NATS server to use, or why there is none. */
export type NatsService =
  | {
      readonly url: string;
      readonly source: 'env' | 'local-binary' | 'container';
      /** Credentials of a client-level user whose publishes the server denies, when known. */
      readonly clientCredentials?: NatsUserPassword;
      close(): Promise<void>;
    }
  | { readonly url?: undefined; readonly unavailable: string; close(): Promise<void> };

/**
 * nats-server configuration with JetStream and two users in one account: the service user (full
 * rights; also what a connection without credentials acts as) and the client user, denied every
 * publish — a client may read its replies (`_INBOX.>`) and nothing else.
 */
export function localNatsConfig(port: number, storeDir: string): string {
  const q = JSON.stringify;
  const c = LOCAL_CLIENT_CREDENTIALS;
  return [
    `listen: ${q(`127.0.0.1:${port}`)}`,
    `jetstream { store_dir: ${q(storeDir)} }`,
    'accounts {',
    '  SYNCPROOF {',
    '    jetstream: enabled',
    '    users = [',
    '      { user: "syncproof-service" }',
    `      { user: ${q(c.user)}, password: ${q(c.pass)}, permissions: { publish: { deny: [">"] }, subscribe: { allow: ["_INBOX.>"] } } }`,
    '    ]',
    '  }',
    '}',
    'no_auth_user: "syncproof-service"',
    '',
  ].join('\n');
}

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
  const config = join(dir, 'nats.conf');
  writeFileSync(config, localNatsConfig(port, join(dir, 'store')));
  const child: ChildProcess = spawn(bin, ['-c', config], { stdio: 'ignore' });
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
    if (await tcpAnswers('127.0.0.1', port, 200)) {
      return { url: `nats://127.0.0.1:${port}`, source: 'local-binary', clientCredentials: LOCAL_CLIENT_CREDENTIALS, close: stop };
    }
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

/**
 * Resolves NATS for a run. `env` is the environment to read `NATS_URL` from, and with it
 * `SYNCPROOF_NATS_CLIENT_USER` / `SYNCPROOF_NATS_CLIENT_PASS`: a client-level user of that server
 * (for the cannot-publish check; without them that check is not applicable).
 */
export async function resolveNats(env: NodeJS.ProcessEnv = process.env): Promise<NatsService> {
  const noop = async () => undefined;
  const fromEnv = env.NATS_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    // An explicit URL is the user's choice: if it does not answer, NATS is unavailable (no fallback).
    const { host, port } = natsHostPort(fromEnv);
    if (await tcpAnswers(host, port)) {
      const user = env.SYNCPROOF_NATS_CLIENT_USER;
      const pass = env.SYNCPROOF_NATS_CLIENT_PASS;
      const clientCredentials = user && pass !== undefined ? { user, pass } : undefined;
      return { url: fromEnv, source: 'env', ...(clientCredentials ? { clientCredentials } : {}), close: noop };
    }
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

/** The environment that makes a child `syncproof run` use `nats` as {@link resolveNats} found it. */
export function natsEnvironment(nats: NatsService): Record<string, string> {
  if (nats.url === undefined) return {};
  const client = nats.clientCredentials;
  return {
    NATS_URL: nats.url,
    ...(client ? { SYNCPROOF_NATS_CLIENT_USER: client.user, SYNCPROOF_NATS_CLIENT_PASS: client.pass } : {}),
  };
}
