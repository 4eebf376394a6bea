/**
 * A test-owned nats-server (JetStream on, file store in a temp dir, loopback only, free port), so
 * tests can stop and restart NATS without touching the shared server on 4222.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Path of the nats-server binary on this machine. */
export const NATS_SERVER_BIN = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';

/** True when the binary exists (tests that need it report why they cannot run otherwise). */
export function natsServerAvailable(): boolean {
  return existsSync(NATS_SERVER_BIN);
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A nats-server child process that can be stopped and started again on the same port and store. */
export class TestNatsServer {
  private child: ChildProcess | undefined;
  readonly storeDir = mkdtempSync(join(tmpdir(), 'syncproof-nats-'));

  private constructor(readonly port: number) {}

  /** Starts a server on a free port. */
  static async start(): Promise<TestNatsServer> {
    const s = new TestNatsServer(await freePort());
    await s.restart();
    return s;
  }

  /** `nats://127.0.0.1:<port>`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the process and waits until the port answers. */
  async restart(): Promise<void> {
    if (this.child) return;
    const child = spawn(NATS_SERVER_BIN, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], {
      stdio: 'ignore',
    });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    for (let i = 0; i < 200; i += 1) {
      if (await portAnswers(this.port)) return;
      await sleep(25);
    }
    throw new Error(`nats-server on port ${this.port} did not start`);
  }

  /** Stops the process (SIGKILL when `hard`), keeping the store for a restart. */
  async stop(hard = false): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
    this.child = undefined;
  }

  /** Stops the process and deletes the store. */
  async dispose(): Promise<void> {
    await this.stop(true);
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
