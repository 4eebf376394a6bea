/**
 * `sequence-gaps-accepted` — why this violates OFS-SYNC-007: the server only checks that clientSeq
 * increases, not that it increases by one: at a gap it fast-forwards the client's sequence to the
 * new number and applies the rest, so when the missing mutations arrive (a lost or overtaken
 * push) they are below the sequence and are never applied.
 * Planted: core wrapper — `push` is split at every clientSeq gap (between the stored sequence and
 * the first mutation, or inside the batch); before each part one transaction moves the client's
 * `lastSeq` up to just below it, then the part is pushed; the outcomes are joined in order.
 */
import { andThen } from '../domain/maybe.js';
import type { PushResponse, Result } from '../domain/api.js';
import type { Outcome, RequestContext } from '../domain/types.js';
import type { MaybePromise, Store } from '../ports/store.js';
import { defineDefect, type AnyCore } from './defect.js';
import { wrapCore } from './wrap-ports.js';

interface Shaped {
  readonly body: Record<string, unknown> & { clientId: string; mutations: Record<string, unknown>[] };
  /** Runs of consecutive clientSeqs. */
  readonly parts: Record<string, unknown>[][];
}

function shape(body: unknown): Shaped | undefined {
  const b = body as { clientId?: unknown; mutations?: unknown } | null;
  if (!b || typeof b.clientId !== 'string' || !Array.isArray(b.mutations) || b.mutations.length === 0) return undefined;
  const seqs = (b.mutations as { clientSeq?: unknown }[]).map((m) => m?.clientSeq);
  if (!seqs.every((s): s is number => typeof s === 'number' && Number.isSafeInteger(s))) return undefined;
  const parts: Record<string, unknown>[][] = [];
  (b.mutations as Record<string, unknown>[]).forEach((m, i) => {
    if (i === 0 || (seqs[i] as number) !== (seqs[i - 1] as number) + 1) parts.push([]);
    (parts[parts.length - 1] as Record<string, unknown>[]).push(m);
  });
  return { body: b as Shaped['body'], parts };
}

const STOPS = new Set(['out-of-order', 'actor-mismatch', 'idempotency-key-reuse']);
function stopped(outcomes: readonly Outcome[]): boolean {
  return outcomes.some((o) => o.status === 'not-processed' || (o.status === 'rejected' && STOPS.has(o.problem.type.split('/').pop() ?? '')));
}

function joined(parts: readonly PushResponse[], skipped: readonly Outcome[]): PushResponse {
  return {
    outcomes: [...parts.flatMap((p) => p.outcomes), ...skipped],
    audits: parts.flatMap((p) => p.audits),
    get outcomeJson() {
      return [...parts.flatMap((p) => p.outcomeJson), ...skipped.map((o) => JSON.stringify(o))];
    },
  };
}

function acceptGaps(core: AnyCore, store: Store): AnyCore {
  return wrapCore(core, {
    push: (ctx: RequestContext, module: string, body: unknown) => {
      const s = shape(body);
      if (!s) return core.push(ctx, module, body);
      const done: PushResponse[] = [];
      const step = (i: number): MaybePromise<Result<PushResponse>> => {
        if (i === s.parts.length) return { ok: true, value: joined(done, []) };
        const part = s.parts[i] as Record<string, unknown>[];
        const first = part[0]!['clientSeq'] as number;
        const moved = store.transaction({ tenantId: ctx.tenantId, clientIds: [s.body.clientId] }, (tx) => {
          const row = tx.getClientSeq(ctx.tenantId, s.body.clientId);
          const last = row?.lastSeq ?? 0;
          if (first > last + 1) tx.putClientSeq({ tenantId: ctx.tenantId, clientId: s.body.clientId, lastSeq: first - 1, pending: row?.pending ?? [] });
        });
        return andThen(moved, () =>
          andThen(core.push(ctx, module, { ...s.body, mutations: part }) as MaybePromise<Result<PushResponse>>, (r) => {
            if (!r.ok) return r;
            done.push(r.value);
            if (!stopped(r.value.outcomes)) return step(i + 1);
            const rest = s.parts.slice(i + 1).flat().map((m) => ({ clientMutationId: m['clientMutationId'], clientSeq: m['clientSeq'], status: 'not-processed' }) as unknown as Outcome);
            return { ok: true, value: joined(done, rest) };
          }),
        );
      };
      return step(0);
    },
  });
}

export const sequenceGapsAccepted = defineDefect({
  name: 'sequence-gaps-accepted',
  violates: ['OFS-SYNC-007'],
  description: 'a clientSeq gap is accepted: the server fast-forwards the client sequence to the pushed number',
  site: 'core',
  hooks: { core: acceptGaps },
});
