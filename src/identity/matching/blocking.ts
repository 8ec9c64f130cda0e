/**
 * Blocking: the few searches that bring back every plausible candidate for a
 * match without reading every Patient (Fellegi–Sunter record linkage compares
 * only records that agree on a blocking key). Each key tolerates the errors
 * another key does not: a name typo is caught by the birth date, a date typo by
 * the name, swapped day and month by the swapped date. The keys are FHIR
 * search criteria on Patient (http://hl7.org/fhir/R4/patient.html#search), run
 * through the engine; `blockMatches` is their in-memory reading, for the
 * benchmark, and must select what the searches select.
 */
import { normalizeString } from '../../fhir/indexing/values.js';
import { swappedDate } from './compare-traits.js';
import { familyForms, foldName, nameWords, significantWords } from './normalize.js';
import type { MatchTraits } from './traits.js';

export interface BlockingQuery {
  /** birthdate=…: a full date or a year (eq: the birth date falls within it). */
  readonly birthdate?: string;
  /** family:contains=… (letters of one word of the name). */
  readonly familyContains?: string;
  /** given=… (string prefix). */
  readonly givenPrefix?: string;
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function familyKeys(traits: MatchTraits): string[] {
  const words: string[] = [];
  if (traits.birthFamily !== undefined) {
    const forms = familyForms(traits.birthFamily);
    words.push(...significantWords(forms.birth), ...(forms.used ? significantWords(forms.used) : []));
  }
  if (traits.usedFamily !== undefined) words.push(...significantWords(nameWords(traits.usedFamily)));
  // The first and the last four letters: selective enough, and a typo spoils at most one of them in a long word.
  const keys = words.filter((w) => w.length >= 3).flatMap((w) => (w.length >= 6 ? [w.slice(0, 4), w.slice(-4)] : [w]));
  return [...new Set(keys)].slice(0, 4);
}

/** The blocking searches for a query's traits; identifiers are looked up apart. */
export function blockingQueries(traits: MatchTraits): BlockingQuery[] {
  const queries: BlockingQuery[] = [];
  const date = traits.birthDate;
  if (date !== undefined && FULL_DATE.test(date)) {
    queries.push({ birthdate: date });
    const swapped = swappedDate(date);
    if (swapped !== undefined) queries.push({ birthdate: swapped });
  }
  const firstGiven = traits.given[0] ?? traits.usedGiven;
  const givenKey = firstGiven !== undefined ? foldName(firstGiven).slice(0, 3) : '';
  for (const key of familyKeys(traits)) {
    if (date !== undefined && /^\d{4}/.test(date)) queries.push({ birthdate: date.slice(0, 4), familyContains: key });
    if (givenKey.length >= 2) queries.push({ familyContains: key, givenPrefix: givenKey });
  }
  return queries;
}

/** The query as FHIR search parameters on Patient. */
export function searchParameters(query: BlockingQuery): [string, string][] {
  const params: [string, string][] = [];
  if (query.birthdate !== undefined) params.push(['birthdate', query.birthdate]);
  if (query.familyContains !== undefined) params.push(['family:contains', query.familyContains]);
  if (query.givenPrefix !== undefined) params.push(['given', query.givenPrefix]);
  return params;
}

/** What the Patient search parameters used here index: every name's family and given, and birthDate. */
export interface IndexedNames {
  readonly families: readonly string[];
  readonly givens: readonly string[];
  readonly birthDate?: string;
}

export function indexedNamesOf(patient: Record<string, unknown>): IndexedNames {
  const names = Array.isArray(patient.name) ? (patient.name as Record<string, unknown>[]) : [];
  return {
    families: names.map((n) => n.family).filter((f): f is string => typeof f === 'string').map(normalizeString),
    givens: names.flatMap((n) => (Array.isArray(n.given) ? (n.given as unknown[]) : [])).filter((g): g is string => typeof g === 'string').map(normalizeString),
    ...(typeof patient.birthDate === 'string' ? { birthDate: patient.birthDate } : {}),
  };
}

/** In-memory reading of the search: true when a Patient with these indexed names is found by it. */
export function blockMatches(query: BlockingQuery, names: IndexedNames): boolean {
  if (query.birthdate !== undefined && !(names.birthDate ?? '').startsWith(query.birthdate)) return false;
  if (query.familyContains !== undefined && !names.families.some((f) => f.includes(query.familyContains as string))) return false;
  if (query.givenPrefix !== undefined && !names.givens.some((g) => g.startsWith(query.givenPrefix as string))) return false;
  return true;
}
