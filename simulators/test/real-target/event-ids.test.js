/** The protocol's deterministic ids, as the read-back computes them, agree with the reference server's. */
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { eventIdFor } from '../../../reference-impl/src/domain/ids.js';
import { auditIdOf, eventIdOf, uuidV8 } from '../../real-target/event-ids.js';
test('eventIdOf(tenant, cmid) equals the reference event id for any tenant and mutation id', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.uuid(), (tenant, cmid) => {
        expect(eventIdOf(tenant, cmid)).toBe(eventIdFor(tenant, cmid));
    }));
});
test('ids have the RFC 9562 version 8 layout and differ by input', () => {
    const id = auditIdOf('t', 'c');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).toBe(uuidV8('t\naudit:c'));
    expect(eventIdOf('t', 'c')).not.toBe(id);
});
