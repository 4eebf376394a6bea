/**
 * Child processes for the server bench: the reference server (`reference-impl/src/server.ts`) and
 * a no-op Fastify baseline, each in its own process so the load generator does not share their
 * event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A child that printed a URL. */
export interface Child {
  readonly url: string;
  /**
   * CPU time (user + system) the child has used so far, in seconds; NaN where /proc is absent.
   * On a shared machine wall-clock throughput moves with other load, CPU per mutation much less.
   */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ is 100 on Linux). */
const USER_HZ = 100;

function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

/**
 * Extra node options for the reference server (`BENCH_SERVER_NODE_ARGS`, space-separated), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under the bench's load.
 */
function serverNodeArgs(): string[] {
  return (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
}

async function startChild(args: string[], marker: RegExp, env: NodeJS.ProcessEnv = {}): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, NATS_URL: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => errors.push(d));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = marker.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}): ${errors.join('')}`)));
  });
  return {
    url,
    cpuSeconds: () => cpuSecondsOf(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts `syncproof serve` on a free port with the dev issuer. */
export function startReferenceServer(db: string, extra: string[] = []): Promise<Child> {
  return startChild(
    [...serverNodeArgs(), '--import', 'tsx', 'reference-impl/src/server.ts', '--port', '0', '--db', db, '--dev-issuer', ...extra],
    /listening on (http:\/\/\S+)/,
  );
}

/** Starts a Fastify app with one no-op JSON route (`POST /noop`), the baseline of the ratio. */
export function startNoopServer(): Promise<Child> {
  const script = `
    import Fastify from 'fastify';
    const app = Fastify({ logger: false, bodyLimit: 1048576 });
    app.post('/noop', async (req, reply) => reply.type('application/json').send('{"ok":true}'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    console.log('noop listening on http://127.0.0.1:' + app.server.address().port);
    process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
  `;
  return startChild(['--input-type=module', '-e', script], /listening on (http:\/\/\S+)/);
}
