/**
 * Sends JSON answers, optionally checking them against the contract first. In `strict` mode (the
 * default of tests) a response that breaks the contract is logged and replaced by a 500
 * `internal-error`, so a server bug cannot pass unnoticed; `log` only logs; `off` skips the check
 * (it costs a parse of pre-serialised bodies).
 */
import type { FastifyReply } from 'fastify';
import { checkResponse, type ContractSchema } from './contract-validation.js';
import { makeProblem, PROBLEM_CONTENT_TYPE } from './problem.js';

/** How responses are checked against the contract. */
export type ResponseValidation = 'strict' | 'log' | 'off';

/** Sends JSON bodies (objects or pre-serialised strings). */
export class Responder {
  constructor(
    private readonly mode: ResponseValidation,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Sends `body` with `status`. `schema` names the contract of a success body; problem bodies
   * (4xx/5xx) are checked against the problem schema.
   */
  send(
    reply: FastifyReply,
    status: number,
    schema: ContractSchema | undefined,
    body: unknown,
    headers: Readonly<Record<string, string>> = {},
  ): FastifyReply {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const isProblem = status >= 400;
    const contract = isProblem ? 'problem' : schema;
    if (this.mode !== 'off' && contract !== undefined) {
      const violations = checkResponse(contract, typeof body === 'string' ? JSON.parse(body) : body);
      if (violations.length > 0) {
        const where = `${reply.request.method} ${reply.request.url}`;
        this.log(`response of ${where} (${status}) breaks contract ${contract}: ${JSON.stringify(violations.slice(0, 5))}`);
        if (this.mode === 'strict') {
          const p = makeProblem('internal-error', 'the server produced a response outside its contract');
          return reply.code(500).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(p));
        }
      }
    }
    for (const [k, v] of Object.entries(headers)) if (k !== 'content-type') reply.header(k, v);
    const type = headers['content-type'] ?? (isProblem ? PROBLEM_CONTENT_TYPE : 'application/json; charset=utf-8');
    return reply.code(status).type(type).send(text);
  }
}
