/**
 * Spawns the reference server as a child process (`node --import tsx reference-impl/src/server.ts`)
 * and reads its one start line to learn the URL, so tests can SIGKILL and restart a real process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** Repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The process entry. */
export const SERVER_ENTRY = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
/** The CLI as `npx syncproof` runs it. */
export const CLI_ENTRY = fileURLToPath(new URL('../../../bin/syncproof.mjs', import.meta.url));

/** How the child is started: `server.ts` directly, or `bin/syncproof.mjs serve` (what users run). */
export const ENTRIES = {
  server: ['--import', 'tsx', SERVER_ENTRY],
  cli: [CLI_ENTRY, 'serve'],
} as const;

/** A running child server. */
export class ChildServer {
  readonly stderr: string[] = [];
  private exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly startLine: string,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
  }

  /** Starts `server.ts` with `args` (add `--port 0`) and waits for its start line. */
  static async start(
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
    timeoutMs = 30_000,
    entry: keyof typeof ENTRIES = 'server',
  ): Promise<ChildServer> {
    const base = { ...process.env };
    // The child must use exactly what the test passes, never the developer's services.
    delete base['NATS_URL'];
    delete base['DATABASE_URL'];
    const child = spawn(process.execPath, [...ENTRIES[entry], ...args], {
      cwd: REPO_ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr!.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms: ${stderr.join('')}`)), timeoutMs);
      const rl = createInterface({ input: child.stdout! });
      rl.on('line', (l) => {
        if (l.startsWith('syncproof serve: listening on ')) {
          clearTimeout(timer);
          resolve(l);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before starting: ${stderr.join('')}`));
      });
    });
    const url = /listening on (http:\/\/[^ ]+)/.exec(line)![1]!;
    const server = new ChildServer(child, url, line);
    server.stderr.push(...stderr);
    child.stderr!.on('data', (d: string) => server.stderr.push(d));
    return server;
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  /** The exit code once the process ended. */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }
}
