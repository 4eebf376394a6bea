import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GENERATED_BUNDLE_PATH } from '../../src/generate-types.js';
import { EXAMPLES_DIR } from '../../src/validate-examples.js';

const PRISM = fileURLToPath(new URL('../../../node_modules/.bin/prism', import.meta.url));
const example = (rel: string): string => readFileSync(`${EXAMPLES_DIR}${rel}`, 'utf8');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** What the fake upstream answers to the next push. */
let nextPushBody = '';
let upstream: Server;
let prism: ChildProcess;
let prismUrl = '';

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(nextPushBody);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as { port: number }).port;
  const port = await freePort();
  prismUrl = `http://127.0.0.1:${port}`;
  prism = spawn(PRISM, ['proxy', '-h', '127.0.0.1', '-p', String(port), GENERATED_BUNDLE_PATH, `http://127.0.0.1:${upstreamPort}`], { stdio: 'ignore' });
  for (let i = 0; i < 120; i += 1) {
    try {
      await fetch(`${prismUrl}/healthz`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error('prism proxy did not start within 30 s');
}, 40_000);

afterAll(async () => {
  prism?.kill('SIGTERM');
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

async function push(): Promise<Response> {
  return fetch(`${prismUrl}/v1/sync/clinic/push`, {
    method: 'POST',
    headers: { authorization: 'Bearer a.b.c', 'content-type': 'application/json' },
    body: example('valid/push-request/three-mutations.json'),
  });
}

describe('Prism 5.14.2 proxy on the bundled contract', () => {
  test('a conforming push response passes without violations', async () => {
    nextPushBody = example('valid/push-response/mixed-outcomes.json');
    const res = await push();
    expect(res.status).toBe(200);
    expect(res.headers.get('sl-violations')).toBeNull();
  });

  test('a push response that breaks the outcome schema is reported in sl-violations', async () => {
    nextPushBody = example('invalid/push-response/outcome-missing-clientSeq.json');
    const res = await push();
    const violations = JSON.parse(res.headers.get('sl-violations') ?? '[]') as { location: string[] }[];
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.some((v) => v.location.join('.').startsWith('response.body.outcomes.0'))).toBe(true);
  });
});
