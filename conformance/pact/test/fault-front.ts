/**
 * A test-local faulty provider: a Fastify front that forwards every request to a reference app
 * (through `inject`) and, in an `onSend` hook, rewrites the answer — e.g. dropping `eventId` from
 * push outcomes. Used to show that pact verification fails against a server that breaks the pact.
 */
import Fastify, { type FastifyInstance } from 'fastify';

/** Rewrites a response body (a string) for a request URL; return it unchanged to pass it through. */
export type BodyRewrite = (url: string, body: string) => string;

/** A listening faulty front. */
export interface FaultFront {
  readonly baseUrl: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive', 'date']);

/** Starts the front on 127.0.0.1 (a free port) in front of `upstream`. */
export async function startFaultFront(upstream: FastifyInstance, rewrite: BodyRewrite): Promise<FaultFront> {
  const front = Fastify({ logger: false });
  front.removeAllContentTypeParsers();
  front.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  front.all('/*', async (req, reply) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const res = await upstream.inject({
      method: req.method as 'GET',
      url: req.url,
      headers,
      ...(typeof req.body === 'string' && req.body !== '' ? { payload: req.body } : {}),
    });
    reply.code(res.statusCode);
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) reply.header(k, v);
    return reply.send(res.body);
  });
  // The fault sits where a buggy serializer or middleware would: on the way out.
  front.addHook('onSend', async (req, _reply, payload) => (typeof payload === 'string' ? rewrite(req.url, payload) : payload));
  await front.listen({ port: 0, host: '127.0.0.1' });
  const addr = front.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => front.close() };
}

/** A rewrite that deletes `eventId` from every outcome of a push answer. */
export function dropPushEventIds(url: string, body: string): string {
  if (!/\/v1\/sync\/[^/]+\/push/.test(url)) return body;
  const parsed = JSON.parse(body) as { outcomes?: Record<string, unknown>[] };
  for (const o of parsed.outcomes ?? []) delete o['eventId'];
  return JSON.stringify(parsed);
}
