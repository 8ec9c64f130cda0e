/**
 * The Patient compartment (http://hl7.org/fhir/R4/compartmentdefinition-patient.html)
 * as the access policies and the audit trail need it: which patients a stored
 * resource belongs to, and the search conditions selecting the resources of
 * given patients, so that filtered results and totals come from the database.
 */
import type { StoredVersion } from '../../storage/contract.js';
import { qualifiedParam, type Condition } from '../../storage/query.js';
import type { FhirSchema } from '../definitions/schema.js';
import type { ResourceIndexer } from '../indexing/index.js';

const CACHE_LIMIT = 5000;

export class PatientCompartment {
  /** Patients of a version, by "rid:versionId": versions never change, hot resources are read often. */
  private readonly cache = new Map<string, readonly string[]>();
  readonly types: readonly string[];

  constructor(private readonly schema: FhirSchema, private readonly indexer: ResourceIndexer) {
    this.types = [...schema.resourceTypes].filter((t) => t === 'Patient' || schema.patientCompartmentParams(t).length > 0);
  }

  /** True when resources of `type` can belong to a Patient compartment. */
  holds(type: string): boolean {
    return type === 'Patient' || this.schema.patientCompartmentParams(type).length > 0;
  }

  /** The ids of the patients whose compartment holds this version (empty for a deletion or a type outside it). */
  patientsOf(version: StoredVersion): readonly string[] {
    if (version.resourceType === 'Patient') return [version.id];
    if (version.content === null || !this.holds(version.resourceType)) return [];
    const key = `${version.rid}:${version.versionId}`;
    let patients = this.cache.get(key);
    if (!patients) {
      patients = this.patientsOfResource(JSON.parse(version.content) as Record<string, unknown> & { resourceType: string });
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, patients);
    }
    return patients;
  }

  /** The same for a resource not stored yet (a write being checked). */
  patientsOfResource(resource: Record<string, unknown> & { resourceType: string; id?: string }): string[] {
    if (resource.resourceType === 'Patient') return typeof resource.id === 'string' ? [resource.id] : [];
    const params = new Set(this.schema.patientCompartmentParams(resource.resourceType));
    if (params.size === 0) return [];
    const patients = new Set<string>();
    for (const ref of this.indexer.index(resource).reference) {
      if (params.has(ref.param) && ref.targetType === 'Patient' && ref.targetId) patients.add(ref.targetId);
    }
    return [...patients];
  }

  /**
   * Resources of `types` (all compartment types when empty) in the compartment
   * of one of `patientIds`: for each type, an OR over its compartment parameters.
   */
  condition(patientIds: readonly string[], types: readonly string[]): Condition {
    if (patientIds.length === 0) return { kind: 'id', ids: [] };
    const any: Condition[] = [];
    for (const type of types.length > 0 ? types : this.types) {
      if (type === 'Patient') {
        any.push({ kind: 'and', all: [{ kind: 'type', types: ['Patient'] }, { kind: 'id', ids: patientIds }] });
        continue;
      }
      const params = this.schema.patientCompartmentParams(type);
      if (params.length === 0) continue;
      const refs = params.flatMap((code) => patientIds.map((id): Condition => ({ kind: 'reference', param: qualifiedParam(type, code), targetTypes: ['Patient'], targetId: id })));
      any.push({ kind: 'and', all: [{ kind: 'type', types: [type] }, { kind: 'or', any: refs }] });
    }
    return { kind: 'or', any };
  }
}
