/**
 * Pull (TR §7): the tenant's committed changes after an opaque cursor, in commit order,
 * paginated. The cursor is base64url of the last change seq seen; the store filters by tenant
 * (and module), so a page never carries another tenant's change.
 */
import type { ChangeRow } from '../ports/records.js';
import type { MaybePromise } from '../ports/store.js';
import type { CoreDeps, PullPage, PullRequest, PulledChange, Result } from './api.js';
import { effectiveConfig } from './config.js';
import { sha256Hex } from './ids.js';
import { andThen } from './maybe.js';
import { problem, validationFailed } from './problems.js';
import type { RequestContext } from './types.js';

const DEFAULT_LIMIT = 100;

/** A short tag binding a cursor to its tenant (a cursor of another tenant is refused, TR §7). */
function tenantTag(tenantId: string): string {
  let tag = tenantTags.get(tenantId);
  if (tag === undefined) {
    tag = sha256Hex('cursor\n' + tenantId).slice(0, 12);
    // A pure function of the tenant, asked for three times per pull (decode, its canonical-form
    // check, encode); the bound keeps a server with very many tenants from growing the memo.
    if (tenantTags.size >= MAX_TENANT_TAGS) tenantTags.clear();
    tenantTags.set(tenantId, tag);
  }
  return tag;
}
const tenantTags = new Map<string, string>();
const MAX_TENANT_TAGS = 4096;

/** Encodes a change seq of `tenantId` as a cursor. */
export function encodeCursor(tenantId: string, seq: number): string {
  return Buffer.from(`c${seq}.${tenantTag(tenantId)}`, 'utf8').toString('base64url');
}

/** Decodes a cursor of `tenantId`; undefined when it is not one of ours or belongs to another tenant. */
export function decodeCursor(tenantId: string, cursor: string): number | undefined {
  if (cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const m = /^c(0|[1-9]\d{0,15})\.([0-9a-f]{12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m || m[2] !== tenantTag(tenantId)) return undefined;
  const seq = Number(m[1]);
  // Only the canonical spelling: base64url admits other encodings of the same bytes.
  return Number.isSafeInteger(seq) && encodeCursor(tenantId, seq) === cursor ? seq : undefined;
}

/** Parses a limit given as number or query string. */
function parseLimit(raw: unknown, max: number): number | undefined {
  if (raw === undefined) return DEFAULT_LIMIT;
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/** The wire form of a change. */
export function toPulledChange(row: ChangeRow): PulledChange {
  return { aggregate: row.aggregate, version: row.version, op: row.op, state: row.state, committedAt: row.committedAt, eventId: row.eventId };
}

/** Handles a pull. */
export function pull(ctx: RequestContext, req: PullRequest, deps: CoreDeps): MaybePromise<Result<PullPage>> {
  if (!deps.modules.has(req.module)) return { ok: false, problem: problem('not-found', `unknown module '${req.module}'`) };
  const cfg = effectiveConfig(deps.config);
  const limit = parseLimit(req.limit, cfg.maxPullLimit);
  if (limit === undefined) {
    return { ok: false, problem: validationFailed([{ pointer: '/limit', detail: `must be an integer 1..${cfg.maxPullLimit}` }]) };
  }
  let after = 0;
  if (req.cursor !== undefined && req.cursor !== '') {
    const seq = typeof req.cursor === 'string' ? decodeCursor(ctx.tenantId, req.cursor) : undefined;
    if (seq === undefined) return { ok: false, problem: validationFailed([{ pointer: '/cursor', detail: 'not a cursor returned by this server' }]) };
    after = seq;
  }
  return andThen(deps.store.listChanges(ctx.tenantId, after, limit, req.module), (page): Result<PullPage> => {
    const last = page.changes[page.changes.length - 1];
    return {
      ok: true,
      value: {
        changes: page.changes.map(toPulledChange),
        nextCursor: encodeCursor(ctx.tenantId, last ? last.seq : after),
        hasMore: page.hasMore,
      },
    };
  });
}
