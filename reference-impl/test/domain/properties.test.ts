import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { eventIdFor } from '../../src/domain/ids.js';
import { compareEntries, mergeEntry, mergeEntryLists, type NoteEntry } from '../../src/domain/merge-append.js';
import { outcomeJson } from '../../src/domain/push.js';
import { ctxOf, makeCore, mutation, payloads, pushBody, uuid } from './helpers.js';

const entryArb: fc.Arbitrary<NoteEntry> = fc.record({
  entryId: fc.uuid(),
  text: fc.string({ minLength: 1, maxLength: 8 }),
  authoredAt: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-01-02T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  actorId: fc.constantFrom('alice', 'bob'),
});
// entryId is the clientMutationId: one id, one content.
const entriesArb = fc.uniqueArray(entryArb, { selector: (e) => e.entryId, maxLength: 12 });

describe('properties', () => {
  requirementTest(
    { id: 'core.conf.merge-append-commutative-idempotent', verifies: ['OFS-CONF-004'] },
    'merge-append is commutative and idempotent and keeps entries sorted by (authoredAt, entryId)',
    () => {
      fc.assert(
        fc.property(entriesArb, fc.nat(), (entries, seed) => {
          const shuffled = [...entries].sort((a, b) => ((a.entryId.charCodeAt(seed % 36) ^ seed) & 7) - ((b.entryId.charCodeAt(seed % 36) ^ seed) & 7));
          const x = mergeEntryLists([], entries);
          const y = mergeEntryLists([], shuffled);
          expect(y).toEqual(x);
          expect(mergeEntryLists(x, entries)).toEqual(x);
          for (const e of entries) expect(mergeEntry(x, e)).toBe(x);
          for (let i = 1; i < x.length; i++) expect(compareEntries(x[i - 1]!, x[i]!)).toBeLessThan(0);
          expect(x).toHaveLength(entries.length);
        }),
        { numRuns: 300 },
      );
    },
  );

  requirementTest(
    { id: 'core.idem.interleaved-duplicates-exactly-once', verifies: ['OFS-IDEM-013', 'OFS-IDEM-002', 'OFS-EVT-005'] },
    'any interleaving of duplicate deliveries of two clients’ pushes has exactly-once effect',
    () => {
      // Each client's queue: stock adjusts on a shared item, delivered as prefixes (retries resend
      // from the first unacknowledged mutation), duplicated and interleaved at random.
      const deliveryArb = fc.array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 30 });
      fc.assert(
        fc.property(deliveryArb, (deliveries) => {
          const { core, store } = makeCore({ audit: false });
          const item = uuid(2, 1);
          const ctx = ctxOf('t1');
          core.push(ctx, 'clinic', pushBody(uuid(1, 9), [mutation({ cmid: uuid(5, 1), seq: 1, type: 'stock-item', id: item, op: 'create', payload: payloads.stock('S', 1000) })]));
          const queues = [0, 1].map((c) =>
            Array.from({ length: 6 }, (_, i) => mutation({ cmid: uuid(10 + c, i + 1), seq: i + 1, type: 'stock-item', id: item, op: 'adjust', payload: { delta: -(c * 10 + i + 1), reason: 'dispense' } })),
          );
          const acked = [0, 0];
          for (const [c, count, from] of deliveries) {
            // A retry resends from somewhere at or before the first unacknowledged mutation.
            const start = Math.min(from, acked[c]!);
            const batch = queues[c]!.slice(start, start + count);
            if (batch.length === 0) continue;
            const r = core.push(ctx, 'clinic', pushBody(uuid(1, c), batch));
            if (!r.ok) throw new Error(r.problem.detail);
            for (const o of r.value.outcomes) if (o.status === 'applied' || o.status === 'rejected') acked[c] = Math.max(acked[c]!, o.clientSeq);
          }
          // Expected effect: exactly the acknowledged prefixes, once each.
          let expected = 1000;
          for (const c of [0, 1]) for (let i = 0; i < acked[c]!; i++) expected -= c * 10 + i + 1;
          expect(store.findAggregate('t1', 'stock-item', item)?.state.quantity).toBe(expected);
          const rows = store.claimOutbox(1000);
          expect(rows).toHaveLength(1 + acked[0]! + acked[1]!);
          expect(new Set(rows.map((r) => r.eventId)).size).toBe(rows.length);
        }),
        { numRuns: 200 },
      );
    },
  );

  requirementTest(
    { id: 'core.sec.arbitrary-json-never-throws', verifies: ['OFS-SEC-006'] },
    'arbitrary JSON values as a push body never throw from the core; refusals are 4xx problems',
    () => {
      const { core } = makeCore();
      const ctx = ctxOf('t1');
      const good = mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(uuid(9, 9)) });
      const mutationish = fc.record(
        {
          clientMutationId: fc.oneof(fc.uuid(), fc.jsonValue()),
          clientSeq: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.jsonValue()),
          aggregate: fc.oneof(fc.record({ type: fc.constantFrom('patient', 'encounter', 'note', 'stock-item', 'x'), id: fc.uuid() }), fc.jsonValue()),
          op: fc.oneof(fc.constantFrom('create', 'update', 'append', 'adjust'), fc.jsonValue()),
          baseVersion: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.jsonValue()),
          payload: fc.oneof(fc.dictionary(fc.constantFrom('mrn', 'status', 'patientId', 'delta', 'text', 'sku', 'quantity'), fc.jsonValue()), fc.jsonValue()),
          capturedAt: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), fc.jsonValue()),
          actorId: fc.oneof(fc.constant('alice'), fc.jsonValue()),
        },
        { requiredKeys: [] },
      );
      const bodyArb = fc.oneof(
        fc.jsonValue(),
        fc.record({ clientId: fc.oneof(fc.uuid(), fc.jsonValue()), mutations: fc.array(fc.oneof(mutationish, fc.constant(good)), { maxLength: 5 }) }),
      );
      fc.assert(
        fc.property(bodyArb, (body) => {
          const r = core.push(ctx, 'clinic', body);
          if (!r.ok) {
            expect(r.problem.status).toBeGreaterThanOrEqual(400);
            expect(r.problem.status).toBeLessThan(500);
          } else {
            for (const o of r.value.outcomes) expect(['applied', 'rejected', 'conflict', 'blocked', 'duplicate-expired', 'not-processed']).toContain(o.status);
            expect(() => JSON.parse(`[${r.value.outcomeJson.join(',')}]`)).not.toThrow();
          }
        }),
        { numRuns: 500 },
      );
    },
  );

  test('outcomeJson equals canonical JSON for every outcome', () => {
    const o = { clientMutationId: uuid(3, 1), clientSeq: 7, status: 'applied' as const, newVersion: 3, etag: '"3"', eventId: eventIdFor('t', uuid(3, 1)) };
    expect(outcomeJson(o)).toBe(canonicalJson(o));
  });

  test('canonicalJson equals the plain sort-and-concatenate definition (RFC 8785 key order) for any JSON', () => {
    // The definition, written the obvious way; the implementation takes fast paths.
    const reference = (v: unknown): string => {
      if (Array.isArray(v)) return '[' + v.map((x) => (x === undefined ? 'null' : reference(x))).join(',') + ']';
      if (typeof v === 'object' && v !== null) {
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o).sort().filter((k) => o[k] !== undefined);
        return '{' + keys.map((k) => JSON.stringify(k) + ':' + reference(o[k])).join(',') + '}';
      }
      return JSON.stringify(v);
    };
    // Keys that stress enumeration order: integer-like, __proto__, escapes, surrogates, unsorted.
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('10', '2', '01', '__proto__', 'a"b', '\u00e9', '\ud800', 'Z', 'a'));
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(fc.string({ maxLength: 6 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
        fc.array(tie('json'), { maxLength: 4 }),
        fc.dictionary(key, tie('json'), { maxKeys: 5 }),
      ),
    })).json;
    fc.assert(
      fc.property(value, (v) => {
        // JSON.parse gives own `__proto__` members and plain prototypes, like a request body.
        const parsed: unknown = v === undefined ? v : JSON.parse(JSON.stringify(v));
        if (parsed !== undefined) expect(canonicalJson(parsed)).toBe(reference(parsed));
        if (v !== undefined) expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
    expect(canonicalJson({ b: 1, a: -0, c: 1e21 })).toBe('{"a":0,"b":1,"c":1e+21}');
  });

  test('event ids have the UUIDv8 layout and depend on tenant and clientMutationId only', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/), fc.uuid(), (tenant, cmid) => {
        const id = eventIdFor(tenant, cmid);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(eventIdFor(tenant, cmid)).toBe(id);
        expect(eventIdFor(tenant + 'x', cmid)).not.toBe(id);
      }),
    );
  });
});
