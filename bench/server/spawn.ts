/**
 * Child processes for the server bench: the reference server (`reference-impl/src/server.ts`) and
 * a no-op Fastify baseline, each in its own process so the load generator does not share their
 * event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A child that printed a URL. */
export interface Child {
  readonly url: string;
  stop(): Promise<void>;
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
    ['--import', 'tsx', 'reference-impl/src/server.ts', '--port', '0', '--db', db, '--dev-issuer', ...extra],
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
