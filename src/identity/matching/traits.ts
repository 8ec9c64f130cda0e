/**
 * The traits a match compares, read from a FHIR Patient as FR Core carries
 * them (https://hl7.fr/ig/fhir/core, fr-core-patient): the official name is
 * the birth name with the birth first-name list, the usual name the used name
 * and used first name, plus sex, birth date and INSEE birth-place code.
 * Unlike InsTraits (fr-core.ts), nothing is mandatory: a query may be partial.
 */
import { BIRTH_LIST_GIVEN_NAME, BIRTH_PLACE, INSEE_CODE } from '../fr-core.js';

export interface MatchTraits {
  /** Birth name as typed (may carry "ép." or "née" forms). */
  readonly birthFamily?: string;
  /** Used name (spouse's name, chosen name). */
  readonly usedFamily?: string;
  /** Birth first names in order; the first is the "premier prénom de naissance". */
  readonly given: readonly string[];
  readonly usedGiven?: string;
  readonly gender?: 'male' | 'female' | 'unknown' | 'other';
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  readonly birthDate?: string;
  /** INSEE code (COG) of the birth commune, or 99xxx for a country. */
  readonly birthPlace?: string;
}

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as Json[]) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function extensionOf(element: unknown, url: string): Json | undefined {
  return list((element as Json | undefined)?.extension).find((e) => e.url === url);
}

/** The INSEE code of the patient-birthPlace extension, if any. */
function birthPlaceOf(patient: Json): string | undefined {
  const place = extensionOf(extensionOf(patient, BIRTH_PLACE)?.valueAddress, INSEE_CODE);
  const code = (place?.valueCoding as Json | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/**
 * Reads a Patient's traits. The birth name is the `official` name (else the
 * first name that is not usual, old or a nickname); the used name is the
 * `usual` one. The birth first-name list comes from the FR Core extension
 * (space-separated) when present, else from the official name's given.
 */
export function matchTraitsOf(patient: Json): MatchTraits {
  const names = list(patient.name);
  const official = names.find((n) => n.use === 'official')
    ?? names.find((n) => n.use === undefined || !['usual', 'old', 'nickname', 'maiden'].includes(n.use as string))
    ?? (names.length === 1 ? names[0] : undefined);
  const usual = names.find((n) => n !== official && n.use === 'usual');
  const listed = extensionOf(official, BIRTH_LIST_GIVEN_NAME)?.valueString;
  const given = typeof listed === 'string' && listed.trim() !== '' ? listed.trim().split(/\s+/) : strings(official?.given);
  const gender = patient.gender;
  const place = birthPlaceOf(patient);
  const usedGiven = strings(usual?.given)[0];
  return {
    ...(typeof official?.family === 'string' && official.family.trim() !== '' ? { birthFamily: official.family } : {}),
    ...(typeof usual?.family === 'string' && usual.family.trim() !== '' ? { usedFamily: usual.family } : {}),
    given,
    ...(usedGiven !== undefined ? { usedGiven } : {}),
    ...(gender === 'male' || gender === 'female' || gender === 'unknown' || gender === 'other' ? { gender } : {}),
    ...(typeof patient.birthDate === 'string' ? { birthDate: patient.birthDate } : {}),
    ...(place !== undefined ? { birthPlace: place } : {}),
  };
}
