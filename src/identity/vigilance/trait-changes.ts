/**
 * Which of the five INS traits (reference §1.1) a write changes. Names are
 * compared as the INS writes them, in capitals without accents (the INSi
 * register's folding, insi/normalise.ts), so that "Dupont" → "DUPONT" is not
 * a change while "Dupont" → "Dupond" is.
 */
import type { InsTraits } from '../fr-core.js';
import type { TraitName } from '../insi/contract.js';
import { normaliseName, splitGiven } from '../insi/normalise.js';

export const TRAIT_NAMES: readonly TraitName[] = ['family', 'given', 'gender', 'birthdate', 'birthplace'];

/** The FHIRPath location of each trait in a Patient (fr-core-patient-ins). */
export const TRAIT_PATHS: Readonly<Record<TraitName, string>> = {
  family: "Patient.name.where(use = 'official').family",
  given: "Patient.name.where(use = 'official').extension('https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name')",
  gender: 'Patient.gender',
  birthdate: 'Patient.birthDate',
  birthplace: "Patient.extension('http://hl7.org/fhir/StructureDefinition/patient-birthPlace')",
};

function valueOf(traits: InsTraits | undefined, trait: TraitName): string {
  if (!traits) return '';
  switch (trait) {
    case 'family': return normaliseName(traits.family);
    case 'given': return splitGiven(traits.given).map(normaliseName).join(' ');
    case 'gender': return traits.gender;
    case 'birthdate': return traits.birthDate;
    case 'birthplace': return (traits.birthPlace ?? '').toUpperCase();
  }
}

/** The traits that differ between two readings of a Patient (traitsOf); a missing reading counts as empty traits. */
export function changedTraits(before: InsTraits | undefined, after: InsTraits | undefined): TraitName[] {
  return TRAIT_NAMES.filter((trait) => valueOf(before, trait) !== valueOf(after, trait));
}
