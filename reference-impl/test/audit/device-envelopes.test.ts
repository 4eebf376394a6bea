import { describe, expect, test } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
import { signEnvelope, type DsseEnvelope } from '../../../contracts/lib/dsse.js';
import { DeviceEnvelopes, type DeviceStore, type Ed25519PublicJwk } from '../../src/audit/device-envelopes.js';
import { AUDIT_RECORD_PAYLOAD_TYPE, payloadHash } from '../../src/audit/envelope-chain.js';
import { GENESIS_HASH } from '../../src/audit/hash-chain.js';
import { ProblemError } from '../../src/http/problem.js';
import type { DeviceRow, EnvelopeRow } from '../../src/ports/records.js';

/** In-memory DeviceStore with the port's compare-and-set semantics. */
function fakeStore(): DeviceStore & { envelopes: EnvelopeRow[]; devices: Map<string, DeviceRow> } {
  const devices = new Map<string, DeviceRow>();
  const envelopes: EnvelopeRow[] = [];
  return {
    devices,
    envelopes,
    getDevice: (t, d) => devices.get(`${t}/${d}`),
    putDevice: (row) => void devices.set(`${row.tenantId}/${row.deviceId}`, row),
    appendEnvelopes: (t, d, expected, rows, head) => {
      const dev = devices.get(`${t}/${d}`);
      if (!dev || dev.headSeq !== expected) return false;
      envelopes.push(...rows);
      devices.set(`${t}/${d}`, { ...dev, headSeq: head.seq, headHash: head.hash });
      return true;
    },
    listEnvelopes: (t, d) => envelopes.filter((e) => e.tenantId === t && e.deviceId === d),
  };
}

class Device {
  readonly key = generateKeyPairSync('ed25519');
  private seq = 0;
  private prev = GENESIS_HASH;
  constructor(readonly id: string) {}
  jwk(): Ed25519PublicJwk {
    const j = this.key.publicKey.export({ format: 'jwk' }) as { x: string };
    return { kty: 'OKP', crv: 'Ed25519', x: j.x };
  }
  seal(record: Record<string, unknown>, signer: KeyObject = this.key.privateKey): DsseEnvelope {
    this.seq += 1;
    const bytes = Buffer.from(JSON.stringify({ deviceId: this.id, seq: this.seq, prevHash: this.prev, record }));
    this.prev = payloadHash(bytes);
    return signEnvelope(AUDIT_RECORD_PAYLOAD_TYPE, bytes, signer, { keyid: 'device-key' });
  }
}

async function refusal(p: Promise<unknown>): Promise<{ type: string; status: number }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProblemError) return err.problem as { type: string; status: number };
    throw err;
  }
  throw new Error('expected a refusal');
}

const T = 'tenant-a';
const base = 'https://syncproof.dev/problems/';

async function setup() {
  const store = fakeStore();
  const svc = new DeviceEnvelopes(store, () => new Date('2026-01-01T00:00:00Z'));
  const dev = new Device('dev-1');
  expect((await svc.register(T, dev.id, dev.jwk())).status).toBe(201);
  return { store, svc, dev };
}

describe('offline audit envelopes', () => {
  requirementTest({ id: 'audit.envelopes-accepted-and-chained', verifies: ['OFS-AUD-007', 'OFS-AUD-008'] }, 'a signed chained batch is accepted and the head advances', async () => {
    const { store, svc, dev } = await setup();
    const batch = [dev.seal({ a: 1 }), dev.seal({ a: 2 })];
    const res = await svc.upload(T, dev.id, batch);
    expect(res.accepted).toBe(2);
    expect(res.head.seq).toBe(2);
    expect(res.head.hash).toBe(payloadHash(Buffer.from(batch[1]!.payload, 'base64')));
    const more = await svc.upload(T, dev.id, [dev.seal({ a: 3 })]);
    expect(more.head.seq).toBe(3);
    expect(store.envelopes.map((e) => e.seq)).toEqual([1, 2, 3]);
    // Same key again: idempotent 200 with the head.
    const again = await svc.register(T, dev.id, dev.jwk());
    expect(again.status).toBe(200);
    expect(again.body.head.seq).toBe(3);
  });

  requirementTest({ id: 'audit.envelope-modified-rejected', verifies: ['OFS-AUD-009'] }, 'a modified payload or signature is rejected and nothing is stored', async () => {
    const { store, svc, dev } = await setup();
    const good = dev.seal({ action: 'read', ref: 'Patient/1' });
    const payload = JSON.parse(Buffer.from(good.payload, 'base64').toString()) as Record<string, unknown>;
    const tampered = { ...good, payload: Buffer.from(JSON.stringify({ ...payload, record: { action: 'none' } })).toString('base64') };
    const p = await refusal(svc.upload(T, dev.id, [tampered]));
    expect(p).toMatchObject({ type: `${base}envelope-signature-invalid`, status: 422 });
    const sig = good.signatures[0]!.sig;
    const badSig = { ...good, signatures: [{ keyid: 'device-key', sig: `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}` }] };
    expect((await refusal(svc.upload(T, dev.id, [badSig]))).type).toBe(`${base}envelope-signature-invalid`);
    // Signed by another key (a different device pretending).
    const other = new Device('dev-1');
    expect((await refusal(svc.upload(T, dev.id, [other.seal({ x: 1 })]))).type).toBe(`${base}envelope-signature-invalid`);
    // A batch whose second envelope is bad stores not even the first.
    const dev2 = new Device('dev-1');
    Object.assign(dev2, { key: dev.key });
    const ok1 = dev2.seal({ n: 1 });
    const ok2 = dev2.seal({ n: 2 });
    expect((await refusal(svc.upload(T, dev.id, [ok1, { ...ok2, payload: ok1.payload }]))).status).toBe(422);
    expect(store.envelopes).toHaveLength(0);
    expect(store.devices.get(`${T}/${dev.id}`)!.headSeq).toBe(0);
  });

  requirementTest({ id: 'audit.envelope-reorder-rejected', verifies: ['OFS-AUD-010'] }, 'envelopes out of chain order are rejected', async () => {
    const { store, svc, dev } = await setup();
    const [e1, e2, e3] = [dev.seal({ n: 1 }), dev.seal({ n: 2 }), dev.seal({ n: 3 })];
    expect(await refusal(svc.upload(T, dev.id, [e2!, e1!, e3!]))).toMatchObject({ type: `${base}envelope-chain-broken`, status: 422 });
    expect(await refusal(svc.upload(T, dev.id, [e1!, e3!, e2!]))).toMatchObject({ type: `${base}envelope-chain-broken` });
    expect(store.envelopes).toHaveLength(0);
    expect((await svc.upload(T, dev.id, [e1!, e2!, e3!])).head.seq).toBe(3);
  });

  requirementTest({ id: 'audit.envelope-gap-rejected', verifies: ['OFS-AUD-011'] }, 'a missing link (gap or truncated chain) is rejected', async () => {
    const { store, svc, dev } = await setup();
    const [e1, e2, e3] = [dev.seal({ n: 1 }), dev.seal({ n: 2 }), dev.seal({ n: 3 })];
    expect((await refusal(svc.upload(T, dev.id, [e1!, e3!]))).type).toBe(`${base}envelope-chain-broken`);
    expect((await refusal(svc.upload(T, dev.id, [e2!, e3!]))).type).toBe(`${base}envelope-chain-broken`);
    await svc.upload(T, dev.id, [e1!]);
    expect((await refusal(svc.upload(T, dev.id, [e3!]))).type).toBe(`${base}envelope-chain-broken`);
    // A forked link: right seq, prevHash of something else.
    const fork = new Device('dev-1');
    Object.assign(fork, { key: dev.key });
    fork.seal({ other: 1 });
    const forked = fork.seal({ other: 2 }); // seq 2, prevHash of a different seq 1
    expect((await refusal(svc.upload(T, dev.id, [forked]))).type).toBe(`${base}envelope-chain-broken`);
    expect(store.envelopes.map((e) => e.seq)).toEqual([1]);
  });

  requirementTest({ id: 'audit.envelope-replay-rejected', verifies: ['OFS-AUD-012'] }, 'replaying an accepted head is 409 envelope-replayed', async () => {
    const { store, svc, dev } = await setup();
    const [e1, e2] = [dev.seal({ n: 1 }), dev.seal({ n: 2 })];
    await svc.upload(T, dev.id, [e1!, e2!]);
    expect(await refusal(svc.upload(T, dev.id, [e2!]))).toMatchObject({ type: `${base}envelope-replayed`, status: 409 });
    expect((await refusal(svc.upload(T, dev.id, [e1!, e2!]))).type).toBe(`${base}envelope-replayed`);
    expect(store.envelopes).toHaveLength(2);
  });

  test('unknown device is 404; another key needs an admin; tenants are separate; foreign payload deviceId breaks the chain', async () => {
    const { svc, dev } = await setup();
    expect((await refusal(svc.upload(T, 'nope', [dev.seal({})]))).status).toBe(404);
    expect((await refusal(svc.upload('tenant-b', dev.id, [dev.seal({})]))).status).toBe(404);
    const fresh = await setup();
    await fresh.svc.upload(T, fresh.dev.id, [fresh.dev.seal({ n: 1 })]);
    const intruder = new Device(fresh.dev.id);
    expect(await refusal(fresh.svc.register(T, fresh.dev.id, intruder.jwk()))).toMatchObject({ status: 422, type: `${base}business-rule-violation` });
    // An admin may replace it; the chain continues from the stored head.
    const replaced = await fresh.svc.register(T, fresh.dev.id, intruder.jwk(), true);
    expect(replaced.status).toBe(200);
    expect(replaced.body.head.seq).toBe(1);
    // A payload naming another device is a broken chain.
    const other = new Device('dev-2');
    Object.assign(other, { key: dev.key });
    expect((await refusal(svc.upload(T, dev.id, [other.seal({})]))).type).toBe(`${base}envelope-chain-broken`);
  });
});
