import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { formatSchemaErrors, validatorFor } from '../../../contracts/src/schema-registry.js';
import { JetStreamBus } from '../../src/events/jetstream-bus.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import { natsServerAvailable, TestNatsServer } from '../process/nats-server.js';
import { eventually, MemoryOutbox, readStream } from './relay-fixtures.js';

let nats: TestNatsServer;
let n = 0;

function streams() {
  n += 1;
  return { syncStream: `T_SYNC_${n}`, auditStream: `T_AUDIT_${n}`, subjectPrefix: `t${n}.` };
}

beforeAll(async () => {
  if (!natsServerAvailable()) throw new Error('nats-server binary missing: cannot verify the relay');
  nats = await TestNatsServer.start();
});
afterAll(async () => {
  await nats?.dispose();
});

describe('outbox relay', () => {
  requirementTest(
    { id: 'events.relay-publishes-cloudevents-once', verifies: ['OFS-EVT-003', 'OFS-EVT-004', 'OFS-EVT-005'] },
    'each outbox row becomes one CloudEvent on its subject with Nats-Msg-Id = event id, even when re-published',
    async () => {
      const cfg = streams();
      const outbox = new MemoryOutbox();
      const rows = [1, 2, 3, 4, 5].map((i) => outbox.addChange(i % 2 ? 'tenant-a' : 'tenant_b', i));
      const relay = new OutboxRelay({ source: outbox, connect: () => JetStreamBus.connect({ url: nats.url, ...cfg }), pollMs: 20 });
      relay.start();
      await eventually(() => outbox.unpublished() === 0);
      // A crash lost the marks: everything is sent again, and JetStream drops the copies.
      outbox.forgetMarks();
      relay.kick();
      await eventually(() => outbox.unpublished() === 0);
      await relay.stop();
      expect(relay.stats.duplicates).toBe(5);
      const msgs = await readStream(nats.url, cfg.syncStream);
      expect(msgs).toHaveLength(5);
      const validate = validatorFor('cloudevent');
      for (const [i, row] of rows.entries()) {
        const m = msgs[i]!;
        expect(m.subject).toBe(`${cfg.subjectPrefix}sync.${row.tenantId}.clinic.encounter.created`);
        expect(m.msgId).toBe(row.eventId);
        expect(m.contentType).toBe('application/cloudevents+json');
        expect(validate(m.data), formatSchemaErrors(validate.errors)).toBe(true);
        expect(m.data).toMatchObject({ id: row.eventId, tenantid: row.tenantId, type: 'org.syncproof.clinic.encounter.created', subject: row.aggregate.id });
      }
    },
  );

  requirementTest({ id: 'events.audit-published-on-audit-subject', verifies: ['OFS-AUD-006'] }, 'audit entries go to the audit stream on audit.<tenant>.<module>.<action>', async () => {
    const cfg = streams();
    const outbox = new MemoryOutbox();
    outbox.audits.push({
      tenantId: 'tenant-a',
      seq: 1,
      prevHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
      event: { resourceType: 'AuditEvent', id: 'evt-1' },
      module: 'clinic',
      action: 'conflict-resolved',
      sourceId: 'conflict:1',
      publishedAt: null,
    });
    const relay = new OutboxRelay({ source: outbox, connect: () => JetStreamBus.connect({ url: nats.url, ...cfg }), pollMs: 20 });
    relay.start();
    await eventually(() => outbox.unpublished() === 0);
    await relay.stop();
    const msgs = await readStream(nats.url, cfg.auditStream);
    expect(msgs).toEqual([
      {
        subject: `${cfg.subjectPrefix}audit.tenant-a.clinic.conflict-resolved`,
        msgId: 'evt-1',
        contentType: 'application/fhir+json',
        data: { resourceType: 'AuditEvent', id: 'evt-1' },
      },
    ]);
  });

  requirementTest(
    { id: 'events.nats-down-events-wait-and-flush', verifies: ['OFS-EVT-008'], timeout: 60_000 },
    'with NATS stopped the rows wait in the outbox; after it restarts each is delivered exactly once',
    async () => {
      const cfg = streams();
      const outbox = new MemoryOutbox();
      const logs: string[] = [];
      const relay = new OutboxRelay({
        source: outbox,
        connect: () => JetStreamBus.connect({ url: nats.url, ...cfg, publishTimeoutMs: 500 }),
        pollMs: 20,
        maxBackoffMs: 200,
        log: (l) => logs.push(l),
      });
      relay.start();
      for (let i = 1; i <= 10; i += 1) outbox.addChange('tenant-a', i);
      await eventually(() => outbox.unpublished() === 0);
      await nats.stop(true);
      for (let i = 11; i <= 30; i += 1) outbox.addChange('tenant-a', i);
      relay.kick();
      await new Promise((r) => setTimeout(r, 800));
      expect(outbox.unpublished()).toBe(20);
      await nats.restart();
      await eventually(() => outbox.unpublished() === 0, 20_000);
      await relay.stop();
      const msgs = await readStream(nats.url, cfg.syncStream);
      const ids = msgs.map((m) => m.msgId);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect(new Set(ids)).toEqual(new Set(outbox.changes.map((c) => c.eventId)));
      expect(logs.some((l) => /fail|timeout|disconnect|not acknowledged|CONNECTION/i.test(l))).toBe(true);
    },
  );

  test('a relay started while NATS is down connects when it comes up', async () => {
    const cfg = streams();
    await nats.stop();
    const outbox = new MemoryOutbox();
    outbox.addChange('tenant-a', 1);
    const relay = new OutboxRelay({ source: outbox, connect: () => JetStreamBus.connect({ url: nats.url, ...cfg }), pollMs: 20, maxBackoffMs: 100 });
    relay.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(outbox.unpublished()).toBe(1);
    await nats.restart();
    await eventually(() => outbox.unpublished() === 0);
    await relay.stop();
    expect(await readStream(nats.url, cfg.syncStream)).toHaveLength(1);
  });
});
