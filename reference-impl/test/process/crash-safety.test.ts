/**
 * Crash safety (TR §3.6, §11.3): a child server on a SQLite file is SIGKILLed at seeded random
 * points while pushes are in flight. After each kill the database must hold every mutation wholly
 * (state + idempotency record + outbox row) or not at all, and after a restart the client's retry of
 * the interrupted batch must get `applied` for every mutation — replayed for those that had
 * committed — with the event ids and versions the database holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { eventIdFor } from '../../src/domain/ids.js';
import type { ChangeRow } from '../../src/ports/records.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { ChildServer } from './child-server.js';
import { ClinicClient, Rng, type SentMutation } from './clinic-client.js';

const KILLS = Number(process.env['SYNCPROOF_CRASH_KILLS'] ?? 50);
const SEED = Number(process.env['SYNCPROOF_CRASH_SEED'] ?? 7);
const TENANT = 'crash-test';
const dir = mkdtempSync(join(tmpdir(), 'syncproof-crash-'));
const file = join(dir, 'server.sqlite');

let current: ChildServer | undefined;
afterAll(async () => {
  // A failed assertion must not leave a child server behind.
  await current?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function tokenFrom(server: ChildServer): Promise<string> {
  const res = await request(`${server.url}/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: TENANT, sub: 'alice', roles: ['clinician'] }),
  });
  return ((await res.body.json()) as { token: string }).token;
}

interface Outcome {
  status: string;
  clientMutationId: string;
  newVersion?: number;
  eventId?: string;
  replayed?: boolean;
}

async function push(server: ChildServer, token: string, body: string): Promise<{ status: number; outcomes: Outcome[] }> {
  const res = await request(`${server.url}/v1/sync/clinic/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, outcomes: res.statusCode === 200 ? (JSON.parse(text) as { outcomes: Outcome[] }).outcomes : [] };
}

/** Opens the killed server's file and checks all-or-nothing per mutation. Returns the change rows. */
function checkDatabase(sent: readonly SentMutation[]): Map<string, ChangeRow> {
  const store = openSqliteStore({ filename: file });
  try {
    const changes: ChangeRow[] = [];
    for (let after = 0; ; ) {
      const page = store.listChanges(TENANT, after, 500);
      changes.push(...page.changes);
      if (!page.hasMore || page.changes.length === 0) break;
      after = page.changes[page.changes.length - 1]!.seq;
    }
    const byEvent = new Map(changes.map((c) => [c.eventId, c]));
    expect(byEvent.size, 'no event id twice in the outbox').toBe(changes.length);
    store.transaction(
      { tenantId: TENANT, idempotencyKeys: sent.map((m) => m.clientMutationId), aggregates: sent.map((m) => m.aggregate) },
      (tx) => {
        const versions = new Map<string, number[]>();
        for (const c of changes) versions.set(c.aggregate.id, [...(versions.get(c.aggregate.id) ?? []), c.version]);
        for (const [id, vs] of versions) {
          const type = changes.find((c) => c.aggregate.id === id)!.aggregate.type;
          const row = tx.getAggregate(TENANT, type, id);
          // State and outbox agree: one change row per version, versions 1..n.
          expect(row?.version, `aggregate ${id}`).toBe(vs.length);
          expect([...vs].sort((a, b) => a - b)).toEqual(vs.map((_, i) => i + 1));
        }
        for (const m of sent) {
          const rec = tx.getIdempotency(TENANT, m.clientMutationId);
          const change = byEvent.get(eventIdFor(TENANT, m.clientMutationId));
          expect(rec !== undefined, `mutation ${m.clientSeq}: record ${rec !== undefined} but outbox row ${change !== undefined}`).toBe(change !== undefined);
        }
        return undefined;
      },
    );
    return byEvent;
  } finally {
    store.close();
  }
}

describe('crash safety', () => {
  requirementTest(
    { id: 'process.sigkill-all-or-nothing', verifies: ['OFS-IDEM-014', 'OFS-SYNC-014', 'OFS-EVT-002'], timeout: 600_000 },
    `a SQLite server SIGKILLed ${KILLS} times mid-push keeps every mutation whole and answers the retry correctly`,
    async () => {
      const rng = new Rng(SEED);
      const client = new ClinicClient(SEED, 'alice');
      let server = await ChildServer.start(['--port', '0', '--db', file, '--dev-issuer']);
      current = server;
      let token = await tokenFrom(server);
      let kills = 0;
      let interruptedAfterCommit = 0;
      const landed = { beforeCommit: 0, afterCommit: 0, partial: 0 };
      while (kills < KILLS) {
        const batch = client.nextBatch(rng.int(1, 150));
        const body = client.body(batch);
        const willKill = rng.next() < 0.6;
        const delay = rng.next() * 40;
        const attempt = push(server, token, body).catch((err: Error) => err);
        if (willKill) {
          await sleep(delay);
          await server.stop('SIGKILL');
        }
        const first = await attempt;
        if (!(first instanceof Error)) {
          // Answered before the kill (if any): it must be the whole decision.
          expect(first.status).toBe(200);
          expect(first.outcomes.map((o) => o.status)).toEqual(batch.map(() => 'applied'));
        }
        if (!willKill) continue;
        // The server died before, during or after this push.
        kills += 1;
        const changes = checkDatabase(client.sent);
        server = await ChildServer.start(['--port', '0', '--db', file, '--dev-issuer']);
        current = server;
        token = await tokenFrom(server);
        const committedCount = batch.filter((m) => changes.has(eventIdFor(TENANT, m.clientMutationId))).length;
        if (committedCount === 0) landed.beforeCommit += 1;
        else if (committedCount === batch.length) landed.afterCommit += 1;
        else landed.partial += 1;
        const retry = await push(server, token, body);
        expect(retry.status).toBe(200);
        expect(retry.outcomes.map((o) => o.status)).toEqual(batch.map(() => 'applied'));
        for (const [i, o] of retry.outcomes.entries()) {
          const committed = changes.get(eventIdFor(TENANT, batch[i]!.clientMutationId));
          // A mutation that had committed before the kill is replayed with the recorded decision.
          expect(o.replayed === true, `mutation ${batch[i]!.clientSeq}`).toBe(committed !== undefined);
          if (committed) {
            interruptedAfterCommit += 1;
            expect(o.newVersion).toBe(committed.version);
          }
          expect(o.eventId).toBe(eventIdFor(TENANT, batch[i]!.clientMutationId));
        }
      }
      // Final state equals the client's model: nothing lost, nothing applied twice.
      for (const a of client.expected()) {
        const collection = a.type === 'stock-item' ? 'stock-items' : `${a.type}s`;
        const res = await request(`${server.url}/v1/clinic/${collection}/${a.id}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.body.json()) as { version: number; state: Record<string, unknown> };
        if (a.version === 0) {
          expect(res.statusCode).toBe(404);
          continue;
        }
        expect(body.version, `${a.type} ${a.id}`).toBe(a.version);
        if (a.type === 'stock-item') expect(body.state['quantity']).toBe(a.quantity);
        if (a.type === 'note') expect((body.state['entries'] as unknown[]).length).toBe(a.entries);
      }
      expect(await server.stop('SIGTERM')).toBe(0);
      const final = checkDatabase(client.sent);
      expect(final.size).toBe(client.sent.length);
      // Seeded kill points must have hit both sides of the commit at least once.
      expect(interruptedAfterCommit).toBeGreaterThan(0);
      expect(landed.beforeCommit).toBeGreaterThan(0);
      process.stdout.write(`crash safety: ${kills} kills (${JSON.stringify(landed)}), ${client.sent.length} mutations\n`);
    },
  );
});
