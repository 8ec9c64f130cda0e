/**
 * The whole demo region from a seed and sizes: organisations, professionals
 * with their roles, patients and the INSi register entries. Pure: no I/O but
 * reading the commune tables, and the same options always give the same
 * resources (ids and identifiers included). Each part draws from its own
 * forked generator, so that changing one size leaves the other parts as they were.
 */
import type { InsiIdentity } from '../identity/insi/contract.js';
import { generatePopulation } from './generate-population.js';
import { IdentifierFactory } from './identifier-factory.js';
import { generateOrganisations } from './organisations.js';
import { patientResource } from './patient-resource.js';
import { loadRegion, PlacePicker } from './places.js';
import type { DemoPatient } from './population.js';
import { FEATURED_RPPS, generateProfessionals } from './professionals.js';
import { Random } from './random.js';

type Json = Record<string, unknown>;

export interface DemoOptions {
  readonly seed: number;
  /** INSEE region code, "32" Hauts-de-France. */
  readonly region: string;
  readonly organisations: number;
  readonly professionals: number;
  readonly patients: number;
}

export interface DemoRegion {
  readonly regionName: string;
  readonly organizations: Json[];
  readonly practitioners: Json[];
  readonly practitionerRoles: Json[];
  readonly patients: Json[];
  /** The records behind the Patient resources (status, duplicates…), same order. */
  readonly records: DemoPatient[];
  readonly register: InsiIdentity[];
}

export class UnknownRegionError extends Error {
  override name = 'UnknownRegionError';
}

export function generateRegion(options: DemoOptions): DemoRegion {
  const region = loadRegion(options.region);
  if (!region || region.communes.length === 0) throw new UnknownRegionError(`unknown region ${options.region}`);
  const places = new PlacePicker(region);
  const root = new Random(options.seed);
  const directoryRandom = root.fork('directory');
  const ids = new IdentifierFactory(root.fork('identifiers'), FEATURED_RPPS);
  const organisations = generateOrganisations(directoryRandom, ids, places, options.organisations);
  const professionals = generateProfessionals(root.fork('professionals'), ids, places, organisations, options.professionals);
  const population = generatePopulation(root.fork('patients'), places, options.patients);
  const resourceRandom = root.fork('patient-resources');
  return {
    regionName: region.name,
    // Read after the professionals: featured ones may have added their workplace.
    organizations: organisations.resources,
    practitioners: professionals.practitioners,
    practitionerRoles: professionals.roles,
    patients: population.records.map((record) => patientResource(resourceRandom, record)),
    records: population.records,
    register: population.register,
  };
}
