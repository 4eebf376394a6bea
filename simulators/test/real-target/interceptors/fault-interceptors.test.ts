/**
 * The fault interceptors against a tiny local HTTP server (node:http on 127.0.0.1, port 0), each
 * shown to do its one fault — and nothing when its probability is 0 or it is switched off.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Agent, type Dispatcher } from 'undici';
import {
  delay,
  dropRequest,
  dropResponseAfterForward,
  duplicate,
  faultInterceptors,
  InjectedFaultError,
  partition,
  type FaultReport,
} from '../../../real-target/interceptors/index.js';
import { TargetDispatcher } from '../../../real-target/target-dispatcher.js';
import { createRandom } from '../../../src/env/random.js';
import { systemRealWorld } from '../../../cli/system-real-world.js';
import type { Target } from '../../../../conformance/src/target/target.js';

interface Arrival {
  readonly path: string;
  readonly body: string;
  readonly at: number;
}

let server: Server;
let origin: string;
const arrivals: Arrival[] = [];
/** Milliseconds the server waits before answering a path (default 0). */
const holdMs = new Map<string, number>();
const agents: Dispatcher[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      arrivals.push({ path, body, at: systemRealWorld.monotonicMs() });
      const n = arrivals.filter((a) => a.path === path).length;
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ path, n }));
      }, holdMs.get(path) ?? 0);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterEach(async () => {
  arrivals.length = 0;
  holdMs.clear();
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

function agent(...interceptors: Dispatcher.DispatcherComposeInterceptor[]): Dispatcher {
  const base = new Agent();
  agents.push(base);
  return base.compose(...interceptors);
}

async function get(d: Dispatcher, path: string, body?: string): Promise<{ path: string; n: number }> {
  const res = await d.request({ origin, path, method: body === undefined ? 'GET' : 'POST', ...(body === undefined ? {} : { body }) });
  return (await res.body.json()) as { path: string; n: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, ms = 2_000): Promise<void> {
  const end = systemRealWorld.monotonicMs() + ms;
  while (!condition() && systemRealWorld.monotonicMs() < end) await sleep(5);
}

describe('dropRequest', () => {
  test('a dropped request never reaches the server and the client sees SIM_E_REQUEST_DROPPED', async () => {
    const faults: FaultReport[] = [];
    const d = agent(dropRequest({ seed: 1, probability: 1, onFault: (f) => faults.push(f) }));
    const err = await get(d, '/a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InjectedFaultError);
    expect((err as InjectedFaultError).code).toBe('SIM_E_REQUEST_DROPPED');
    await sleep(30);
    expect(arrivals).toEqual([]);
    expect(faults).toEqual([{ fault: 'drop-request', method: 'GET', path: '/a' }]);
  });

  test('probability 0 and a switched-off interceptor pass everything through', async () => {
    const d = agent(dropRequest({ seed: 1, probability: 0 }), dropRequest({ seed: 1, probability: 1, active: () => false }));
    expect(await get(d, '/b')).toEqual({ path: '/b', n: 1 });
  });

  test('the same seed drops the same requests', async () => {
    const pattern = async (seed: number): Promise<boolean[]> => {
      const d = agent(dropRequest({ seed, probability: 0.5 }));
      const out: boolean[] = [];
      for (let i = 0; i < 24; i++) out.push(await get(d, `/p${seed}-${i}`).then(() => true, () => false));
      return out;
    };
    const a = await pattern(7);
    expect(await pattern(7)).toEqual(a);
    expect(a).toContain(true);
    expect(a).toContain(false);
  });
});

describe('delay', () => {
  test('a held request is overtaken by a later one (the server sees them reordered)', async () => {
    const held = agent(delay({ seed: 3, probability: 1, delayMsMin: 150, delayMsMax: 150, side: 'request' }));
    const plain = agent();
    const first = get(held, '/first');
    await sleep(10);
    const second = get(plain, '/second');
    await Promise.all([first, second]);
    expect(arrivals.map((a) => a.path)).toEqual(['/second', '/first']);
  });

  test('a held answer arrives after the answer to a later request (the client sees them reordered)', async () => {
    const held = agent(delay({ seed: 3, probability: 1, delayMsMin: 150, delayMsMax: 150, side: 'response' }));
    const plain = agent();
    const seen: string[] = [];
    const first = get(held, '/first').then((r) => seen.push(r.path));
    await sleep(10);
    const second = get(plain, '/second').then((r) => seen.push(r.path));
    await Promise.all([first, second]);
    expect(arrivals.map((a) => a.path)).toEqual(['/first', '/second']);
    expect(seen).toEqual(['/second', '/first']);
  });
});

describe('duplicate', () => {
  test('a duplicated request reaches the server twice and the client hears one answer', async () => {
    const faults: FaultReport[] = [];
    const d = agent(duplicate({ seed: 5, probability: 1, delayMsMax: 20, onFault: (f) => faults.push(f) }));
    const answer = await get(d, '/dup', '{"x":1}');
    await until(() => arrivals.length >= 2);
    expect(arrivals.map((a) => [a.path, a.body])).toEqual([
      ['/dup', '{"x":1}'],
      ['/dup', '{"x":1}'],
    ]);
    expect([1, 2]).toContain(answer.n);
    expect(faults.map((f) => f.fault)).toEqual(['duplicate']);
  });
});

describe('dropResponseAfterForward', () => {
  test('the server acts on the request but the client sees SIM_E_RESPONSE_DROPPED', async () => {
    const d = agent(dropResponseAfterForward({ seed: 9, probability: 1 }));
    const err = await get(d, '/lost', '{}').catch((e: unknown) => e);
    expect((err as InjectedFaultError).code).toBe('SIM_E_RESPONSE_DROPPED');
    expect(arrivals.map((a) => a.path)).toEqual(['/lost']);
  });
});

describe('partition', () => {
  test('requests inside a window fail at once; after the window they pass', async () => {
    const d = agent(partition([{ fromMs: 0, toMs: 150 }], { now: systemRealWorld.monotonicMs }));
    const err = await get(d, '/cut').catch((e: unknown) => e);
    expect((err as InjectedFaultError).code).toBe('SIM_E_PARTITIONED');
    expect(arrivals).toEqual([]);
    await sleep(170);
    expect(await get(d, '/cut')).toEqual({ path: '/cut', n: 1 });
  });

  test('an answer that comes back during a window is lost although the server acted', async () => {
    holdMs.set('/slow', 150);
    const d = agent(partition([{ fromMs: 60, toMs: 400 }], { now: systemRealWorld.monotonicMs }));
    const err = await get(d, '/slow', '{}').catch((e: unknown) => e);
    expect((err as InjectedFaultError).code).toBe('SIM_E_PARTITIONED');
    expect(arrivals.map((a) => a.path)).toEqual(['/slow']);
  });
});

describe('composition order (the last interceptor sees a request first)', () => {
  const quiet = { dropRequest: 0, dropResponseAfterForward: 0, duplicate: 0, delay: 0, delayMsMax: 0, partitions: [] };

  test('a dropped request is never duplicated', async () => {
    const d = agent(...faultInterceptors({ ...quiet, dropRequest: 1, duplicate: 1 }, { random: createRandom(1), now: systemRealWorld.monotonicMs }));
    await get(d, '/order', '{}').catch(() => undefined);
    await sleep(30);
    expect(arrivals).toEqual([]);
  });

  test('each copy of a duplicated request loses its own answer after the server acted', async () => {
    const d = agent(...faultInterceptors({ ...quiet, duplicate: 1, dropResponseAfterForward: 1 }, { random: createRandom(2), now: systemRealWorld.monotonicMs }));
    const err = await get(d, '/both', '{}').catch((e: unknown) => e);
    expect((err as InjectedFaultError).code).toBe('SIM_E_RESPONSE_DROPPED');
    await until(() => arrivals.length >= 2);
    expect(arrivals.length).toBe(2);
  });

  test('switched off (active false) the whole chain is transparent', async () => {
    const all = { dropRequest: 1, dropResponseAfterForward: 1, duplicate: 1, delay: 1, delayMsMax: 50, partitions: [] };
    const d = agent(...faultInterceptors(all, { random: createRandom(3), active: () => false, now: systemRealWorld.monotonicMs }));
    expect(await get(d, '/clean', '{}')).toEqual({ path: '/clean', n: 1 });
    await sleep(30);
    expect(arrivals.length).toBe(1);
  });
});

describe('TargetDispatcher', () => {
  test('interceptors compose over an in-process Target: the target acted, the client saw the fault', async () => {
    const seen: string[] = [];
    const target: Target = {
      name: 'fake',
      async request(req) {
        seen.push(`${req.method} ${req.path} ${req.rawBody ?? ''} ${req.headers?.['content-type'] ?? ''}`);
        return { status: 201, headers: { 'content-type': 'application/json' }, body: { ok: true }, rawBody: '{"ok":true}' };
      },
      async close() {},
    };
    const base = new TargetDispatcher(target);
    const plain = await base.request({ origin: 'http://target.invalid', path: '/x?y=1', method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
    expect(plain.statusCode).toBe(201);
    expect(await plain.body.json()).toEqual({ ok: true });
    const faulty = base.compose(dropResponseAfterForward({ seed: 1, probability: 1 }));
    const err = await faulty.request({ origin: 'http://target.invalid', path: '/z', method: 'GET' }).catch((e: unknown) => e);
    expect((err as InjectedFaultError).code).toBe('SIM_E_RESPONSE_DROPPED');
    expect(seen).toEqual(['POST /x?y=1 {"a":1} application/json', 'GET /z  ']);
    await base.close();
  });
});
