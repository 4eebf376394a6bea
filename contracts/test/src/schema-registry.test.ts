import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Parser, fromFile } from '@asyncapi/parser';
import { createSchemaRegistry, loadSchemaFiles, schemaId, SchemaRegistryError, validatorFor } from '../../src/schema-registry.js';
import { ASYNCAPI_PATH } from '../../src/check-documents.js';

const tmp = mkdtempSync(join(tmpdir(), 'syncproof-registry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('schema registry', () => {
  test('every schema is registered under its stable $id and compiles', () => {
    const names = [...loadSchemaFiles().keys()];
    expect(names).toEqual(expect.arrayContaining(['mutation', 'push-request', 'outcome', 'push-response', 'conflict', 'problem', 'cloudevent', 'audit-event', 'audit-chain-entry', 'dsse-envelope', 'audit-record-payload', 'pull-response', 'resource', 'target-profile']));
    for (const name of names) expect(typeof validatorFor(name)).toBe('function');
    expect(schemaId('mutation')).toBe('https://syncproof.dev/schemas/mutation.schema.json');
  });

  test('cross-file references resolve through $id (push-request → mutation → aggregate-ref)', () => {
    const validate = validatorFor('push-request');
    const m = { clientMutationId: '0190f3a2-7b1c-7d4e-8f00-000000000101', clientSeq: 1, aggregate: { type: 'patient', id: 'not-a-uuid' }, op: 'create', baseVersion: 0, payload: {}, capturedAt: '2026-03-01T08:15:00Z', actorId: 'a' };
    expect(validate({ clientId: '0190f3a2-7b1c-7d4e-8f00-000000000201', mutations: [m] })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/mutations/0/aggregate/id');
  });

  test('an unknown name and a schema whose $id does not match its file name are typed errors', () => {
    expect(() => validatorFor('no-such-schema')).toThrow(SchemaRegistryError);
    writeFileSync(join(tmp, 'thing.schema.json'), JSON.stringify({ $id: 'https://syncproof.dev/schemas/other.schema.json', type: 'object' }));
    expect(() => createSchemaRegistry(tmp)).toThrow(/\$id must be https:\/\/syncproof.dev\/schemas\/thing.schema.json/);
  });

  test('domain events are CloudEvents, audit messages FHIR AuditEvents, all with the Nats-Msg-Id header', async () => {
    const { document } = await fromFile(new Parser(), ASYNCAPI_PATH).parse();
    expect(document).toBeDefined();
    const channels = document!.channels().all().map((c) => c.address());
    expect(channels).toEqual(['sync.{tenantId}.{module}.{aggregateType}.{eventType}', 'audit.{tenantId}.{module}.{action}']);
    const messages = document!.messages().all();
    expect(messages.map((m) => m.name())).toEqual(expect.arrayContaining(['AuditEvent']));
    for (const message of messages) {
      expect(message.headers()?.required()).toEqual(['Nats-Msg-Id']);
      const required = message.payload()?.required();
      if (message.name() === 'AuditEvent') {
        expect(message.contentType()).toBe('application/fhir+json');
        expect(required).toEqual(expect.arrayContaining(['resourceType', 'recorded', 'agent', 'source']));
      } else {
        expect(required).toEqual(expect.arrayContaining(['specversion', 'id', 'tenantid', 'data']));
      }
    }
  });
});
