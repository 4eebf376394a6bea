/**
 * Audit steps: read a tenant's audit log page by page, verify its hash chain independently of the
 * target's code, and build DSSE envelopes (Ed25519 over PAE) chained per device.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Actor } from '../harness/actor.js';
import { canonical, expectStatus, fail } from '../harness/assertions.js';

/** One audit log entry (TR §9.3). */
export interface AuditEntry {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly event: Record<string, unknown>;
}

/** Genesis prevHash. */
export const GENESIS = '0'.repeat(64);

/** Reads the whole audit log visible to `auditor` (bounded). */
export async function readAudit(auditor: Actor, path: string, requirement = 'OFS-AUD-005'): Promise<{ entries: AuditEntry[]; head?: { seq?: number; hash?: string } }> {
  const entries: AuditEntry[] = [];
  let afterSeq = 0;
  let head: { seq?: number; hash?: string } | undefined;
  for (let page = 0; page < 200; page += 1) {
    const res = await auditor.get(`${path}?afterSeq=${afterSeq}&limit=500`);
    expectStatus(res, 200, requirement, `GET ${path} as ${auditor.name}`);
    const body = res.body as { entries?: AuditEntry[]; head?: { seq?: number; hash?: string } };
    const got = body.entries ?? [];
    head = body.head;
    entries.push(...got);
    if (got.length === 0) break;
    afterSeq = got[got.length - 1]!.seq;
    if (head?.seq !== undefined && afterSeq >= head.seq) break;
  }
  return { entries, ...(head ? { head } : {}) };
}

/** SHA-256 hex. */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Verifies a tenant's chain from its first entry (TR §9.3); fails at the first broken link. */
export function verifyChain(entries: readonly AuditEntry[], head: { seq?: number; hash?: string } | undefined, requirement = 'OFS-AUD-004'): void {
  let prev = GENESIS;
  entries.forEach((e, i) => {
    if (e.seq !== i + 1) fail('CONF_E_AUDIT_CHAIN', requirement, `audit entry #${i + 1} seq`, i + 1, e.seq);
    if (e.prevHash !== prev) fail('CONF_E_AUDIT_CHAIN', requirement, `audit entry ${e.seq} prevHash`, prev, e.prevHash);
    const expected = sha256Hex(prev + canonical(e.event));
    if (e.hash !== expected) fail('CONF_E_AUDIT_CHAIN', requirement, `audit entry ${e.seq} hash = SHA-256(prevHash + canonical(event))`, expected, e.hash);
    prev = e.hash;
  });
  if (head && entries.length > 0) {
    const last = entries[entries.length - 1]!;
    if (head.seq !== last.seq || head.hash !== last.hash) fail('CONF_E_AUDIT_CHAIN', requirement, 'audit head', { seq: last.seq, hash: last.hash }, head);
  }
}

/** Audit entries whose event references `id` (in an entity reference). */
export function entriesReferencing(entries: readonly AuditEntry[], id: string): AuditEntry[] {
  return entries.filter((e) => JSON.stringify((e.event as { entity?: unknown }).entity ?? []).includes(id));
}

/** DSSE payload type of offline audit records (TR §10.1). */
export const AUDIT_PAYLOAD_TYPE = 'application/vnd.syncproof.audit-record+json';

/** A DSSE envelope. */
export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** DSSE v1 pre-authentication encoding. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** A simulated device: an Ed25519 key and a chain of sealed records. */
export class Device {
  readonly id: string;
  readonly publicKeyJwk: Record<string, unknown>;
  private readonly privateKey: KeyObject;
  private prevHash = GENESIS;
  private seq = 0;

  constructor(id: string) {
    this.id = id;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    this.publicKeyJwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  }

  /** Seals the next record of the chain. */
  seal(record: Record<string, unknown>): Envelope {
    this.seq += 1;
    const payload = Buffer.from(JSON.stringify({ deviceId: this.id, seq: this.seq, prevHash: this.prevHash, record }), 'utf8');
    this.prevHash = sha256Hex(payload);
    return this.signed(payload);
  }

  /** Signs arbitrary payload bytes (used to forge chain variants with valid signatures). */
  signed(payload: Buffer): Envelope {
    const sig = sign(null, pae(AUDIT_PAYLOAD_TYPE, payload), this.privateKey).toString('base64');
    return { payloadType: AUDIT_PAYLOAD_TYPE, payload: payload.toString('base64'), signatures: [{ keyid: this.id, sig }] };
  }

  /** Registers the device key with the target (TR §10.2). */
  async register(actor: Actor): Promise<void> {
    const res = await actor.request({ method: 'PUT', path: `/v1/audit/devices/${this.id}`, body: { publicKeyJwk: this.publicKeyJwk } });
    expectStatus(res, [200, 201, 204], 'OFS-AUD-008', `PUT /v1/audit/devices/${this.id}`);
  }
}
