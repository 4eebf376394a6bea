/**
 * Deterministic identifiers (TR §8.3): UUIDv8-layout ids from SHA-256, strong ETags and their
 * If-Match comparison, and the UUID syntax check.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { conflictIdFor, etagFor, eventIdFor, ifMatchMatches, isUuid, sha256Hex, uuidV8FromText } from '../../src/domain/ids.js';

/** The RFC 9562 §5.8 layout written out with string slicing: an independent reference. */
function referenceUuidV8(text: string): string {
  const h = createHash('sha256').update(text, 'utf8').digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

describe('uuidV8FromText', () => {
  test('is SHA-256 of the text in the version 8 layout with the RFC 9562 variant', () => {
    const seenVariantSources = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const text = `tenant\n${i}`;
      seenVariantSources.add(sha256Hex(text)[16] as string);
      expect(uuidV8FromText(text), text).toBe(referenceUuidV8(text));
    }
    // Every hex digit occurred at the variant position, so each maps correctly.
    expect(seenVariantSources.size).toBe(16);
  });

  test('event and conflict ids hash distinct inputs per tenant and key', () => {
    expect(eventIdFor('t1', 'k')).toBe(referenceUuidV8('t1\nk'));
    expect(conflictIdFor('t1', 'k')).toBe(referenceUuidV8('t1\nconflict\nk'));
    expect(eventIdFor('t2', 'k')).not.toBe(eventIdFor('t1', 'k'));
  });

  test('sha256Hex is the hex digest of the UTF-8 bytes', () => {
    expect(sha256Hex('é')).toBe(createHash('sha256').update(Buffer.from('é', 'utf8')).digest('hex'));
  });
});

describe('etagFor', () => {
  test('is the quoted version, for small, cached and large versions alike', () => {
    for (const v of [0, 1, 4095, 4096, 123456789]) {
      expect(etagFor(v)).toBe(`"${v}"`);
      expect(etagFor(v)).toBe(`"${v}"`);
    }
  });
});

describe('ifMatchMatches', () => {
  test('matches the strong ETag of the version, also in a list and with spaces', () => {
    expect(ifMatchMatches('"3"', 3)).toBe(true);
    expect(ifMatchMatches('  "3"  ', 3)).toBe(true);
    expect(ifMatchMatches('"1", "3"', 3)).toBe(true);
    expect(ifMatchMatches('"1","3"', 3)).toBe(true);
    expect(ifMatchMatches('"1", "2"', 3)).toBe(false);
    expect(ifMatchMatches('3', 3)).toBe(false);
    expect(ifMatchMatches('W/"3"', 3)).toBe(false);
    expect(ifMatchMatches('"33"', 3)).toBe(false);
  });

  test('* matches any existing version but not an absent aggregate (version 0)', () => {
    expect(ifMatchMatches('*', 1)).toBe(true);
    expect(ifMatchMatches(' * ', 5)).toBe(true);
    expect(ifMatchMatches('*', 0)).toBe(false);
  });
});

describe('isUuid', () => {
  const valid = '0123abcd-ABCD-4ef0-89AF-0123456789ab';

  test('accepts the canonical 8-4-4-4-12 hex form in either case', () => {
    expect(isUuid(valid)).toBe(true);
    expect(isUuid('ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(true);
    expect(isUuid('FFFFFFFF-0000-9999-AAAA-FFFFFFFFFFFF')).toBe(true);
  });

  test('refuses non-strings, wrong lengths, misplaced dashes and non-hex characters', () => {
    expect(isUuid(42)).toBe(false);
    expect(isUuid(undefined)).toBe(false);
    expect(isUuid(valid.slice(1))).toBe(false);
    expect(isUuid(valid + '0')).toBe(false);
    expect(isUuid('0123abcd0ABCD-4ef0-89AF-0123456789ab')).toBe(false);
    expect(isUuid('0123abcd-ABCD04ef0-89AF-0123456789ab')).toBe(false);
    expect(isUuid('0123abcd-ABCD-4ef0089AF-0123456789ab')).toBe(false);
    expect(isUuid('0123abcd-ABCD-4ef0-89AF00123456789ab')).toBe(false);
    expect(isUuid('0123abcd-ABCD-4ef0-89AF-0123456789a-')).toBe(false);
    // Characters just outside each accepted range: '/' ':' '@' 'G' '`' 'g'.
    for (const c of ['/', ':', '@', 'G', '`', 'g', ' ']) {
      expect(isUuid(c + valid.slice(1)), c).toBe(false);
      expect(isUuid(valid.slice(0, 35) + c), c).toBe(false);
    }
  });
});
