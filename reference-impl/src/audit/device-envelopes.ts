/**
 * Offline audit devices (TR §10.2): key registration and envelope upload. Upload verifies the whole
 * batch (signatures, then the chain from the stored head) before storing anything, and stores it
 * with a compare-and-set on the device head, so two concurrent uploads of the same device can never
 * both extend the chain from the same link.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { DsseEnvelope } from '../../../contracts/lib/dsse.js';
import { ProblemError } from '../http/problem.js';
import type { DeviceRow, EnvelopeRow, JsonObject } from '../ports/records.js';
import type { MaybePromise } from '../ports/store.js';
import { GENESIS_HASH, type ChainHead } from './hash-chain.js';
import { payloadHash, verifyEnvelopeBatch } from './envelope-chain.js';

/** The store queries device handling uses (a subset of the Store port). */
export interface DeviceStore {
  getDevice(tenantId: string, deviceId: string): MaybePromise<DeviceRow | undefined>;
  putDevice(row: DeviceRow): MaybePromise<void>;
  appendEnvelopes(
    tenantId: string,
    deviceId: string,
    expectedHeadSeq: number,
    envelopes: readonly EnvelopeRow[],
    newHead: { readonly seq: number; readonly hash: string },
  ): MaybePromise<boolean>;
  listEnvelopes(tenantId: string, deviceId: string): MaybePromise<readonly EnvelopeRow[]>;
}

/** An OKP Ed25519 public JWK as registered. */
export interface Ed25519PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly use?: string;
}

/** Response body of a registration (contracts/schemas/device-key.schema.json). */
export interface DeviceKeyBody {
  readonly deviceId: string;
  readonly publicKeyJwk: Ed25519PublicJwk;
  readonly head: ChainHead;
}

/** Response body of an upload (contracts/schemas/envelope-upload-response.schema.json). */
export interface EnvelopeUploadBody {
  readonly accepted: number;
  readonly head: ChainHead;
}

function publicKeyOf(jwk: Ed25519PublicJwk): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
}

function asJwk(row: DeviceRow): Ed25519PublicJwk {
  return row.publicKeyJwk as unknown as Ed25519PublicJwk;
}

// Seqs the batch claims, read without trusting anything: only used to decide whether the stored
// envelopes must be loaded to tell a replay from a fork.
function claimedSeqs(envelopes: readonly DsseEnvelope[]): number[] {
  const out: number[] = [];
  for (const e of envelopes) {
    try {
      const seq = (JSON.parse(Buffer.from(e.payload, 'base64').toString('utf8')) as { seq?: unknown }).seq;
      if (typeof seq === 'number') out.push(seq);
    } catch {
      // Undecodable: verification will refuse it.
    }
  }
  return out;
}

/** Device key registration and envelope upload over a {@link DeviceStore}. */
export class DeviceEnvelopes {
  constructor(
    private readonly store: DeviceStore,
    private readonly now: () => Date = () => new Date(),
    /** The batch verifier (replaced only by the self-test's planted defects, src/defects). */
    private readonly verifyBatch: typeof verifyEnvelopeBatch = verifyEnvelopeBatch,
  ) {}

  /**
   * Registers `jwk` for the device in the tenant (body already schema-validated): 201 when new, 200
   * when the same key is registered again. Another key for a registered device is refused with
   * 422 business-rule-violation (TR §10.2) unless `mayReplace` (the caller is an admin): a silent
   * key swap would let the new key write history in the device's name.
   */
  async register(
    tenantId: string,
    deviceId: string,
    jwk: Ed25519PublicJwk,
    mayReplace = false,
  ): Promise<{ status: 200 | 201; body: DeviceKeyBody }> {
    try {
      publicKeyOf(jwk);
    } catch {
      throw ProblemError.of('validation-failed', 'publicKeyJwk is not a usable Ed25519 public key', {
        errors: [{ pointer: '/publicKeyJwk/x', detail: 'not a valid Ed25519 public key' }],
      });
    }
    const clean: Ed25519PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, ...(jwk.kid ? { kid: jwk.kid } : {}) };
    const existing = await this.store.getDevice(tenantId, deviceId);
    if (existing) {
      const head = { seq: existing.headSeq, hash: existing.headHash };
      if (asJwk(existing).x === jwk.x) return { status: 200, body: { deviceId, publicKeyJwk: asJwk(existing), head } };
      if (!mayReplace) {
        throw ProblemError.of(
          'business-rule-violation',
          `device '${deviceId}' is already registered with another key; only an admin may replace it`,
        );
      }
    }
    const row: DeviceRow = {
      tenantId,
      deviceId,
      publicKeyJwk: clean as unknown as JsonObject,
      headSeq: existing?.headSeq ?? 0,
      headHash: existing?.headHash ?? GENESIS_HASH,
      registeredAt: this.now().toISOString(),
    };
    await this.store.putDevice(row);
    return {
      status: existing ? 200 : 201,
      body: { deviceId, publicKeyJwk: clean, head: { seq: row.headSeq, hash: row.headHash } },
    };
  }

  /**
   * Verifies and stores a batch (body already schema-validated). All or nothing: any refusal
   * throws a {@link ProblemError} and stores nothing.
   */
  async upload(tenantId: string, deviceId: string, envelopes: readonly DsseEnvelope[]): Promise<EnvelopeUploadBody> {
    // A lost compare-and-set means another upload moved the head meanwhile: verify again against it.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const device = await this.store.getDevice(tenantId, deviceId);
      if (!device) throw ProblemError.of('not-found', `device '${deviceId}' is not registered in this tenant`);
      const head = { seq: device.headSeq, hash: device.headHash };
      const accepted = new Map<number, string>();
      if (head.seq > 0 && claimedSeqs(envelopes).some((s) => s <= head.seq)) {
        for (const row of await this.store.listEnvelopes(tenantId, deviceId)) {
          const payload = (row.envelope as { payload?: unknown }).payload;
          if (typeof payload === 'string') accepted.set(row.seq, payloadHash(Buffer.from(payload, 'base64')));
        }
      }
      const result = this.verifyBatch(
        { deviceId, publicKey: publicKeyOf(asJwk(device)), head, acceptedHash: (seq) => accepted.get(seq) },
        envelopes,
      );
      const acceptedAt = this.now().toISOString();
      const rows: EnvelopeRow[] = result.accepted.map((v) => ({
        tenantId,
        deviceId,
        seq: v.seq,
        envelope: v.envelope as unknown as JsonObject,
        acceptedAt,
      }));
      if (await this.store.appendEnvelopes(tenantId, deviceId, head.seq, rows, result.head)) {
        return { accepted: rows.length, head: result.head };
      }
    }
    throw ProblemError.of('envelope-chain-broken', `device '${deviceId}' chain head moved during the upload; retry`);
  }
}
