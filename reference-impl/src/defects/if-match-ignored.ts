/**
 * `if-match-ignored` — why this violates OFS-CONF-009 / OFS-CONF-007: the server reads the
 * resource's current ETag and uses it in place of the client's If-Match, so a PATCH based on a
 * stale version overwrites the newer one (lost update) instead of answering 412.
 * Planted: core wrapper — `restWrite` of a PATCH replaces `ifMatch` with the current version's ETag.
 */
import { andThen } from '../domain/maybe.js';
import { etagFor } from '../domain/ids.js';
import type { RestWriteRequest } from '../domain/api.js';
import { findDefinition } from '../domain/rest.js';
import type { RequestContext } from '../domain/types.js';
import type { AggregateRow } from '../ports/records.js';
import type { Store } from '../ports/store.js';
import { defineDefect, type AnyCore } from './defect.js';
import { wrapCore } from './wrap-ports.js';

function ignoreIfMatch(core: AnyCore, store: Store): AnyCore {
  return wrapCore(core, {
    restWrite: (ctx: RequestContext, req: RestWriteRequest) => {
      const mod = core.deps.modules.get(req.module);
      const def = mod && findDefinition(mod, req.collection);
      if (req.kind !== 'patch' || req.ifMatch === undefined || req.id === undefined || !def) return core.restWrite(ctx, req);
      const current = store.findAggregate(ctx.tenantId, def.type, req.id) as AggregateRow | undefined | Promise<AggregateRow | undefined>;
      return andThen(current, (row) => core.restWrite(ctx, row ? { ...req, ifMatch: etagFor(row.version) } : req));
    },
  });
}

export const ifMatchIgnored = defineDefect({
  name: 'if-match-ignored',
  violates: ['OFS-CONF-009', 'OFS-CONF-007'],
  description: "ETag/If-Match ignored: a PATCH is applied against the current version whatever the client's If-Match",
  site: 'core',
  hooks: { core: ignoreIfMatch },
});
