/**
 * The patient picker of a professional's standalone SMART launch: a search by
 * INS (15 characters) or by name through the FHIR engine, at most ten
 * answers, each labelled with name and birth date.
 */
import { displayName, type FhirLookup } from '../accounts/fhir-lookup.js';
import type { PatientChoice } from '../pages/consent-page.js';

export async function searchPatients(lookup: FhirLookup, query: string): Promise<PatientChoice[]> {
  if (query.length < 2) return [];
  const criteria: [string, string][] = /^[0-9AB]{15}$/i.test(query) ? [['identifier', query.toUpperCase()]] : [['name', query]];
  const patients = await lookup.search('Patient', [...criteria, ['_count', '10']]);
  return patients.map((p) => ({
    id: p.id as string,
    label: [displayName(p) ?? p.id, typeof p.birthDate === 'string' ? `(${p.birthDate})` : undefined].filter(Boolean).join(' '),
  }));
}
