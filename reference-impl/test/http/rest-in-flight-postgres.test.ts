/**
 * Idempotency-Key in flight (TR §5.2) needs a store that yields while it decides: PostgreSQL. Two
 * identical REST creates sent at once → one 201, the other 409 idempotency-key-in-flight (or the
 * replay, should the first finish before the second arrives); exactly one takes effect.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import type { Store } from '../../src/ports/store.js';
import { openStore } from '../../src/stores/open-store.js';
import { harness, json, patientPayload, problemOf, ptype, type Harness } from './harness.js';

const PG_ADMIN = process.env['SYNCPROOF_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = `syncproof_inflight_${process.pid}_${Date.now()}`;
let admin: pg.Client;
let store: Store;
let h: Harness;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${DB}`;
  store = await openStore(url.toString());
  h = await harness({ store });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await store?.close();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  }
});

describe('REST Idempotency-Key in flight (PostgreSQL)', () => {
  requirementTest({ id: 'http.rest-key-in-flight-409', verifies: ['OFS-IDEM-011'] }, 'a second write with a key still in flight is 409 and only one takes effect', async () => {
    const token = await h.token('tenant-a', 'alice', ['clinician']);
    let saw409 = false;
    for (let round = 0; round < 10 && !saw409; round += 1) {
      const id = randomUUID();
      const key = { 'idempotency-key': randomUUID() };
      const body = { id, ...patientPayload(`MRN-${round}-${id.slice(0, 6)}`) };
      const [a, b] = await Promise.all([
        h.call('POST', '/v1/clinic/patients', { token, body, headers: key }),
        h.call('POST', '/v1/clinic/patients', { token, body, headers: key }),
      ]);
      const statuses = [a.statusCode, b.statusCode].sort();
      expect([[201, 201], [201, 409]]).toContainEqual(statuses);
      for (const res of [a, b]) {
        if (res.statusCode === 409) {
          saw409 = true;
          expect(problemOf(res).type).toBe(ptype('idempotency-key-in-flight'));
        }
      }
      if (statuses[1] === 201) expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']]).toContain('true');
      // Exactly one effect: version 1, and a retry of the key replays it.
      const got = await h.call('GET', `/v1/clinic/patients/${id}`, { token });
      expect(json(got)['version']).toBe(1);
      const retry = await h.call('POST', '/v1/clinic/patients', { token, body, headers: key });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
    }
    expect(saw409).toBe(true);
  });
});
