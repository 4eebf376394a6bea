/**
 * `replay-different-body` — why this violates OFS-IDEM-005 / OFS-IDEM-002: the server remembers
 * only that a mutation was processed, not its answer, so a duplicate is answered with a bare
 * `{clientMutationId, clientSeq, status, replayed}` instead of the recorded outcome (no
 * newVersion/etag/eventId, no problem, no conflictId).
 * Planted: core wrapper — replayed outcomes of `push` are rebuilt from their status alone.
 */
import { canonicalJson } from '../domain/canonical-json.js';
import { andThen } from '../domain/maybe.js';
import type { PushResponse, Result } from '../domain/api.js';
import type { Outcome, RequestContext } from '../domain/types.js';
import { defineDefect } from './defect.js';
import { wrapCore } from './wrap-ports.js';

function forget(o: Outcome): Outcome {
  if ((o as { replayed?: boolean }).replayed !== true || (o.status !== 'applied' && o.status !== 'rejected' && o.status !== 'conflict')) return o;
  return { clientMutationId: o.clientMutationId, clientSeq: o.clientSeq, status: o.status, replayed: true } as unknown as Outcome;
}

/** The push response with replays reduced to their status. */
export function withForgottenReplays(res: PushResponse): PushResponse {
  const outcomes = res.outcomes.map(forget);
  if (outcomes.every((o, i) => o === res.outcomes[i])) return res;
  return {
    outcomes,
    audits: res.audits,
    get outcomeJson() {
      const original = res.outcomeJson;
      return outcomes.map((o, i) => (o === res.outcomes[i] ? (original[i] as string) : canonicalJson(o)));
    },
  };
}

export const replayDifferentBody = defineDefect({
  name: 'replay-different-body',
  violates: ['OFS-IDEM-005', 'OFS-IDEM-002'],
  description: 'a duplicate is answered with a bare status instead of the recorded outcome bytes',
  site: 'core',
  hooks: {
    core: (core) =>
      wrapCore(core, {
        push: (ctx: RequestContext, module: string, body: unknown) =>
          andThen(core.push(ctx, module, body) as Result<PushResponse> | Promise<Result<PushResponse>>, (r): Result<PushResponse> =>
            r.ok ? { ok: true, value: withForgottenReplays(r.value) } : r,
          ),
      }),
  },
});
