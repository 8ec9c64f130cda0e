/**
 * Finding the source and target of a merge as the Patient $merge operation
 * designates them (https://hl7.org/fhir/R5/patient-operation-merge.html): a
 * reference, identifiers, or both; identifiers must designate exactly one
 * patient, and the referenced one when both are given. The reference must
 * name one of this server's Patients (relative, or absolute on its base): one
 * on another server's base names a patient there, which no local merge can
 * touch, so it is refused rather than read as the local record of that id.
 */
import { fail } from '../../core/errors.js';
import type { FhirRequest } from '../../fhir/rest/types.js';
import { readPatient, searchAll, type Send } from './engine-requests.js';
import { escapeToken, named, patientIdOf, type Json, type Parameter } from './parameters.js';
import { identifiersOf, sameIdentifier } from './patient-links.js';

export type Role = 'source' | 'target';

function tokenOf(identifier: Json): string {
  return `${escapeToken(String(identifier.system))}|${escapeToken(String(identifier.value))}`;
}

export async function resolvePatient(send: Send, parent: FhirRequest, list: readonly Parameter[], role: Role): Promise<Json> {
  const referenceParts = named(list, `${role}-patient`);
  if (referenceParts.length > 1) throw fail('mpi.parameter-invalid', { name: `${role}-patient`, reason: 'repeated' });
  const reference = (referenceParts[0]?.part.valueReference as Json | undefined)?.reference;
  const identifiers = named(list, `${role}-patient-identifier`).map((p) => p.part.valueIdentifier as Json | undefined);
  if (identifiers.some((i) => !i || typeof i.system !== 'string' || typeof i.value !== 'string')) {
    throw fail('mpi.parameter-invalid', { name: `${role}-patient-identifier`, reason: 'valueIdentifier with system and value expected' });
  }
  if (reference === undefined && identifiers.length === 0) throw fail('mpi.merge.patient-required', { role });
  if (reference !== undefined) {
    const id = patientIdOf(reference, parent.baseUrl);
    if (id === undefined) throw fail('mpi.parameter-invalid', { name: `${role}-patient`, reason: 'a reference to a Patient of this server expected' });
    const patient = await readPatient(send, parent, id);
    if (!patient) throw fail('mpi.merge.patient-not-found', { role });
    // Every identifier given must be on the referenced patient.
    const own = identifiersOf(patient);
    if (!identifiers.every((i) => own.some((o) => sameIdentifier(o, i as Json)))) throw fail('mpi.merge.patient-not-found', { role });
    return patient;
  }
  const query: [string, string][] = identifiers.map((i) => ['identifier', tokenOf(i as Json)]);
  const found = await searchAll(send, parent, 'Patient', [...query, ['_count', '2']], 2);
  if (found.length === 0) throw fail('mpi.merge.patient-not-found', { role });
  if (found.length > 1) throw fail('mpi.merge.patient-ambiguous', { role, count: found.length });
  return found[0] as Json;
}
