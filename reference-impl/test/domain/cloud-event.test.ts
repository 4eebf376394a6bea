/**
 * The CloudEvents 1.0 form of a committed change and its NATS subject (TR §8.2).
 */
import { describe, expect, test } from 'vitest';
import { eventSubject, toCloudEvent } from '../../src/domain/cloud-event.js';
import type { ChangeRow } from '../../src/ports/records.js';
import { uuid } from './helpers.js';

const row: ChangeRow = {
  seq: 7,
  tenantId: 't1',
  module: 'clinic',
  aggregate: { type: 'stock-item', id: uuid(2, 1) },
  version: 3,
  op: 'adjust',
  eventType: 'adjusted',
  state: { sku: 'S', quantity: 4 },
  committedAt: '2026-01-01T00:00:00.000Z',
  eventId: uuid(5, 5),
  clientMutationId: uuid(3, 1),
  actorId: 'alice',
  publishedAt: null,
};

describe('cloud events', () => {
  test('the subject is sync.<tenant>.<module>.<type>.<eventType>', () => {
    expect(eventSubject(row)).toBe('sync.t1.clinic.stock-item.adjusted');
  });

  test('a change maps to a CloudEvent whose id is the change’s event id', () => {
    expect(toCloudEvent(row)).toEqual({
      specversion: '1.0',
      id: uuid(5, 5),
      source: '/syncproof/clinic',
      type: 'org.syncproof.clinic.stock-item.adjusted',
      subject: uuid(2, 1),
      time: '2026-01-01T00:00:00.000Z',
      datacontenttype: 'application/json',
      tenantid: 't1',
      data: { tenantId: 't1', aggregate: { type: 'stock-item', id: uuid(2, 1) }, version: 3, op: 'adjust', clientMutationId: uuid(3, 1), actorId: 'alice', state: { sku: 'S', quantity: 4 } },
    });
  });
});
