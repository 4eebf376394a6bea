/**
 * The per-tenant audit hash chain of TR §9.3: entry n carries the hash of entry n-1, and its own
 * hash is SHA-256(prevHash + canonical(event)), hex. Altering, dropping or reordering any entry breaks
 * every later hash, so an auditor holding the head can check the whole log.
 */
import { createHash } from 'node:crypto';
// The same canonical form the core fingerprints with: RFC 8785 for the JSON values audit events hold.
import { canonicalJson } from '../domain/canonical-json.js';

/** `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** One chained audit log entry. */
export interface AuditChainEntry<E = unknown> {
  /** 1-based position in the tenant's chain. */
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly event: E;
}

/** The last entry's position and hash (`seq` 0 and the genesis hash for an empty chain). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** The head of an empty chain. */
export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** Hash of an entry whose predecessor has hash `prevHash`. */
export function chainHash(prevHash: string, event: unknown): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson(event), 'utf8').digest('hex');
}

/** Builds the entry that follows `head`. */
export function nextEntry<E>(head: ChainHead, event: E): AuditChainEntry<E> {
  return { seq: head.seq + 1, prevHash: head.hash, hash: chainHash(head.hash, event), event };
}

/** Where a chain stopped verifying. */
export interface ChainBreak {
  /** Index in the checked list. */
  readonly index: number;
  readonly seq: number;
  readonly reason: 'seq-gap' | 'prev-hash-mismatch' | 'hash-mismatch';
}

/**
 * Checks consecutive entries starting after `from` (default: the genesis). Returns the first break
 * or `undefined` when every link holds.
 */
export function verifyChain(entries: readonly AuditChainEntry[], from: ChainHead = EMPTY_HEAD): ChainBreak | undefined {
  let head = from;
  for (const [index, entry] of entries.entries()) {
    if (entry.seq !== head.seq + 1) return { index, seq: entry.seq, reason: 'seq-gap' };
    if (entry.prevHash !== head.hash) return { index, seq: entry.seq, reason: 'prev-hash-mismatch' };
    if (entry.hash !== chainHash(entry.prevHash, entry.event)) return { index, seq: entry.seq, reason: 'hash-mismatch' };
    head = { seq: entry.seq, hash: entry.hash };
  }
  return undefined;
}
