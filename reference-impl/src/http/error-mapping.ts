/**
 * Every error leaves the server as RFC 9457 problem+json from the contract's closed list — also the
 * ones Fastify raises itself (body too large, unsupported media type, bad URL, unknown route). An
 * error that is not a known client mistake is a 500 `internal-error` whose body says nothing about
 * the server's internals; the details go to the log only.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { makeProblem, PROBLEM_CONTENT_TYPE, ProblemError, type Problem } from './problem.js';

/** Sends a problem with its status and extra headers. */
export function sendProblem(reply: FastifyReply, problem: Problem, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** Maps an error Fastify or a handler raised to the problem sent for it. */
export function problemFor(err: FastifyError | Error, bodyLimit: number): { problem: Problem; headers: Record<string, string>; fault: boolean } {
  if (err instanceof ProblemError) return { problem: err.problem, headers: { ...err.headers }, fault: false };
  const code = (err as FastifyError).code;
  const status = (err as FastifyError).statusCode;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { problem: makeProblem('payload-too-large', `request body exceeds ${bodyLimit} bytes`, { limit: bodyLimit }), headers: {}, fault: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { problem: makeProblem('unsupported-media-type', 'request body must be application/json'), headers: { accept: 'application/json' }, fault: false };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { problem: makeProblem('malformed-json', err.message), headers: {}, fault: false };
    default:
      break;
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // A client error Fastify knows about but we did not name: keep it a 4xx.
    if (status === 404 || status === 405) return { problem: makeProblem('not-found', 'no such resource'), headers: {}, fault: false };
    if (status === 413) return { problem: makeProblem('payload-too-large', err.message, { limit: bodyLimit }), headers: {}, fault: false };
    if (status === 415) return { problem: makeProblem('unsupported-media-type', err.message), headers: {}, fault: false };
    return { problem: makeProblem('validation-failed', err.message, { errors: [{ pointer: '', detail: err.message }] }), headers: {}, fault: false };
  }
  return { problem: makeProblem('internal-error', 'the server could not process the request; nothing was recorded, retry'), headers: {}, fault: true };
}

/** Installs the error and not-found handlers. `log` receives faults (never sent to clients). */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number, log: (line: string) => void): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { problem, headers, fault } = problemFor(err, bodyLimit);
    if (fault) log(`internal error on ${request.method} ${request.url}: ${err.stack ?? err.message}`);
    return sendProblem(reply, problem, headers);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, makeProblem('not-found', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );
}
