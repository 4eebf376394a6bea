/**
 * Consumer pacts first, then provider verification, in one file so they run in order: Pact merges
 * into existing pact files (so stale files are deleted first) and the provider side needs the
 * files the consumer side writes. The pact files land in contracts/pacts/ (committed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { requirementTest } from '../../src/dsl/requirement-test.js';
import { schemaErrors } from '../../src/harness/contract-schemas.js';
import { newRunId } from '../../src/profile/load-profile.js';
import { createTokenSource, type TokenSource } from '../../src/profile/token-source.js';
import { startEmbeddedReference, type EmbeddedReference } from '../../src/run/embedded-reference.js';
import { readAuditEvent, readSyncEvent } from '../src/event-consumer.js';
import { writeHttpConsumerPact } from '../src/http-consumer-pact.js';
import { verifyHttpProvider } from '../src/http-provider.js';
import { MessageDescription, writeMessageConsumerPact } from '../src/message-consumer-pact.js';
import { verifyMessageProvider, type ProducedMessage } from '../src/message-provider.js';
import { HTTP_PAIR, MESSAGE_PAIR, pactFile, removePactFiles } from '../src/pact-files.js';
import { dropPushEventIds, startFaultFront } from './fault-front.js';

interface PactJson {
  consumer: { name: string };
  provider: { name: string };
  metadata: { pactSpecification: { version: string } };
  interactions: { type: string; description: string }[];
}

const readPact = (file: string): PactJson => JSON.parse(readFileSync(file, 'utf8')) as PactJson;

let reference: EmbeddedReference;
let tokens: TokenSource;

beforeAll(async () => {
  removePactFiles([HTTP_PAIR, MESSAGE_PAIR]);
  const runId = newRunId();
  reference = await startEmbeddedReference({ listen: true, runId });
  tokens = createTokenSource({ profile: reference.profile, dir: reference.profileDir, runId });
});

afterAll(async () => {
  await reference?.close();
});

test('consumer: the offline client pact is written from the client requests', async () => {
  await writeHttpConsumerPact();
  const pact = readPact(pactFile(HTTP_PAIR));
  expect(pact.consumer.name).toBe(HTTP_PAIR.consumer);
  expect(pact.provider.name).toBe(HTTP_PAIR.provider);
  expect(pact.metadata.pactSpecification.version).toBe('4.0');
  expect(pact.interactions.map((i) => i.description).sort()).toEqual([
    'a pull of the first page of changes',
    'a push of a stock item create whose SKU is taken',
    'a push of an update based on a stale version',
    'a push of two new captures',
    'a request for the open conflicts',
    'a resolution of an open conflict with take-client',
    'a retried push of an applied mutation',
  ]);
  expect(new Set(pact.interactions.map((i) => i.type))).toEqual(new Set(['Synchronous/HTTP']));
});

test('consumer: the event consumer pact is written from the event readers', async () => {
  await writeMessageConsumerPact();
  const pact = readPact(pactFile(MESSAGE_PAIR));
  expect(pact.interactions.map((i) => i.description).sort()).toEqual(Object.values(MessageDescription).sort());
  expect(new Set(pact.interactions.map((i) => i.type))).toEqual(new Set(['Asynchronous/Messages']));
});

requirementTest(
  { id: 'pact.sync-api-verified', verifies: ['OFS-SYNC-004', 'OFS-SYNC-005', 'OFS-SYNC-006', 'OFS-IDEM-002', 'OFS-CONF-002', 'OFS-CONF-006', 'OFS-CONF-008'] },
  'the reference server honours every interaction of the offline client pact',
  async () => {
    expect(existsSync(pactFile(HTTP_PAIR))).toBe(true);
    await verifyHttpProvider({ baseUrl: reference.baseUrl as string, tokens });
  },
);

requirementTest(
  { id: 'pact.sync-events-verified', verifies: ['OFS-EVT-003', 'OFS-EVT-009', 'OFS-AUD-006'] },
  'events the reference core commits honour the event consumer pact and the event contract',
  async () => {
    expect(existsSync(pactFile(MESSAGE_PAIR))).toBe(true);
    const produced = await verifyMessageProvider();
    expect(produced.map((m) => m.description).sort()).toEqual(Object.values(MessageDescription).sort());
    for (const m of produced) {
      const schema = m.description === MessageDescription.encounterCreated ? 'cloudevent' : 'audit-event';
      expect(schemaErrors(schema, m.body), `${m.description} against ${schema}`).toEqual([]);
    }
    // The consumer's own readers accept the real messages too (subject, tenant and Nats-Msg-Id agree).
    const sync = produced.find((m) => m.description === MessageDescription.encounterCreated);
    const audit = produced.find((m) => m.description === MessageDescription.conflictResolvedAudit);
    expect(readSyncEvent(sync!).eventType).toBe('created');
    expect(readAuditEvent(audit!).action).toBe('conflict-resolved');
  },
);

test('verification fails against a provider whose push outcomes drop eventId', async () => {
  const front = await startFaultFront(reference.app, dropPushEventIds);
  try {
    await expect(verifyHttpProvider({ baseUrl: front.baseUrl, tokens })).rejects.toThrow(/eventId/);
  } finally {
    await front.close();
  }
});

test('verification fails when events go out on a subject without the tenant', async () => {
  // The kind of bug OFS-EVT-003 is about: a relay that publishes on sync.<module>.<type>.<event>.
  const tamper = (m: ProducedMessage): ProducedMessage => ({ ...m, subject: m.subject.replace(/^(sync|audit)\.[^.]+\./, '$1.') });
  await expect(verifyMessageProvider({ tamper })).rejects.toThrow(/subject/);
});
