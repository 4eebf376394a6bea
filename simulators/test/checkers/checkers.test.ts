import { describe, expect, test } from 'vitest';
import { ALL_CHECKERS, checkHistory } from '../../src/checkers/index.js';
import { runChecker, type Checker } from '../../src/checkers/checker.js';
import { noSilentLoss } from '../../src/checkers/no-silent-loss.js';
import { exactlyOnce } from '../../src/checkers/exactly-once.js';
import { perAggregateOrder } from '../../src/checkers/per-aggregate-order.js';
import { blockedBehindConflict } from '../../src/checkers/blocked-behind-conflict.js';
import { convergence } from '../../src/checkers/convergence.js';
import { tenantIsolation } from '../../src/checkers/tenant-isolation.js';
import { eventPerApplied } from '../../src/checkers/event-per-applied.js';
import { auditPerPhiConflict } from '../../src/checkers/audit-per-phi-conflict.js';
import { cleanHistory, HistoryBuilder } from '../support/history-builder.js';

describe('checkers on a clean hand-made history', () => {
  test('every checker passes', () => {
    const results = checkHistory(cleanHistory().entries);
    for (const r of results) expect(r, r.checker).toMatchObject({ verdict: 'pass', violations: 0, witness: [] });
    expect(results.map((r) => r.checker)).toEqual(ALL_CHECKERS.map((c) => c.name));
  });

  test('every checker says unknown without the final read-back', () => {
    const h = new HistoryBuilder().capture('d0', 'ta', 'm1', 'note:n1');
    for (const r of checkHistory(h.entries)) expect(r.verdict, r.checker).toBe('unknown');
  });

  test('a checker that throws reports unknown, never pass', () => {
    const broken: Checker = {
      name: 'broken',
      requirements: ['OFS-SYNC-011'],
      check: () => {
        throw new Error('boom');
      },
    };
    expect(runChecker(broken, cleanHistory().entries)).toMatchObject({ verdict: 'unknown', message: 'checker threw: boom' });
  });
});

function fails(checker: Checker, h: HistoryBuilder) {
  const r = runChecker(checker, h.entries);
  expect(r.verdict, r.message).toBe('fail');
  expect(r.witness.length).toBeGreaterThan(0);
  expect(r.witness.length).toBeLessThanOrEqual(4);
  return r;
}

describe('no-silent-loss', () => {
  test('an acknowledged write missing from the server log fails, witnessed by capture and ack', () => {
    const h = cleanHistory();
    h.entries.splice(h.entries.findIndex((e) => e.k === 'log' && e.cmid === 'm2'), 1);
    const r = fails(noSilentLoss, h);
    expect(r.witness.map((e) => e.k)).toEqual(['capture', 'outcome']);
    expect(r.message).toContain('m2');
  });

  test('a mutation that left the queue without any outcome fails', () => {
    const h = cleanHistory();
    h.entries.unshift({ k: 'capture', t: 1, dev: 'd0', tenant: 'ta', actor: 'a', client: 'c', cmid: 'lost', seq: 9, agg: 'note:n1', op: 'append', base: 0 });
    expect(fails(noSilentLoss, h).message).toContain('left the queue');
  });

  test('a mutation still queued after liveness fails; a surfaced rejection passes', () => {
    const h = cleanHistory().capture('d0', 'ta', 'm3', 'stock-item:s1', 'adjust');
    h.queue('d0', 'ta', ['m3']);
    expect(fails(noSilentLoss, h).message).toContain('still queued');
    const ok = cleanHistory().capture('d0', 'ta', 'm3', 'stock-item:s1', 'adjust').surface('d0', 'ta', 'm3', 'rejected:insufficient-stock');
    expect(runChecker(noSilentLoss, ok.entries).verdict).toBe('pass');
  });
});

describe('exactly-once', () => {
  test('two changes for one mutation fail', () => {
    const h = cleanHistory().log('ta', 'm2', 'note:n1', 3, 'ev-other');
    expect(fails(exactlyOnce, h).message).toContain('took effect twice');
  });

  test('a replay that answers differently from the first decision fails', () => {
    const h = cleanHistory().applied('d0', 'ta', 'm1', 5, 'ev-ta-m1', true);
    expect(fails(exactlyOnce, h).message).toContain('different results');
  });

  test('answered rejected but applied in the log fails; out-of-order is not a decision', () => {
    const h = cleanHistory();
    h.entries.splice(h.entries.findIndex((e) => e.k === 'outcome' && e.cmid === 'm2'), 0, {
      k: 'outcome', t: 0, dev: 'd0', tenant: 'ta', req: 0, cmid: 'm2', status: 'rejected', problem: 'business-rule-violation',
    });
    expect(fails(exactlyOnce, h).message).toContain('answered rejected');
    const ok = cleanHistory();
    ok.entries.splice(ok.entries.findIndex((e) => e.k === 'outcome' && e.cmid === 'm2'), 0, {
      k: 'outcome', t: 0, dev: 'd0', tenant: 'ta', req: 0, cmid: 'm2', status: 'rejected', problem: 'out-of-order',
    });
    expect(runChecker(exactlyOnce, ok.entries).verdict).toBe('pass');
  });
});

describe('per-aggregate-order', () => {
  test('a later capture applied at a lower version fails', () => {
    const h = cleanHistory();
    for (const e of h.entries) if (e.k === 'log' && e.tenant === 'ta') Object.assign(e, { version: e.cmid === 'm1' ? 2 : 1 });
    const r = fails(perAggregateOrder, h);
    expect(r.message).toContain('note:n1');
    expect(r.witness.map((e) => e.k)).toEqual(['capture', 'capture', 'log', 'log']);
  });

  test('a push listing mutations out of clientSeq order fails', () => {
    const h = cleanHistory().push('d0', 'ta', ['m2', 'm1']);
    expect(fails(perAggregateOrder, h).message).toContain('lists clientSeq');
  });
});

describe('blocked-behind-conflict', () => {
  /** d0 updates encounter e1 twice; the first update conflicts (c5). */
  const behindConflict = (resolveFirst: boolean, resolve = true): HistoryBuilder => {
    const h = new HistoryBuilder();
    h.capture('d0', 'ta', 'm1', 'encounter:e1').capture('d0', 'ta', 'm2', 'encounter:e1').capture('d0', 'ta', 'm3', 'encounter:e2');
    h.push('d0', 'ta', ['m1']).conflicted('d0', 'ta', 'm1', 'c5');
    if (resolve && resolveFirst) h.resolveCall('ta', 'c5');
    h.push('d0', 'ta', ['m2', 'm3']).applied('d0', 'ta', 'm2', 2).applied('d0', 'ta', 'm3', 1);
    if (resolve && !resolveFirst) h.resolveCall('ta', 'c5');
    return h.final();
  };

  test('a later mutation of the aggregate applied before any resolution of the conflict was asked fails', () => {
    const r = fails(blockedBehindConflict, behindConflict(false));
    expect(r.message).toContain("encounter:e1: d0's m2 was applied");
    expect(r.message).toContain('waited in conflict c5, not resolved before');
    expect(r.witness.map((e) => e.k)).toEqual(['capture', 'outcome', 'capture', 'outcome']);
    expect(fails(blockedBehindConflict, behindConflict(false, false)).message).toContain('never resolved');
  });

  test('applied after the resolution was sent, or on another aggregate, passes', () => {
    const r = runChecker(blockedBehindConflict, behindConflict(true).entries);
    expect(r.verdict).toBe('pass');
    expect(r.message).toMatch(/^1 applied mutations captured after a conflict/);
  });
});

describe('convergence', () => {
  test('a replica behind the server fails', () => {
    const h = cleanHistory();
    const i = h.entries.findIndex((e) => e.k === 'final-replica' && e.dev === 'd0');
    h.entries.splice(i, 1);
    h.replica('d0', 'ta', [['note:n1', 1]]);
    expect(fails(convergence, h).message).toContain('d0');
  });

  test('a queue that did not drain fails', () => {
    expect(fails(convergence, cleanHistory().queue('d0', 'ta', ['m7'])).message).toContain('queued');
  });
});

describe('tenant-isolation', () => {
  test("an answer carrying another tenant's change fails (dedup ignoring the tenant)", () => {
    const h = cleanHistory().capture('d1', 'tb', 'm2', 'note:n1', 'append').applied('d1', 'tb', 'm2', 2, 'ev-ta-m2', true);
    const r = fails(tenantIsolation, h);
    expect(r.message).toContain("tenant ta's change");
  });

  test('an event whose subject names another tenant fails', () => {
    expect(fails(tenantIsolation, cleanHistory().event('ta', 'm1', 'note:n1', 1, { id: 'x', subjectTenant: 'tb' })).message).toContain('carries data tenant');
  });

  test("a device uploading a mutation it did not capture in that tenant fails", () => {
    expect(fails(tenantIsolation, cleanHistory().push('d1', 'tb', ['m2'])).message).toContain('did not capture');
  });

  test("a tenant log holding another tenant's aggregate fails", () => {
    expect(fails(tenantIsolation, cleanHistory().log('tb', 'm2', 'note:n9', 1, 'ev-x')).message).toContain('no device of that tenant wrote');
  });
});

describe('event-per-applied', () => {
  test('a committed change without an event fails', () => {
    const h = cleanHistory();
    h.entries.splice(h.entries.findIndex((e) => e.k === 'event' && e.cmid === 'm2'), 1);
    expect(fails(eventPerApplied, h).message).toContain('no event');
  });

  test('an event for a mutation that was not applied fails; a redelivery is counted, not failed', () => {
    expect(fails(eventPerApplied, cleanHistory().event('ta', 'm9', 'note:n1', 3)).message).toContain('reports no committed change');
    const r = runChecker(eventPerApplied, cleanHistory().event('ta', 'm1', 'note:n1', 1, { redelivery: true }).entries);
    expect(r.verdict).toBe('pass');
    expect(r.message).toContain('1 redeliveries');
  });

  test('the broker storing the same id twice as new fails', () => {
    expect(fails(eventPerApplied, cleanHistory().event('ta', 'm1', 'note:n1', 1)).message).toContain('twice');
  });
});

describe('audit-per-phi-conflict', () => {
  test('a resolved PHI conflict without an audit event fails; two audit events fail', () => {
    const h = cleanHistory();
    h.entries.splice(h.entries.findIndex((e) => e.k === 'audit'), 1);
    expect(fails(auditPerPhiConflict, h).message).toContain('has 0 audit events');
    expect(fails(auditPerPhiConflict, cleanHistory().audit('ta', 2, 'c1')).message).toContain('has 2 audit events');
  });

  test('an audit event for an open or non-PHI conflict fails; permission-lost audits are ignored', () => {
    const h = cleanHistory().conflict('ta', 'c2', 'm8', 'stock-item:s1', 'resolved', false).audit('ta', 2, 'c2');
    expect(fails(auditPerPhiConflict, h).message).toContain('phi=false');
    const ok = cleanHistory().audit('ta', 2, null, 'permission-lost');
    expect(runChecker(auditPerPhiConflict, ok.entries).verdict).toBe('pass');
  });
});
