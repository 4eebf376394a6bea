/**
 * Builds the FHIR R4 AuditEvent of TR §9.2, shaped after IHE BALP (PatientUpdate for a resolved
 * conflict; an authorization failure for a permission lost at apply time). It carries references,
 * versions and codes only — never a PHI value (no names, MRN, note text, payload fields): the
 * builder takes no state at all, so it cannot leak one.
 */
import { uuidV8FromText } from '../domain/ids.js';
import type { AuditDue } from '../domain/types.js';

/** The facts the core hands over when an audit event is due (TR §9.1). */
export type { AuditDue };

/** A FHIR R4 AuditEvent (only the members the reference fills). */
export interface FhirAuditEvent {
  readonly resourceType: 'AuditEvent';
  readonly id: string;
  readonly meta: { readonly profile: readonly string[] };
  readonly type: Coding;
  readonly subtype: readonly Coding[];
  readonly action: 'C' | 'R' | 'U' | 'D' | 'E';
  readonly recorded: string;
  readonly outcome: '0' | '4' | '8' | '12';
  readonly outcomeDesc: string;
  readonly agent: readonly AuditAgent[];
  readonly source: {
    readonly site: string;
    readonly observer: { readonly identifier: Identifier; readonly display?: string };
    readonly type: readonly Coding[];
  };
  readonly entity: readonly AuditEntity[];
}

/** FHIR Coding. */
export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/** FHIR Identifier. */
export interface Identifier {
  readonly system: string;
  readonly value: string;
}

/** FHIR AuditEvent.agent. */
export interface AuditAgent {
  readonly type: { readonly coding: readonly Coding[] };
  readonly role?: readonly { readonly coding: readonly Coding[] }[];
  readonly who: { readonly identifier: Identifier };
  readonly requestor: boolean;
}

/** FHIR AuditEvent.entity. */
export interface AuditEntity {
  /** A plain `<Type>/<id>` reference: the contract allows nothing else here. */
  readonly what: { readonly reference: string };
  readonly type: Coding;
  readonly role?: Coding;
  readonly detail?: readonly { readonly type: string; readonly valueString: string }[];
}

const SYS = {
  eventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  restful: 'http://hl7.org/fhir/restful-interaction',
  syncEvent: 'https://syncproof.dev/fhir/CodeSystem/sync-event',
  dcm: 'http://dicom.nema.org/resources/ontology/DCM',
  roleClass: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass',
  syncRole: 'https://syncproof.dev/fhir/CodeSystem/role',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  actor: 'https://syncproof.dev/fhir/actor',
  client: 'https://syncproof.dev/fhir/client',
  server: 'https://syncproof.dev/fhir/server',
} as const;

const BALP_PATIENT_UPDATE = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientUpdate';
const BALP_UPDATE = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.Update';

/** Identifies the reference server as observer and destination. */
export const SERVER_IDENTITY = 'syncproof-reference';

/** FHIR resource type each clinic aggregate maps to in audit references. */
const FHIR_TYPE: Readonly<Record<string, string>> = {
  patient: 'Patient',
  encounter: 'Encounter',
  note: 'DocumentReference',
};

/**
 * `Patient/<id>`-style reference of an aggregate; aggregates without a FHIR resource use `Basic`.
 * Versions go into `entity.detail`, not into a `_history` reference (the contract pins the form).
 */
export function fhirReference(aggregate: { readonly type: string; readonly id: string }): string {
  return `${FHIR_TYPE[aggregate.type] ?? 'Basic'}/${aggregate.id}`;
}

/** NATS subject an audit event is published on (TR §9.5). */
export function auditSubject(due: Pick<AuditDue, 'tenantId' | 'module' | 'kind'>): string {
  return `audit.${due.tenantId}.${due.module}.${due.kind}`;
}

/**
 * Deterministic id of the audit event (TR §9.2): `uuid8(tenantId + "\naudit:" + key)`, key = the
 * conflictId or the clientMutationId. One cause, one id, so a re-publish is recognisably the same
 * event (it is also the `Nats-Msg-Id`).
 */
export function auditEventId(due: Pick<AuditDue, 'tenantId' | 'conflictId' | 'clientMutationId' | 'sourceId'>): string {
  const key = due.conflictId ?? due.clientMutationId ?? due.sourceId;
  return uuidV8FromText(`${due.tenantId}\naudit:${key}`);
}

/** `base=<n>;server=<n>;result=<n>`, leaving out what is not known. */
export function versionsString(v: AuditDue['versionDetail']): string {
  return (['base', 'server', 'result'] as const)
    .filter((k) => v[k] !== undefined)
    .map((k) => `${k}=${v[k]}`)
    .join(';');
}

function agents(due: AuditDue): AuditAgent[] {
  return [
    {
      type: { coding: [{ system: SYS.dcm, code: '110152', display: 'Destination Role ID' }] },
      who: { identifier: { system: SYS.server, value: SERVER_IDENTITY } },
      requestor: false,
    },
    {
      type: { coding: [{ system: SYS.roleClass, code: 'humanuser', display: 'human user' }] },
      role: due.roles.map((r) => ({ coding: [{ system: SYS.syncRole, code: r }] })),
      who: { identifier: { system: `${SYS.actor}/${due.tenantId}`, value: due.actorId } },
      requestor: true,
    },
  ];
}

const PATIENT_REF = /^Patient\/[A-Za-z0-9\-.]{1,64}$/;

function patientReference(due: AuditDue): string | undefined {
  if (due.patientRef !== undefined && PATIENT_REF.test(due.patientRef)) return due.patientRef;
  return due.aggregate.type === 'patient' ? `Patient/${due.aggregate.id}` : undefined;
}

function details(due: AuditDue): { type: string; valueString: string }[] {
  const out = [{ type: 'versions', valueString: versionsString(due.versionDetail) }];
  // BALP carries the request id in a `transaction` entity; the contract's entities hold references
  // only, so the conflict or mutation id travels as a detail of the data entity.
  if (due.conflictId !== undefined) out.push({ type: 'conflictId', valueString: due.conflictId });
  if (due.clientMutationId !== undefined) out.push({ type: 'clientMutationId', valueString: due.clientMutationId });
  if (due.policy !== undefined) out.push({ type: 'policy', valueString: due.policy });
  if (due.resolution !== undefined) out.push({ type: 'resolution', valueString: due.resolution });
  return out;
}

function isCreate(due: AuditDue): boolean {
  return due.op === 'create';
}

/**
 * Builds the AuditEvent for a due audit. Pure: the same facts give the same event. The input holds
 * no state or payload, so no PHI value can reach the event.
 */
export function buildAuditEvent(due: AuditDue): FhirAuditEvent {
  const patient = patientReference(due);
  const resolved = due.kind === 'conflict-resolved';
  const create = !resolved && isCreate(due);
  const entity: AuditEntity[] = [];
  if (patient !== undefined) {
    entity.push({
      what: { reference: patient },
      type: { system: SYS.entityType, code: '1', display: 'Person' },
      role: { system: SYS.objectRole, code: '1', display: 'Patient' },
    });
  }
  entity.push({
    what: { reference: fhirReference(due.aggregate) },
    type: { system: SYS.entityType, code: '2', display: 'System Object' },
    role: { system: SYS.objectRole, code: '4', display: 'Domain Resource' },
    detail: details(due),
  });
  return {
    resourceType: 'AuditEvent',
    id: auditEventId(due),
    meta: { profile: [resolved && patient !== undefined ? BALP_PATIENT_UPDATE : BALP_UPDATE] },
    type: { system: SYS.eventType, code: 'rest', display: 'Restful Operation' },
    subtype: [
      create ? { system: SYS.restful, code: 'create', display: 'create' } : { system: SYS.restful, code: 'update', display: 'update' },
      resolved
        ? { system: SYS.syncEvent, code: 'conflict-resolved', display: 'Sync conflict resolved' }
        : { system: SYS.syncEvent, code: 'permission-lost', display: 'Permission lost at apply time' },
    ],
    action: create ? 'C' : 'U',
    recorded: due.recorded,
    outcome: due.outcome,
    outcomeDesc: resolved
      ? `CONFLICT_RESOLVED${due.resolution === undefined ? '' : `_${due.resolution.replace('-', '_').toUpperCase()}`}`
      : 'https://syncproof.dev/problems/permission-lost',
    agent: agents(due),
    source: {
      site: due.tenantId,
      observer: { identifier: { system: SYS.server, value: `${SERVER_IDENTITY}/${due.module}` } },
      type: [{ system: SYS.sourceType, code: '4', display: 'Application Server' }],
    },
    entity,
  };
}
