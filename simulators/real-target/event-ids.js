/**
 * The deterministic ids of the wire protocol, computed from their inputs as any conforming server
 * computes them: event id = UUIDv8 layout of SHA-256(tenantId + "\n" + clientMutationId) (TR §8.3),
 * audit event id = the same of tenantId + "\naudit:" + conflictId (PROTOCOL Deviation 8). The
 * read-back uses them to tie a pulled change (which carries only its event id) to the mutation
 * that made it, also when the device never heard the outcome.
 */
import { createHash } from 'node:crypto';
/** RFC 9562 §5.8 layout over the first 16 bytes of SHA-256(`text`): version nibble 8, variant 10. */
export function uuidV8(text) {
    const b = createHash('sha256').update(text, 'utf8').digest().subarray(0, 16);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
/** Event id of the change a mutation made (TR §8.3). */
export function eventIdOf(tenantId, clientMutationId) {
    return uuidV8(`${tenantId}\n${clientMutationId}`);
}
/** Id of the audit event of a conflict's resolution (Deviation 8). */
export function auditIdOf(tenantId, conflictId) {
    return uuidV8(`${tenantId}\naudit:${conflictId}`);
}
