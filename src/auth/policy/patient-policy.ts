/**
 * Patients see and write only their own compartment (the official R4 Patient
 * CompartmentDefinition, http://hl7.org/fhir/R4/compartmentdefinition-patient.html):
 * the token's `patient` claim (SMART launch context) names their Patient
 * resource. Their access traces (AuditEvent, in the compartment by its
 * `patient` parameter) are part of it; nothing outside is visible.
 */
import { fail } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { PatientCompartment } from '../../fhir/rest/patient-compartment.js';
import type { StoreReader, StoredVersion } from '../../storage/contract.js';
import type { AccessPolicy } from './access-policy.js';
import { binaryVisible, binaryWritable } from './binary-access.js';

export function patientPolicy(compartment: PatientCompartment, reader: StoreReader): AccessPolicy {
  const visible = async (principal: Principal, version: StoredVersion, baseUrl: string): Promise<boolean> => {
    if (version.content === null || principal.patient === undefined) return false;
    if (version.resourceType === 'Binary') return binaryVisible(reader, principal, version, baseUrl, visible);
    return compartment.patientsOf(version).includes(principal.patient);
  };
  return {
    name: 'patient-compartment',
    appliesTo: (principal) => principal.kind === 'patient',
    check(principal) {
      if (!principal.patient) throw fail('auth.patient-context-missing');
    },
    restricts: () => true,
    visible,
    async mayWrite(principal, resource, baseUrl) {
      if (principal.patient === undefined) return false;
      if (resource.resourceType === 'Binary') return binaryWritable(reader, principal, resource, baseUrl, visible);
      return compartment.patientsOfResource(resource).includes(principal.patient);
    },
    async searchConditions(principal, types) {
      const inside = types.filter((t) => compartment.holds(t));
      if (types.length > 0 && inside.length === 0) return { kind: 'id', ids: [] };
      return compartment.condition(principal.patient ? [principal.patient] : [], inside);
    },
  };
}
