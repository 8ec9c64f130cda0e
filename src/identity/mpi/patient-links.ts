/**
 * Patient.link as merges leave it (http://hl7.org/fhir/R4/patient-definitions.html#Patient.link,
 * link-type: replaced-by on the merged-away record, replaces on the survivor,
 * seealso between records of the same person kept apart).
 */
import { patientIdOf, type Json } from './parameters.js';

export type LinkType = 'replaced-by' | 'replaces' | 'refer' | 'seealso';

export function links(patient: Json): Json[] {
  return Array.isArray(patient.link) ? (patient.link as Json[]) : [];
}

/** The ids of the patients this one links to with `type`. */
export function linkedIds(patient: Json, type?: LinkType): string[] {
  return links(patient)
    .filter((l) => type === undefined || l.type === type)
    .map((l) => patientIdOf((l.other as Json | undefined)?.reference))
    .filter((id): id is string => id !== undefined);
}

/** The survivor this record was merged into, if it was. */
export function replacedBy(patient: Json): string | undefined {
  return linkedIds(patient, 'replaced-by')[0];
}

export function identifiersOf(patient: Json): Json[] {
  return Array.isArray(patient.identifier) ? (patient.identifier as Json[]) : [];
}

export function sameIdentifier(a: Json, b: Json): boolean {
  return typeof a.system === 'string' && a.system === b.system && typeof a.value === 'string' && a.value === b.value;
}
