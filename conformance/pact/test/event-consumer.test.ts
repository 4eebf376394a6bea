import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EventRejectedError, readAuditEvent, readSyncEvent, type IncomingMessage } from '../src/event-consumer.js';

const example = (kind: string, file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../contracts/examples/valid/${kind}/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;

function syncMessage(): IncomingMessage {
  const body = example('cloudevent', 'patient-created.json');
  return { subject: 'sync.tenantA.clinic.patient.created', headers: { 'Nats-Msg-Id': body['id'], 'content-type': 'application/cloudevents+json' }, body };
}

function auditMessage(): IncomingMessage {
  const body = example('audit-event', 'conflict-resolved-patient.json');
  return { subject: 'audit.tenantA.clinic.conflict-resolved', headers: { 'nats-msg-id': body['id'] }, body };
}

function rejection(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof EventRejectedError ? err.code : `unexpected ${String(err)}`;
  }
}

describe('readSyncEvent', () => {
  test('reads a contract example into a notice', () => {
    const n = readSyncEvent(syncMessage());
    expect(n).toMatchObject({ tenantId: 'tenantA', module: 'clinic', eventType: 'created', version: 1, op: 'create', aggregate: { type: 'patient' } });
  });

  test('refuses a subject naming another tenant or event type', () => {
    expect(rejection(() => readSyncEvent({ ...syncMessage(), subject: 'sync.tenantB.clinic.patient.created' }))).toBe('subject');
    expect(rejection(() => readSyncEvent({ ...syncMessage(), subject: 'sync.tenantA.clinic.patient.updated' }))).toBe('subject');
  });

  test('refuses a Nats-Msg-Id other than the event id', () => {
    const m = syncMessage();
    expect(rejection(() => readSyncEvent({ ...m, headers: { ...m.headers, 'Nats-Msg-Id': 'other' } }))).toBe('msg-id');
  });

  test('refuses a body that breaks the event schema', () => {
    const m = syncMessage();
    const { data: _data, ...noData } = m.body as Record<string, unknown>;
    expect(rejection(() => readSyncEvent({ ...m, body: noData }))).toBe('schema');
  });

  test('refuses a content type that is not CloudEvents JSON', () => {
    const m = syncMessage();
    expect(rejection(() => readSyncEvent({ ...m, headers: { ...m.headers, 'content-type': 'text/plain' } }))).toBe('content-type');
  });
});

describe('readAuditEvent', () => {
  test('reads a contract example with its entities and versions', () => {
    const n = readAuditEvent(auditMessage());
    expect(n.action).toBe('conflict-resolved');
    expect(n.tenantId).toBe('tenantA');
    expect(n.entities.some((e) => e.startsWith('Patient/'))).toBe(true);
  });

  test('refuses a subject outside audit.<tenant>.<module>.<action>', () => {
    expect(rejection(() => readAuditEvent({ ...auditMessage(), subject: 'sync.tenantA.clinic.patient.created' }))).toBe('subject');
  });

  test('refuses a Nats-Msg-Id other than the AuditEvent id', () => {
    expect(rejection(() => readAuditEvent({ ...auditMessage(), headers: {} }))).toBe('msg-id');
  });
});
