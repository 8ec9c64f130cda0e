/**
 * The default rule for professionals (issue #4): they read and write the
 * clinical data — the Patient compartment — of the patients they are in a
 * care relationship with (care-relationships.ts), and the shared reference
 * data outside any compartment (directory, terminology, medications).
 * Access traces (AuditEvent) and Binary contents without a visible
 * securityContext are not theirs. With a SMART launch patient in the token,
 * only that patient's compartment is open.
 *
 * Writing an Encounter or a CareTeam that names the professional is how a
 * relationship starts (an admission); it is recorded in the audit trail like
 * any write. A new Patient can be created (registration); an existing one
 * is written only within a relationship.
 */
import type { Principal } from '../../core/principal.js';
import type { PatientCompartment } from '../../fhir/rest/patient-compartment.js';
import type { JsonResource } from '../../fhir/rest/resource-version.js';
import type { StoreReader, StoredVersion } from '../../storage/contract.js';
import type { Condition } from '../../storage/query.js';
import { referenceParts, type AccessPolicy } from './access-policy.js';
import { binaryVisible, binaryWritable } from './binary-access.js';
import type { CareRelationships } from './care-relationships.js';

/** Compartment types a professional never reads through this policy. */
const NOT_FOR_PROFESSIONALS = new Set(['AuditEvent']);
/** Outside the compartment but not reference data: judged on their own. */
const SPECIAL = new Set(['Binary', 'AuditEvent']);
/** Writing these, naming oneself, starts a care relationship. */
const RELATIONSHIP_TYPES = new Set(['Encounter', 'CareTeam', 'Consent']);

/** Whether a participant of `resource` is the professional themself: another server's Practitioner with the same id is not. */
function namesPractitioner(resource: JsonResource, fhirUser: string | undefined, baseUrl: string): boolean {
  const me = referenceParts(fhirUser, baseUrl);
  if (!me) return false;
  const participants = (resource.participant ?? []) as { individual?: { reference?: string }; member?: { reference?: string } }[];
  return Array.isArray(participants) && participants.some((p) => {
    const ref = referenceParts(p.individual?.reference ?? p.member?.reference, baseUrl);
    return ref?.type === me.type && ref.id === me.id;
  });
}

export function careRelationshipPolicy(compartment: PatientCompartment, reader: StoreReader, relationships: CareRelationships, allTypes: readonly string[]): AccessPolicy {
  const sharedTypes = allTypes.filter((t) => !compartment.holds(t) && !SPECIAL.has(t));

  const reachable = async (principal: Principal, patients: readonly string[], baseUrl: string): Promise<boolean> => {
    if (principal.patient !== undefined) return patients.includes(principal.patient) && (await relationships.patientsOf(principal.fhirUser, baseUrl)).has(principal.patient);
    const related = await relationships.patientsOf(principal.fhirUser, baseUrl);
    return patients.some((p) => related.has(p));
  };

  const visible = async (principal: Principal, version: StoredVersion, baseUrl: string): Promise<boolean> => {
    if (version.content === null || NOT_FOR_PROFESSIONALS.has(version.resourceType)) return false;
    if (version.resourceType === 'Binary') return binaryVisible(reader, principal, version, baseUrl, visible);
    if (!compartment.holds(version.resourceType)) return true;
    return reachable(principal, compartment.patientsOf(version), baseUrl);
  };

  return {
    name: 'care-relationship',
    appliesTo: (principal) => principal.kind === 'practitioner',
    restricts: () => true,
    visible,
    async mayWrite(principal, resource, baseUrl) {
      if (NOT_FOR_PROFESSIONALS.has(resource.resourceType)) return false;
      if (resource.resourceType === 'Binary') return binaryWritable(reader, principal, resource, baseUrl, visible);
      if (!compartment.holds(resource.resourceType)) return true;
      // Registration: the current version of an existing Patient is checked by the engine (404 if hidden).
      if (resource.resourceType === 'Patient') return true;
      if (RELATIONSHIP_TYPES.has(resource.resourceType) && namesPractitioner(resource, principal.fhirUser, baseUrl)) {
        relationships.forget();
        return true;
      }
      return reachable(principal, compartment.patientsOfResource(resource), baseUrl);
    },
    async searchConditions(principal, types, baseUrl) {
      const all = await relationships.patientsOf(principal.fhirUser, baseUrl);
      const related = principal.patient !== undefined ? (all.has(principal.patient) ? [principal.patient] : []) : [...all];
      const wanted = types.length > 0 ? types : allTypes;
      const shared = wanted.filter((t) => sharedTypes.includes(t));
      const clinical = wanted.filter((t) => compartment.holds(t) && !NOT_FOR_PROFESSIONALS.has(t));
      const any: Condition[] = [];
      if (shared.length > 0) any.push({ kind: 'type', types: shared });
      if (clinical.length > 0 && related.length > 0) any.push(compartment.condition(related, clinical));
      return { kind: 'or', any };
    },
  };
}
