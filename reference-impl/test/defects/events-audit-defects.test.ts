import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { signEnvelope, type DsseEnvelope } from '../../../contracts/lib/dsse.js';
import { DeviceEnvelopes, type Ed25519PublicJwk } from '../../src/audit/device-envelopes.js';
import { AUDIT_RECORD_PAYLOAD_TYPE, verifyEnvelopeBatch } from '../../src/audit/envelope-chain.js';
import { GENESIS_HASH } from '../../src/audit/hash-chain.js';
import { plantDefects } from '../../src/defects/plant-defects.js';
import type { EventBus, PublishAck } from '../../src/events/jetstream-bus.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { coreWith, ctxOf, mutation, outcomesOf, payloads, pushBody, resolvePatientConflict, uuid } from './fixtures.js';

const PATIENT = uuid(9, 9);

/** A bus that records what it was asked to publish. */
function recordingBus(): EventBus & { sent: { subject: string; msgId: string }[] } {
  const sent: { subject: string; msgId: string }[] = [];
  return {
    sent,
    connected: true,
    publish: async (subject: string, _data: string, msgId: string): Promise<PublishAck> => {
      sent.push({ subject, msgId });
      return { stream: 'S', seq: sent.length, duplicate: false };
    },
    close: async () => undefined,
  };
}

describe('event and audit defects change behaviour', () => {
  test('event-without-msg-id: the bus publishes without a message id', async () => {
    for (const [defect, msgId] of [[undefined, 'evt-1'], ['event-without-msg-id', '']] as const) {
      const bus = recordingBus();
      await plantDefects(defect).bus(bus).publish('sync.t.clinic.encounter.created', '{}', 'evt-1');
      expect(bus.sent[0]?.msgId, String(defect)).toBe(msgId);
    }
  });

  test('event-published-twice: the outbox hands one applied change out twice under two ids', () => {
    for (const [defect, rows] of [[undefined, 1], ['event-published-twice', 2]] as const) {
      const c = coreWith(defect);
      c.push(ctxOf('t'), pushBody(uuid(1, 1), [mutation({ cmid: uuid(3, 1), seq: 1, type: 'encounter', id: uuid(2, 1), op: 'create', payload: payloads.encounter(PATIENT) })]));
      const claimed = c.store.claimOutbox(10);
      expect(claimed.length, String(defect)).toBe(rows);
      expect(new Set(claimed.map((r) => r.eventId)).size).toBe(rows);
    }
  });

  test('event-for-rejected-mutation: a rejected adjust gets an outbox row', () => {
    for (const [defect, rows] of [[undefined, 1], ['event-for-rejected-mutation', 2]] as const) {
      const c = coreWith(defect);
      const item = uuid(2, 3);
      const [, rejected] = outcomesOf(
        c.push(ctxOf('t'), pushBody(uuid(1, 1), [
          mutation({ cmid: uuid(3, 1), seq: 1, type: 'stock-item', id: item, op: 'create', payload: payloads.stock('S', 1) }),
          mutation({ cmid: uuid(3, 2), seq: 2, type: 'stock-item', id: item, op: 'adjust', base: 1, payload: { delta: -5, reason: 'dispense' } }),
        ])),
      );
      expect(rejected?.status).toBe('rejected');
      expect(c.store.claimOutbox(10).length, String(defect)).toBe(rows);
    }
  });

  test('phi-resolution-unaudited: resolving a patient conflict writes no audit entry', () => {
    for (const [defect, entries] of [[undefined, 1], ['phi-resolution-unaudited', 0]] as const) {
      const c = coreWith(defect);
      resolvePatientConflict(c);
      expect(c.store.listAudit('t', 0, 10).length, String(defect)).toBe(entries);
    }
  });

  test('audit-event-carries-phi: the audit event holds the patient’s name; the chain still verifies', () => {
    for (const [defect, leaks] of [[undefined, false], ['audit-event-carries-phi', true]] as const) {
      const c = coreWith(defect);
      resolvePatientConflict(c);
      const [entry] = c.store.listAudit('t', 0, 10);
      expect(JSON.stringify(entry?.event).includes('Gracie'), String(defect)).toBe(leaks);
      const canonical = (v: unknown): string =>
        v === null || typeof v !== 'object' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(canonical).join(',')}]` : `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
      expect(entry?.hash).toBe(createHash('sha256').update(entry!.prevHash).update(canonical(entry!.event)).digest('hex'));
    }
  });

  test('tampered-envelope-accepted: an envelope whose payload was edited after signing is stored', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' }) as Ed25519PublicJwk;
    const envelopes: DsseEnvelope[] = [];
    let prev = GENESIS_HASH;
    for (const seq of [1, 2]) {
      const bytes = Buffer.from(JSON.stringify({ deviceId: 'dev-1', seq, prevHash: prev, record: { action: 'read' } }));
      envelopes.push(signEnvelope(AUDIT_RECORD_PAYLOAD_TYPE, bytes, privateKey, { keyid: 'dev-1' }));
      prev = createHash('sha256').update(bytes).digest('hex');
    }
    const edited = JSON.parse(Buffer.from(envelopes[1]!.payload, 'base64').toString('utf8')) as { record: Record<string, unknown> };
    edited.record['action'] = 'delete';
    const tampered = [envelopes[0]!, { ...envelopes[1]!, payload: Buffer.from(JSON.stringify(edited)).toString('base64') }];
    for (const defect of [undefined, 'tampered-envelope-accepted']) {
      const devices = new DeviceEnvelopes(createMemoryStore(), () => new Date(0), plantDefects(defect).envelopes(verifyEnvelopeBatch));
      await devices.register('t', 'dev-1', jwk);
      const upload = devices.upload('t', 'dev-1', tampered);
      if (defect) expect((await upload).accepted).toBe(2);
      else await expect(upload).rejects.toMatchObject({ problem: { type: expect.stringContaining('envelope-signature-invalid') } });
    }
  });
});
