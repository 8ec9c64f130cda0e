/**
 * The benchmark population (see ../../shared/bench/README.md): family names from
 * the ten most common French surnames with a numeric suffix (1,000 distinct
 * names × 100), French first names, birth dates spread over 90 years, a Lille
 * address, a unique NIR-system identifier. Deterministic for a given seed.
 */
import { mulberry32 } from '../src/core/random.js';

export const SURNAMES = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent'];
const GIVEN = ['Jean', 'Marie', 'Pierre', 'Camille', 'Louis', 'Léa', 'Hugo', 'Chloé', 'Lucas', 'Manon', 'Gabriel', 'Inès', 'Éloïse', 'Théo'];
/**
 * The NIR system of the workload's identifier search (../shared/bench/README.md).
 * The benchmark patients carry it as the billing number (NSS, type NH): an INS
 * would need a qualified identity, which only INSi and a document check give.
 */
export const NIR_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.8';
const NSS_TYPE = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NH' }] };

/** A small deterministic PRNG (mulberry32), so runs compare. */
export const random = mulberry32;

export interface BenchPatient {
  readonly resource: Record<string, unknown>;
  readonly identifier: string;
}

export function benchPatient(index: number, next: () => number): BenchPatient {
  const surname = SURNAMES[index % SURNAMES.length] as string;
  const suffix = Math.floor(index / SURNAMES.length) % 100;
  const given = GIVEN[Math.floor(next() * GIVEN.length)] as string;
  const birth = new Date(Date.UTC(1935, 0, 1) + Math.floor(next() * 90 * 365.25 * 86_400_000));
  const identifier = `${1 + (index % 2)}${String(index).padStart(12, '0')}${String(index % 97).padStart(2, '0')}`;
  return {
    identifier,
    resource: {
      resourceType: 'Patient',
      identifier: [{ use: 'secondary', type: NSS_TYPE, system: NIR_SYSTEM, value: identifier }],
      name: [{ use: 'official', family: `${surname}${suffix}`, given: [given] }],
      gender: index % 2 === 0 ? 'male' : 'female',
      birthDate: birth.toISOString().slice(0, 10),
      address: [{ line: [`${1 + (index % 200)} rue Nationale`], city: 'Lille', postalCode: '59000', country: 'FR' }],
    },
  };
}
