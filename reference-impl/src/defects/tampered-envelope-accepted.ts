/**
 * `tampered-envelope-accepted` — why this violates OFS-AUD-009 / OFS-AUD-008: the upload checks
 * that each offline audit envelope is well-formed and chained but never verifies its Ed25519
 * signature, so an envelope whose payload was edited after sealing is stored as genuine.
 * Planted: envelope-verifier replacement — the batch is re-signed with a throwaway key and verified
 * against that key, so only the chain rules still apply; the original envelopes are stored.
 */
import { generateKeyPairSync } from 'node:crypto';
import { signEnvelope, type DsseEnvelope } from '../../../contracts/lib/dsse.js';
import { defineDefect, type VerifyEnvelopeBatch } from './defect.js';

function signatureNotChecked(verify: VerifyEnvelopeBatch): VerifyEnvelopeBatch {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return (state, envelopes) => {
    const resigned = envelopes.map((e): DsseEnvelope => {
      if (typeof e.payload !== 'string' || typeof e.payloadType !== 'string') return e;
      const keyid = e.signatures?.[0]?.keyid;
      return signEnvelope(e.payloadType, Buffer.from(e.payload, 'base64'), privateKey, { keyid: keyid ?? null });
    });
    const result = verify({ ...state, publicKey }, resigned);
    return { head: result.head, accepted: result.accepted.map((v, i) => ({ ...v, envelope: envelopes[i] as DsseEnvelope })) };
  };
}

export const tamperedEnvelopeAccepted = defineDefect({
  name: 'tampered-envelope-accepted',
  violates: ['OFS-AUD-009', 'OFS-AUD-008'],
  description: 'a tampered offline audit envelope is accepted: signatures are not verified, only the chain',
  site: 'envelopes',
  hooks: { envelopes: signatureNotChecked },
});
