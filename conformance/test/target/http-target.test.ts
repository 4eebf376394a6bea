/** The undici HTTP target: path prefixes, JSON bodies, lower-case headers; transport errors are unknown. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHttpTarget } from '../../src/target/http-target.js';
import { recordingTarget } from '../../src/harness/recording-target.js';
import { InconclusiveError } from '../../src/failures.js';
import { freePort } from '../../src/run/nats-service.js';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Echo-Path', req.url ?? '');
      res.end(JSON.stringify({ method: req.method, path: req.url, contentType: req.headers['content-type'] ?? null, body, auth: req.headers.authorization ?? null, key: req.headers['x-api-key'] ?? null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('keeps the base path prefix, serialises JSON, merges default headers, lower-cases response headers', async () => {
  const target = createHttpTarget({ baseUrl: base, defaultHeaders: { 'X-Api-Key': 'k1' } });
  const res = await target.request({ method: 'post', path: '/v1/sync/clinic/push?x=1', body: { a: 1 }, headers: { Authorization: 'Bearer t' } });
  await target.close();
  expect(res.status).toBe(200);
  expect(res.headers['x-echo-path']).toBe('/api/v1/sync/clinic/push?x=1');
  expect(res.body).toEqual({ method: 'POST', path: '/api/v1/sync/clinic/push?x=1', contentType: 'application/json', body: '{"a":1}', auth: 'Bearer t', key: 'k1' });
});

test('sends raw bodies as they are and parses non-JSON as undefined', async () => {
  const target = createHttpTarget({ baseUrl: base });
  const res = await target.request({ method: 'POST', path: '/raw', rawBody: '{"broken":', headers: { 'content-type': 'text/plain' } });
  await target.close();
  expect((res.body as { body: string; contentType: string }).body).toBe('{"broken":');
  expect((res.body as { contentType: string }).contentType).toBe('text/plain');
});

test('an unreachable target is unknown (InconclusiveError), not a failure; evidence redacts the token', async () => {
  const port = await freePort();
  const target = recordingTarget(createHttpTarget({ baseUrl: `http://127.0.0.1:${port}` }), {}, true);
  await expect(target.request({ method: 'GET', path: '/healthz' })).rejects.toBeInstanceOf(InconclusiveError);
  await target.close();
  const ok = recordingTarget(createHttpTarget({ baseUrl: base }), {}, true);
  await ok.request({ method: 'GET', path: '/x', headers: { authorization: 'Bearer secret' } });
  await ok.close();
  expect(ok.exchanges[0]?.request.headers?.authorization).toBe('Bearer <redacted>');
});

test('refuses a non-http base URL', () => {
  expect(() => createHttpTarget({ baseUrl: 'ftp://example.org' })).toThrow(/http or https/);
});
