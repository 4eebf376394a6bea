import { describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import type { PulledChange } from '../../src/domain/api.js';
import { decodeCursor, encodeCursor } from '../../src/domain/pull.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, pushBody, uuid } from './helpers.js';

describe('pull', () => {
  requirementTest(
    { id: 'core.sync.pull-commit-order-paginated', verifies: ['OFS-SYNC-012', 'OFS-TEN-003'] },
    "pull pages through the tenant's changes in commit order and never returns another tenant's change",
    () => {
      const { core } = makeCore();
      for (const tenant of ['t1', 't2']) {
        const muts = Array.from({ length: 7 }, (_, i) =>
          mutation({ cmid: uuid(3, i + 1), seq: i + 1, type: 'encounter', id: uuid(tenant === 't1' ? 2 : 6, i + 1), op: 'create', payload: payloads.encounter(uuid(9, 9)) }),
        );
        outcomesOf(core.push(ctxOf(tenant), 'clinic', pushBody(uuid(1, 1), muts)));
      }
      const seen: PulledChange[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const r = core.pull(ctxOf('t1'), { module: 'clinic', limit: 3, ...(cursor ? { cursor } : {}) });
        if (!r.ok) throw new Error(r.problem.detail);
        seen.push(...r.value.changes);
        cursor = r.value.nextCursor;
        pages++;
        if (!r.value.hasMore) break;
      }
      expect(pages).toBe(3);
      expect(seen.map((c) => c.aggregate.id)).toEqual(Array.from({ length: 7 }, (_, i) => uuid(2, i + 1)));
      // Nothing new after the last cursor.
      const tail = core.pull(ctxOf('t1'), { module: 'clinic', cursor });
      expect(tail.ok && tail.value).toEqual({ changes: [], nextCursor: cursor, hasMore: false });
    },
  );

  test('bad cursor and limit are validation problems', () => {
    const { core } = makeCore();
    // A cursor minted for another tenant is refused too (TR §7).
    for (const req of [{ cursor: '!!' }, { cursor: encodeCursor('t1', 3).slice(1) }, { cursor: encodeCursor('t2', 3) }, { limit: 0 }, { limit: 501 }, { limit: '7x' as unknown as number }]) {
      const r = core.pull(ctxOf('t1'), { module: 'clinic', ...req });
      expect(!r.ok && r.problem.status, JSON.stringify(req)).toBe(400);
    }
    expect(core.pull(ctxOf('t1'), { module: 'clinic', limit: '5' as unknown as number }).ok).toBe(true);
  });

  test('cursors round-trip', () => {
    for (const n of [0, 1, 42, 2 ** 40]) expect(decodeCursor('t', encodeCursor('t', n))).toBe(n);
    expect(decodeCursor('t', '')).toBeUndefined();
    expect(decodeCursor('u', encodeCursor('t', 5))).toBeUndefined();
  });
});
