/**
 * Patient.link as merges leave it (http://hl7.org/fhir/R4/patient-definitions.html#Patient.link,
 * link-type: replaced-by on the merged-away record, replaces on the survivor,
 * seealso between records of the same person kept apart). Only links to
 * this server's own Patients count: a link on another server's base names a
 * record there (fhir/rest/local-reference.ts), never the local one of the same
 * id, so `baseUrl` is the base the request came in on.
 */
import { patientIdOf, type Json } from './parameters.js';

export type LinkType = 'replaced-by' | 'replaces' | 'refer' | 'seealso';

export function links(patient: Json): Json[] {
  return Array.isArray(patient.link) ? (patient.link as Json[]) : [];
}

/** The ids of the local patients this one links to with `type`. */
export function linkedIds(patient: Json, baseUrl: string, type?: LinkType): string[] {
  return links(patient)
    .filter((l) => type === undefined || l.type === type)
    .map((l) => patientIdOf((l.other as Json | undefined)?.reference, baseUrl))
    .filter((id): id is string => id !== undefined);
}

/** The local survivor this record was merged into, if it was. */
export function replacedBy(patient: Json, baseUrl: string): string | undefined {
  return linkedIds(patient, baseUrl, 'replaced-by')[0];
}

export function identifiersOf(patient: Json): Json[] {
  return Array.isArray(patient.identifier) ? (patient.identifier as Json[]) : [];
}

export function sameIdentifier(a: Json, b: Json): boolean {
  return typeof a.system === 'string' && a.system === b.system && typeof a.value === 'string' && a.value === b.value;
}
