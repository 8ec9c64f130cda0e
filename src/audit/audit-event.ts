/**
 * An access as a FHIR R4 AuditEvent, following the IHE Basic Audit Log
 * Patterns (https://profiles.ihe.net/ITI/BALP/, "Basic AuditEvent for a
 * RESTful activity" and its Patient and Query variants): type rest, subtype
 * the RESTful interaction, action, outcome, the user agent (national
 * identifier, profession, organisation), the client application with the
 * source network address, Socle as observer, the patient (entity role 1),
 * each resource (role 4) and the query of a search (role 24, base64).
 *
 * BALP asks for one AuditEvent per patient: an access touching several
 * patients is split, each record naming only its patient, so that a patient
 * listing their traces learns nothing about anybody else.
 */
import type { AuditEntry } from '../core/audit-entry.js';
import type { Principal } from '../core/principal.js';

export interface AgentDetails {
  /** The professional's profession (PractitionerRole.code), for the patient's listing. */
  readonly profession?: { readonly system?: string; readonly code?: string; readonly display?: string };
  readonly organization?: { readonly reference: string; readonly display?: string };
}

const ID_NAT_PS = 'urn:oid:1.2.250.1.71.4.2.1';
const RESTFUL = new Set(['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'history-system', 'create', 'search-type', 'search-system', 'batch', 'transaction', 'capabilities']);

function subtypeOf(interaction: string): { system: string; code: string; display?: string }[] {
  if (RESTFUL.has(interaction)) return [{ system: 'http://hl7.org/fhir/restful-interaction', code: interaction }];
  if (interaction.startsWith('operation')) {
    return [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'operation' }, { system: 'urn:socle:operation', code: interaction.replace(/^operation:?/, '') || 'unknown' }];
  }
  return [{ system: 'urn:socle:interaction', code: interaction }];
}

function userAgent(principal: Principal | undefined, details: AgentDetails | undefined): Record<string, unknown> {
  if (!principal) {
    return { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] }, who: { display: 'anonymous' }, requestor: true };
  }
  const who: Record<string, unknown> = {};
  if (principal.fhirUser) who.reference = principal.fhirUser;
  else if (principal.kind === 'patient' && principal.patient) who.reference = `Patient/${principal.patient}`;
  if (principal.nationalId) who.identifier = { system: ID_NAT_PS, value: principal.nationalId };
  else who.identifier = { system: `urn:socle:${principal.kind}`, value: principal.subject };
  if (principal.display) who.display = principal.display;
  const agent: Record<string, unknown> = {
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] },
    role: [{ coding: [{ system: 'urn:socle:principal-kind', code: principal.kind }] }],
    who,
    requestor: true,
  };
  if (details?.profession?.code) (agent.role as unknown[]).push({ coding: [details.profession] });
  return agent;
}

/** The AuditEvents (one per patient, or one without patient) recording `entry`. */
export function auditEvents(entry: AuditEntry, details: AgentDetails | undefined, newId: () => string): Record<string, unknown>[] {
  const base: Record<string, unknown> = {
    resourceType: 'AuditEvent',
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: subtypeOf(entry.interaction),
    action: entry.action,
    recorded: new Date(entry.recorded).toISOString(),
    outcome: entry.outcome,
    ...(entry.outcomeDescription ? { outcomeDesc: entry.outcomeDescription } : {}),
    ...(entry.purposeOfUse ? { purposeOfEvent: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: entry.purposeOfUse }] }] } : {}),
  };
  const agents: Record<string, unknown>[] = [userAgent(entry.principal, details)];
  if (details?.organization) {
    agents.push({
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PROV', display: 'healthcare provider' }] },
      who: details.organization, requestor: false,
    });
  }
  agents.push({
    type: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150', display: 'Application' }] },
    who: { identifier: { system: 'urn:socle:client', value: entry.principal?.clientId || 'unknown' } },
    requestor: false,
    ...(entry.sourceAddress ? { network: { address: entry.sourceAddress, type: '2' } } : {}),
  });
  const source = {
    observer: { display: 'Socle' },
    type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
  };
  const queryEntity = entry.query !== undefined
    ? [{ type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2' }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '24', display: 'Query' }, query: Buffer.from(entry.query).toString('base64') }]
    : [];
  const resourceEntity = (reference: string) => ({
    what: { reference },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '4', display: 'Domain Resource' },
  });
  const patientEntity = (id: string) => ({
    what: { reference: `Patient/${id}` },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
  });
  const extra = entry.requestId ? { extension: [{ url: 'urn:socle:request-id', valueString: entry.requestId }] } : {};
  const make = (entities: unknown[]) => ({ ...base, id: newId(), ...extra, agent: agents, source, ...(entities.length > 0 ? { entity: entities } : {}) });
  const resources = entry.entities.filter((e) => !/^Patient\//.test(e) || entry.patients.length === 0);
  if (entry.patients.length === 0) return [make([...resources.map(resourceEntity), ...queryEntity])];
  // One record per patient; the resource list only when it concerns that patient alone.
  const single = entry.patients.length === 1;
  return entry.patients.map((patient) => make([patientEntity(patient), ...(single ? resources.map(resourceEntity) : []), ...queryEntity]));
}
