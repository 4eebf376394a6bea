/**
 * `event-without-msg-id` — why this violates OFS-EVT-004: events are published without the
 * `Nats-Msg-Id` header, so the stream cannot de-duplicate a re-publish (after a lost PubAck or a
 * relay restart) and consumers see no stable id to de-duplicate on either.
 * Planted: event-bus wrapper — every publish goes out with an empty message id (no header).
 */
import type { EventBus } from '../events/jetstream-bus.js';
import { defineDefect } from './defect.js';
import { overrideMembers } from './wrap-ports.js';

export const eventWithoutMsgId = defineDefect({
  name: 'event-without-msg-id',
  violates: ['OFS-EVT-004'],
  description: 'events are published without a Nats-Msg-Id header',
  site: 'bus',
  hooks: {
    bus: (bus): EventBus =>
      overrideMembers(bus, {
        publish: (subject: string, data: string, _msgId: string, contentType?: string) => bus.publish(subject, data, '', contentType),
      }),
  },
});
