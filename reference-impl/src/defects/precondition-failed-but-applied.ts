/**
 * `precondition-failed-but-applied` — why this violates OFS-CONF-009: a PATCH with a stale If-Match
 * is answered 412, but the write is applied anyway (the precondition is evaluated after the write,
 * which is not undone), so the client's "rejected" write silently replaces the newer state.
 * Planted: core wrapper — after a 412 from `restWrite`, the same write is repeated against the
 * current ETag the 412 carries, and the 412 is returned.
 */
import { andThen } from '../domain/maybe.js';
import type { RestResponse, RestWriteRequest } from '../domain/api.js';
import type { RequestContext } from '../domain/types.js';
import { defineDefect, type AnyCore } from './defect.js';
import { wrapCore } from './wrap-ports.js';

function applyAfter412(core: AnyCore): AnyCore {
  return wrapCore(core, {
    restWrite: (ctx: RequestContext, req: RestWriteRequest) =>
      andThen(core.restWrite(ctx, req) as RestResponse | Promise<RestResponse>, (res) => {
        const current = res.headers['etag'];
        if (res.status !== 412 || req.kind !== 'patch' || current === undefined) return res;
        return andThen(core.restWrite(ctx, { ...req, ifMatch: current }) as RestResponse | Promise<RestResponse>, () => res);
      }),
  });
}

export const preconditionFailedButApplied = defineDefect({
  name: 'precondition-failed-but-applied',
  violates: ['OFS-CONF-009'],
  description: '412 returned but the write applied: the stale PATCH is written before the precondition answer',
  site: 'core',
  hooks: { core: applyAfter412 },
});
