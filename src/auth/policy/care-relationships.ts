/**
 * Which patients a professional is in a care relationship with: those of an
 * Encounter the professional takes part in (Encounter.participant.individual),
 * of a CareTeam they are a member of (CareTeam.participant.member), or of an
 * active Consent naming them (Consent.provision.actor) — directly or through
 * one of their PractitionerRoles. Read from storage with search plans (the
 * same index the API searches), cached a few seconds per professional so that
 * a burst of requests costs one lookup.
 */
import type { StoreReader } from '../../storage/contract.js';
import type { PatientCompartment } from '../../fhir/rest/patient-compartment.js';
import type { Condition } from '../../storage/query.js';
import { referenceParts } from './access-policy.js';

/** Relationships read per kind of link; beyond, the oldest are not seen (a professional with more should use a system scope). */
const LIMIT = 1000;

interface CachedSet {
  readonly patients: ReadonlySet<string>;
  readonly until: number;
}

export class CareRelationships {
  private readonly cache = new Map<string, CachedSet>();

  constructor(
    private readonly reader: StoreReader,
    private readonly compartment: PatientCompartment,
    private readonly now: () => number,
    private readonly ttlMs = 5000,
  ) {}

  /**
   * Patient ids related to the professional whose FHIR resource is `fhirUser`:
   * "Practitioner/…", or the same on `baseUrl` (SMART's absolute form). A
   * Practitioner of another server relates to nobody here.
   */
  async patientsOf(fhirUser: string | undefined, baseUrl: string): Promise<ReadonlySet<string>> {
    const practitioner = referenceParts(fhirUser, baseUrl);
    if (!practitioner || practitioner.type !== 'Practitioner') return new Set();
    const key = practitioner.id;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.patients;
    const patients = await this.load(practitioner.id);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { patients, until: this.now() + this.ttlMs });
    return patients;
  }

  /** Forgets every cached set (a relationship was written). */
  forget(): void {
    this.cache.clear();
  }

  private async load(practitionerId: string): Promise<Set<string>> {
    const roles = await this.reader.search({
      resourceTypes: ['PractitionerRole'],
      where: [{ kind: 'reference', param: 'PractitionerRole.practitioner', targetTypes: ['Practitioner'], targetId: practitionerId }],
      sort: [], count: LIMIT, total: 'none',
    });
    const actors: { type: string; id: string }[] = [{ type: 'Practitioner', id: practitionerId }, ...roles.rows.map((r) => ({ type: 'PractitionerRole', id: r.id }))];
    const pointsToActor = (param: string): Condition => ({
      kind: 'or', any: actors.map((a): Condition => ({ kind: 'reference', param, targetTypes: [a.type], targetId: a.id })),
    });
    const links: { type: string; where: Condition[] }[] = [
      { type: 'Encounter', where: [pointsToActor('Encounter.participant')] },
      { type: 'CareTeam', where: [pointsToActor('CareTeam.participant')] },
      { type: 'Consent', where: [pointsToActor('Consent.actor'), { kind: 'token', param: 'Consent.status', code: 'active' }] },
    ];
    const patients = new Set<string>();
    for (const link of links) {
      const page = await this.reader.search({ resourceTypes: [link.type], where: link.where, sort: [], count: LIMIT, total: 'none' });
      for (const row of page.rows) for (const patient of this.compartment.patientsOf(row)) patients.add(patient);
    }
    return patients;
  }
}
