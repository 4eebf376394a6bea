/**
 * Verification of an uploaded batch of device audit envelopes (TR §10): every envelope's DSSE
 * signature with the device's registered Ed25519 key, then the device chain (`seq` strictly +1,
 * `prevHash` = SHA-256 of the previous envelope's payload bytes). Pure: the caller loads the device
 * state and stores the result only when the whole batch verifies, so nothing of a rejected batch is
 * ever stored.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { ProblemError } from '../http/problem.js';
import { DsseError, verifyEnvelope, type DsseEnvelope } from '../../../contracts/lib/dsse.js';
import type { ChainHead } from './hash-chain.js';

/** The payloadType every audit record envelope carries (TR §10.1). */
export const AUDIT_RECORD_PAYLOAD_TYPE = 'application/vnd.syncproof.audit-record+json';

/** The signed payload of an envelope. */
export interface AuditRecordPayload {
  readonly deviceId: string;
  readonly seq: number;
  readonly prevHash: string;
  readonly record: Readonly<Record<string, unknown>>;
}

/** An envelope that verified, ready to store. */
export interface VerifiedEnvelope {
  readonly seq: number;
  /** Hex SHA-256 of the payload bytes: the next envelope's `prevHash`. */
  readonly hash: string;
  readonly prevHash: string;
  readonly payload: AuditRecordPayload;
  readonly envelope: DsseEnvelope;
}

/** What the verifier knows about the device before the batch. */
export interface DeviceChainState {
  readonly deviceId: string;
  readonly publicKey: KeyObject;
  /** Last accepted envelope (`seq` 0, genesis hash when none). */
  readonly head: ChainHead;
  /** Hash of the accepted envelope at `seq` (for `seq <= head.seq`), to tell a replay from a fork. */
  readonly acceptedHash: (seq: number) => string | undefined;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Hex SHA-256 of payload bytes. */
export function payloadHash(payload: Buffer): string {
  return createHash('sha256').update(payload).digest('hex');
}

function invalid(index: number, field: string, detail: string): ProblemError {
  return ProblemError.of('validation-failed', `envelopes[${index}]: ${detail}`, {
    errors: [{ pointer: `/envelopes/${index}${field}`, detail }],
  });
}

function parsePayload(index: number, bytes: Buffer, deviceId: string): AuditRecordPayload {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid(index, '/payload', 'payload is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(index, '/payload', 'payload is not a JSON object');
  }
  const p = value as Record<string, unknown>;
  if (p['deviceId'] !== deviceId) {
    // A link of another device's chain is a missing link of this one (TR §10.3).
    throw ProblemError.of('envelope-chain-broken', `envelopes[${index}]: payload deviceId is not the uploading device`, { index });
  }
  const seq = p['seq'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    throw invalid(index, '/payload/seq', 'payload seq must be an integer >= 1');
  }
  const prevHash = p['prevHash'];
  if (typeof prevHash !== 'string' || !HEX64.test(prevHash)) {
    throw invalid(index, '/payload/prevHash', 'payload prevHash must be 64 lower-case hex digits');
  }
  const record = p['record'];
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw invalid(index, '/payload/record', 'payload record must be an object');
  }
  return { deviceId, seq, prevHash, record: record as Record<string, unknown> };
}

/**
 * Verifies the batch in order. Returns the verified envelopes and the new head, or throws a
 * {@link ProblemError}: `envelope-signature-invalid` (422) for a modified envelope,
 * `envelope-chain-broken` (422) for reordering, gaps, truncation or a fork, `envelope-replayed`
 * (409) for an envelope the server already accepted.
 */
export function verifyEnvelopeBatch(
  state: DeviceChainState,
  envelopes: readonly DsseEnvelope[],
): { readonly accepted: VerifiedEnvelope[]; readonly head: ChainHead } {
  const accepted: VerifiedEnvelope[] = [];
  let head = state.head;
  for (const [index, envelope] of envelopes.entries()) {
    let bytes: Buffer;
    try {
      bytes = verifyEnvelope(envelope, { trustedKeys: [state.publicKey], payloadTypes: [AUDIT_RECORD_PAYLOAD_TYPE] }).payload;
    } catch (err) {
      if (err instanceof DsseError && err.code === 'payload-type-unsupported') {
        throw invalid(index, '/payloadType', `payloadType must be ${AUDIT_RECORD_PAYLOAD_TYPE}`);
      }
      if (err instanceof DsseError) {
        // Bad base64, a signature that does not verify, a malformed envelope: all mean the bytes
        // are not what the device signed.
        throw ProblemError.of('envelope-signature-invalid', `envelopes[${index}]: ${err.message}`, { index });
      }
      throw err;
    }
    const payload = parsePayload(index, bytes, state.deviceId);
    const hash = payloadHash(bytes);
    const ext = { index, seq: payload.seq, expectedSeq: head.seq + 1, head: state.head };
    if (payload.seq <= head.seq) {
      if (payload.seq <= state.head.seq && state.acceptedHash(payload.seq) === hash) {
        throw ProblemError.of(
          'envelope-replayed',
          `envelopes[${index}]: envelope seq ${payload.seq} was already accepted (device head is ${state.head.seq})`,
          ext,
        );
      }
      throw ProblemError.of(
        'envelope-chain-broken',
        `envelopes[${index}]: seq ${payload.seq} does not follow seq ${head.seq} (reordered or forked chain)`,
        ext,
      );
    }
    if (payload.seq !== head.seq + 1) {
      throw ProblemError.of(
        'envelope-chain-broken',
        `envelopes[${index}]: seq ${payload.seq} leaves a gap after seq ${head.seq} (missing or truncated link)`,
        ext,
      );
    }
    if (payload.prevHash !== head.hash) {
      throw ProblemError.of(
        'envelope-chain-broken',
        `envelopes[${index}]: prevHash does not match the hash of envelope seq ${head.seq}`,
        ext,
      );
    }
    accepted.push({ seq: payload.seq, hash, prevHash: payload.prevHash, payload, envelope });
    head = { seq: payload.seq, hash };
  }
  return { accepted, head };
}
