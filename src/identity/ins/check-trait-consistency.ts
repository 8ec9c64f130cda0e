/**
 * Whether an INS number agrees with the traits it comes with (reference §1.2):
 * the sex digit (1 male, 2 female), the birth year and month, and the birth
 * place (department + commune, or 99 + country code abroad) against the
 * INSEE code (COG) of the birth place.
 *
 * Warnings, not refusals, where the civil status explains a difference:
 * INSEE's pseudo-months (20–42, 50) for an incomplete birth date, and birth
 * places renumbered since the birth (Seine and Seine-et-Oise split into
 * 75/78/91–95 in 1968; French Algeria's departments 91–94 before 1962, now the
 * country code 99352; Mayotte 985 before it became department 976 in 2011).
 * Corsica is one place under two numberings: 20 before 1976, 2A/2B since.
 */
import type { Issue } from '../../core/errors.js';
import type { InsTraits } from '../fr-core.js';
import { insIssue, isPseudoMonth } from './check-ins-identifier.js';
import type { InsNumberParts } from './nir.js';

const SEX_DIGIT: Readonly<Record<string, '1' | '2' | undefined>> = { male: '1', female: '2' };
const ILE_DE_FRANCE_1968 = new Set(['75', '78', '91', '92', '93', '94', '95']);
const ALGERIA_DEPARTMENTS = new Set(['91', '92', '93', '94']);

export type BirthPlaceAgreement = 'same' | 'renumbered' | 'different';

function corsicaAsOne(code: string): string {
  return /^2[AB0]/.test(code) ? `20${code.slice(2)}` : code;
}

/** Compares the birth place of an INS with an INSEE (COG) code, both 5 characters. */
export function compareBirthPlace(insPlace: string, cog: string, birthYear: number | undefined): BirthPlaceAgreement {
  const a = insPlace.toUpperCase();
  const b = cog.toUpperCase();
  if (a === b || corsicaAsOne(a) === corsicaAsOne(b)) return 'same';
  const year = birthYear ?? 0;
  const [da, db] = [a.slice(0, 2), b.slice(0, 2)];
  if (year < 1968 && ILE_DE_FRANCE_1968.has(da) && ILE_DE_FRANCE_1968.has(db)) return 'renumbered';
  if (year < 1963 && ALGERIA_DEPARTMENTS.has(da) && b === '99352') return 'renumbered';
  if (year < 2012 && a.startsWith('985') && b.startsWith('976')) return 'renumbered';
  return 'different';
}

/**
 * The issues found comparing an INS number's parts with the traits; `path`
 * locates the identifier (e.g. Patient.identifier[0]). Values stay out of the
 * issues: only which trait disagrees.
 */
export function checkTraitConsistency(parts: InsNumberParts, traits: InsTraits, path = 'Patient.identifier[0]'): Issue[] {
  const issues: Issue[] = [];
  const at = (trait: string): string[] => [trait, path];
  const expected = SEX_DIGIT[traits.gender];
  if (expected === undefined) issues.push(insIssue('ins.sex-unknown', { gender: traits.gender }, at('Patient.gender'), 'warning'));
  else if (expected !== parts.sex) issues.push(insIssue('ins.sex-mismatch', {}, at('Patient.gender')));

  const date = /^(\d{4})(?:-(\d{2}))?/.exec(traits.birthDate);
  const year = date ? Number(date[1]) : undefined;
  if (date && date[1]!.slice(2) !== parts.year) issues.push(insIssue('ins.birth-year-mismatch', {}, at('Patient.birthDate')));
  if (date?.[2] !== undefined && date[2] !== parts.month && !isPseudoMonth(parts.month)) {
    issues.push(insIssue('ins.birth-month-mismatch', {}, at('Patient.birthDate')));
  }

  if (traits.birthPlace !== undefined) {
    const agreement = compareBirthPlace(parts.birthPlace, traits.birthPlace, year);
    const where = at("Patient.extension('http://hl7.org/fhir/StructureDefinition/patient-birthPlace')");
    if (agreement === 'different') issues.push(insIssue('ins.birthplace-mismatch', {}, where));
    if (agreement === 'renumbered') issues.push(insIssue('ins.birthplace-renumbered', {}, where, 'warning'));
  }
  return issues;
}
