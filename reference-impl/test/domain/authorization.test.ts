import { describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { ctxOf, makeCore, mutation, outcomesOf, payloads, problemOf, pushBody, uuid } from './helpers.js';

const CLIENT = uuid(1, 1);

describe('apply-time authorization', () => {
  requirementTest(
    { id: 'core.auth.actor-mismatch', verifies: ['OFS-AUTH-004'] },
    'a mutation captured by another actor is rejected actor-mismatch, not recorded, and later accepted from its own actor',
    () => {
      const { core, store } = makeCore();
      const m = mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(uuid(9, 9)), actor: 'alice' });
      const [o] = outcomesOf(core.push(ctxOf('t1', 'mallory'), 'clinic', pushBody(CLIENT, [m])));
      expect(problemOf(o)).toBe('actor-mismatch');
      expect(o?.status === 'rejected' && o.problem.status).toBe(403);
      expect(store.findAggregate('t1', 'encounter', uuid(2, 1))).toBeUndefined();
      const [own] = outcomesOf(core.push(ctxOf('t1', 'alice'), 'clinic', pushBody(CLIENT, [m])));
      expect(own?.status).toBe('applied');
    },
  );

  requirementTest(
    { id: 'core.auth.permission-lost-recorded-and-audited', verifies: ['OFS-AUTH-005', 'OFS-AUTH-006', 'OFS-AUTH-007', 'OFS-AUD-013', 'OFS-STORE-004'] },
    'controlled stock changed without the pharmacist role at apply time is a recorded permission-lost rejection with one audit event',
    () => {
      const { core, store } = makeCore();
      const item = uuid(2, 1);
      const pharmacist = ctxOf('t1', 'phil', ['pharmacist']);
      outcomesOf(core.push(pharmacist, 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(5, 1), seq: 1, type: 'stock-item', id: item, op: 'create', payload: payloads.stock('MORPHINE', 5, true), actor: 'phil' })])));
      // The clinician captured a decrement offline; at upload time the role does not allow it.
      const clinician = ctxOf('t1', 'alice', ['clinician']);
      const body = pushBody(CLIENT, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: item, op: 'adjust', payload: { delta: -1, reason: 'dispense' } })]);
      const first = core.push(clinician, 'clinic', body);
      const [o] = outcomesOf(first);
      expect(problemOf(o)).toBe('permission-lost');
      expect(o?.status === 'rejected' && o.problem.status).toBe(403);
      expect(first.ok && first.value.audits).toHaveLength(1);
      expect(first.ok && first.value.audits[0]).toMatchObject({ kind: 'permission-lost', tenantId: 't1', actorId: 'alice', aggregate: { type: 'stock-item', id: item } });
      expect(store.findAggregate('t1', 'stock-item', item)?.state.quantity).toBe(5);
      // Recorded: the replay returns the same decision and emits no second audit event.
      const second = core.push(clinician, 'clinic', body);
      expect(outcomesOf(second)[0]).toMatchObject({ status: 'rejected', replayed: true });
      expect(second.ok && second.value.audits).toHaveLength(0);
      expect(store.listAudit('t1', 0, 10)).toHaveLength(1);
      // The queue moves on: the next seq is accepted.
      const [next] = outcomesOf(core.push(clinician, 'clinic', pushBody(CLIENT, [mutation({ cmid: uuid(3, 2), seq: 2, type: 'encounter', id: uuid(2, 5), op: 'create', payload: payloads.encounter(uuid(9, 9)) })])));
      expect(next?.status).toBe('applied');
      // With the role, the same kind of change applies.
      const [ok] = outcomesOf(core.push(pharmacist, 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(5, 2), seq: 2, type: 'stock-item', id: item, op: 'adjust', payload: { delta: -1, reason: 'dispense' }, actor: 'phil' })])));
      expect(ok?.status).toBe('applied');
    },
  );

  requirementTest(
    { id: 'core.auth.auditor-cannot-write', verifies: ['OFS-AUTH-007'] },
    'an auditor-only token cannot write clinical aggregates or resolve conflicts',
    () => {
      const { core } = makeCore();
      const auditor = ctxOf('t1', 'audrey', ['auditor']);
      const [o] = outcomesOf(core.push(auditor, 'clinic', pushBody(CLIENT, [mutation({ cmid: uuid(3, 1), seq: 1, type: 'note', id: uuid(2, 1), op: 'create', payload: payloads.note(uuid(9, 9)), actor: 'audrey' })])));
      expect(problemOf(o)).toBe('permission-lost');
      // A conflict opened by alice: neither the auditor nor another clinician may resolve it; an admin may.
      const enc = uuid(2, 7);
      const alice = ctxOf('t1');
      core.push(alice, 'clinic', pushBody(uuid(1, 5), [mutation({ cmid: uuid(6, 1), seq: 1, type: 'encounter', id: enc, op: 'create', payload: payloads.encounter(uuid(9, 9)) })]));
      const [c] = outcomesOf(core.push(alice, 'clinic', pushBody(uuid(1, 6), [mutation({ cmid: uuid(6, 2), seq: 1, type: 'encounter', id: enc, op: 'update', base: 0, payload: { status: 'finished' } })])));
      const conflictId = c?.status === 'conflict' ? c.conflictId : '';
      for (const who of [auditor, ctxOf('t1', 'bob')]) {
        const r = core.resolveConflict(who, { module: 'clinic', conflictId, body: { resolution: 'keep-server' } });
        expect(!r.ok && r.problem.type).toBe('https://syncproof.dev/problems/forbidden');
      }
      expect(core.resolveConflict(ctxOf('t1', 'root', ['admin']), { module: 'clinic', conflictId, body: { resolution: 'keep-server' } }).ok).toBe(true);
    },
  );
});
