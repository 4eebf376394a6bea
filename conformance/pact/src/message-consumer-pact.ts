/**
 * The event consumer's message pact with the server's event stream (TR §8, §9.5): a CloudEvent for
 * an applied mutation on `sync.<tenant>.clinic.<type>.<eventType>` and a FHIR AuditEvent for a
 * resolved PHI conflict on `audit.<tenant>.clinic.conflict-resolved`, each with the `Nats-Msg-Id`
 * JetStream de-duplicates on. Metadata carries the NATS subject and headers. The examples go
 * through {@link readSyncEvent} / {@link readAuditEvent}, the consumer's own reading code.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { CLOUDEVENTS_CONTENT_TYPE, FHIR_CONTENT_TYPE, readAuditEvent, readSyncEvent } from './event-consumer.js';
import { MESSAGE_PAIR, PACT_DIR } from './pact-files.js';
import { MessageState } from './provider-states.js';

const { like, eachLike, uuid, integer, regex, boolean, string } = MatchersV3;

/** Message descriptions; a provider maps each to a function producing that message. */
export const MessageDescription = {
  encounterCreated: 'a CloudEvent for an applied encounter create',
  conflictResolvedAudit: 'an AuditEvent for a resolved encounter conflict',
} as const;

const ACTOR = 'clin-pact-1';
const TENANT = 'tenant-pact';
const TENANT_PATTERN = '[A-Za-z0-9_-]{1,64}';
const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
const TIME = '2026-11-20T09:31:00.000Z';
const EVENT_ID = '3f1e6c2a-9b7d-8e4f-a1c2-d3e4f5a6b7c8';
const AUDIT_ID = '0fbd960b-0b73-879a-9888-362ba08a4a80';
const ENCOUNTER_ID = 'c4aed1e0-438f-44e6-8c3f-555f3e6a8e13';
const PATIENT_ID = 'df109ff9-b0c5-43db-b36f-2ca6530e3cba';
const UUID_RE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The builder Pact hands to `expectsToReceive`. */
type MessageBuilder = Parameters<Parameters<ReturnType<PactV4['addAsynchronousInteraction']>['expectsToReceive']>[1]>[0];

/**
 * Sets a JSON body with matchers under its real media type. `withJSONContent` always declares
 * `application/json`, but the events are `application/cloudevents+json` and `application/fhir+json`
 * and Pact compares the media type; Pact's core reads matchers from any `+json` body, so this calls
 * the builder's interaction (pact-js 16 internals) with the right type.
 */
export function withJsonContentOfType(builder: MessageBuilder, contentType: string, content: unknown): MessageBuilder {
  const interaction = (builder as unknown as { message?: { interaction?: { withContents?: (body: string, type: string) => void } } }).message?.interaction;
  if (typeof interaction?.withContents !== 'function') throw new TypeError('this pact-js version hides the message interaction; update withJsonContentOfType');
  interaction.withContents(JSON.stringify(content), contentType);
  return builder;
}

function headersOf(metadata: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { subject: _subject, ...headers } = metadata;
  return headers;
}

/**
 * Runs both message interactions through the consumer's readers and writes the pact file into
 * `dir`. Rejects when a reader refuses an example or reads something else than declared.
 */
export async function writeMessageConsumerPact(dir: string = PACT_DIR): Promise<void> {
  const pact = new PactV4({ ...MESSAGE_PAIR, dir, logLevel: 'error' });

  await pact
    .addAsynchronousInteraction()
    .given(MessageState.encounterCreated, { actorId: ACTOR })
    .expectsToReceive(MessageDescription.encounterCreated, (b) => {
      withJsonContentOfType(b, CLOUDEVENTS_CONTENT_TYPE, {
        specversion: '1.0',
        id: uuid(EVENT_ID),
        source: '/syncproof/clinic',
        type: 'org.syncproof.clinic.encounter.created',
        subject: uuid(ENCOUNTER_ID),
        time: regex(ISO_INSTANT, TIME),
        datacontenttype: 'application/json',
        tenantid: regex(`^${TENANT_PATTERN}$`, TENANT),
        data: {
          tenantId: regex(`^${TENANT_PATTERN}$`, TENANT),
          aggregate: { type: 'encounter', id: uuid(ENCOUNTER_ID) },
          version: integer(1),
          op: 'create',
          clientMutationId: uuid('8f855506-9430-4711-a3a7-b8ba4c7f1e1c'),
          actorId: string(ACTOR),
          state: like({ patientId: PATIENT_ID, status: 'planned' }),
        },
      }).withMetadata({
        subject: regex(`^sync\\.${TENANT_PATTERN}\\.clinic\\.encounter\\.created$`, `sync.${TENANT}.clinic.encounter.created`),
        'Nats-Msg-Id': uuid(EVENT_ID),
        'content-type': CLOUDEVENTS_CONTENT_TYPE,
      });
    })
    .executeTest(async (m) => {
      const notice = readSyncEvent({ subject: String(m.metadata['subject']), headers: headersOf(m.metadata), body: m.contents.content });
      if (notice.eventType !== 'created' || notice.aggregate.type !== 'encounter' || notice.version !== 1) {
        throw new Error(`consumer read an unexpected event: ${JSON.stringify(notice)}`);
      }
    });

  const coding = (system: string, code: string) => ({ system: string(system), code: string(code) });
  await pact
    .addAsynchronousInteraction()
    .given(MessageState.phiConflictResolved, { actorId: ACTOR })
    .expectsToReceive(MessageDescription.conflictResolvedAudit, (b) => {
      withJsonContentOfType(b, FHIR_CONTENT_TYPE, {
        resourceType: 'AuditEvent',
        id: uuid(AUDIT_ID),
        type: coding('http://terminology.hl7.org/CodeSystem/audit-event-type', 'rest'),
        subtype: eachLike(coding('http://hl7.org/fhir/restful-interaction', 'update')),
        action: regex('^[CRUDE]$', 'U'),
        recorded: regex(ISO_INSTANT, TIME),
        outcome: regex('^(0|4|8|12)$', '0'),
        agent: eachLike({ who: { identifier: { system: string('https://syncproof.dev/fhir/actor/tenant-pact'), value: string(ACTOR) } }, requestor: boolean(true) }),
        source: { observer: { identifier: { system: string('https://syncproof.dev/fhir/server'), value: string('syncproof-reference/clinic') } } },
        entity: [
          { what: { reference: regex(`^Patient/${UUID_RE}$`, `Patient/${PATIENT_ID}`) } },
          {
            what: { reference: regex(`^Encounter/${UUID_RE}$`, `Encounter/${ENCOUNTER_ID}`) },
            detail: eachLike({ type: string('versions'), valueString: string('base=1;server=2;result=3') }),
          },
        ],
      }).withMetadata({
        subject: regex(`^audit\\.${TENANT_PATTERN}\\.clinic\\.conflict-resolved$`, `audit.${TENANT}.clinic.conflict-resolved`),
        'Nats-Msg-Id': uuid(AUDIT_ID),
        'content-type': FHIR_CONTENT_TYPE,
      });
    })
    .executeTest(async (m) => {
      const notice = readAuditEvent({ subject: String(m.metadata['subject']), headers: headersOf(m.metadata), body: m.contents.content });
      if (notice.action !== 'conflict-resolved' || !notice.entities.some((e) => e.startsWith('Encounter/'))) {
        throw new Error(`consumer read an unexpected audit event: ${JSON.stringify(notice)}`);
      }
    });
}
