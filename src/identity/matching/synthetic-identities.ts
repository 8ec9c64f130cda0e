/**
 * Generated identities with the errors identity-vigilance teams see in real
 * duplicates (typing errors, day and month swapped, used name typed as the
 * birth name, a first name missing or replaced by the used one, hyphens and
 * accents lost, particles glued to the name or dropped, a compound name
 * shortened, the birth place left out), plus
 * twins (some with first names a letter apart), homonyms, namesakes whose
 * family names differ by a leading syllable (Dubois / Bois) and people absent
 * from the base, which make false matches
 * possible. Seeded: the same seed gives the same set. For bench/matching.ts
 * and the quality test; fictitious people only.
 */
import { mulberry32 } from '../../core/random.js';
import { BIRTH_LIST_GIVEN_NAME, BIRTH_PLACE, INSEE_CODE } from '../fr-core.js';
import { BIRTH_PLACES, CLOSE_GIVEN, FAMILY_NAMES, FEMALE_GIVEN, MALE_GIVEN, SYLLABLE_NAMESAKES } from './synthetic-names.js';

type Json = Record<string, unknown>;

export interface Person {
  readonly birthFamily: string;
  readonly usedFamily?: string;
  readonly given: readonly string[];
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly birthPlace?: string;
}

export type ErrorKind =
  | 'family-typo' | 'given-typo' | 'day-month-swap' | 'date-digit' | 'used-as-birth-name' | 'married-name-form'
  | 'second-given-missing' | 'used-first-name' | 'birth-place-missing' | 'compound-shortened' | 'particle-dropped';

export interface GeneratedQuery {
  readonly patient: Json;
  /** The id of the record this query is a duplicate of; undefined for someone absent from the base. */
  readonly truth?: string;
  readonly errors: readonly ErrorKind[];
}

export interface GeneratedSet {
  readonly records: readonly Json[];
  readonly queries: readonly GeneratedQuery[];
}

/** The seeded generator of the generated data sets (same seed, same records). */
export const seededRandom = mulberry32;

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

function randomDate(random: Random): string {
  const start = Date.UTC(1930, 0, 1);
  const end = Date.UTC(2022, 11, 31);
  return new Date(start + Math.floor(random() * (end - start))).toISOString().slice(0, 10);
}

function randomFamily(random: Random): string {
  const first = pick(random, FAMILY_NAMES);
  return random() < 0.07 ? `${first}-${pick(random, FAMILY_NAMES)}` : first;
}

export function randomPerson(random: Random): Person {
  const gender = random() < 0.5 ? 'male' : 'female';
  const names = gender === 'male' ? MALE_GIVEN : FEMALE_GIVEN;
  const count = 1 + Math.floor(random() * 3);
  const given = [...new Set(Array.from({ length: count }, () => pick(random, names)))];
  const birthDate = randomDate(random);
  const adult = Number(birthDate.slice(0, 4)) < 2000;
  return {
    birthFamily: randomFamily(random),
    ...(gender === 'female' && adult && random() < 0.45 ? { usedFamily: randomFamily(random) } : {}),
    given,
    gender,
    birthDate,
    ...(random() < 0.95 ? { birthPlace: pick(random, BIRTH_PLACES) } : {}),
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One typing error: a letter replaced, dropped, doubled or two letters exchanged, away from the first letter. */
export function typo(random: Random, value: string): string {
  if (value.length < 3) return value;
  const i = 1 + Math.floor(random() * (value.length - 2));
  const kind = Math.floor(random() * 4);
  if (kind === 0) return value.slice(0, i) + pick(random, [...LETTERS]) + value.slice(i + 1);
  if (kind === 1) return value.slice(0, i) + value.slice(i + 1);
  if (kind === 2) return value.slice(0, i) + value[i] + value.slice(i);
  return value.slice(0, i) + (value[i + 1] ?? '') + value[i] + value.slice(i + 2);
}

function changeDigit(random: Random, date: string): string {
  for (;;) {
    const positions = [2, 3, 6, 8, 9];
    const i = pick(random, positions);
    const changed = date.slice(0, i) + String(Math.floor(random() * 10)) + date.slice(i + 1);
    if (changed !== date && !Number.isNaN(Date.parse(`${changed}T00:00:00Z`)) && new Date(`${changed}T00:00:00Z`).toISOString().startsWith(changed)) return changed;
  }
}

/** Applies one error when it fits the person; undefined when it does not (e.g. no used name to confuse). */
export function applyError(random: Random, person: Person, kind: ErrorKind): Person | undefined {
  const [first, ...rest] = person.given;
  switch (kind) {
    case 'family-typo': return { ...person, birthFamily: typo(random, person.birthFamily) };
    case 'given-typo': return first !== undefined && first.length >= 4 ? { ...person, given: [typo(random, first), ...rest] } : undefined;
    case 'day-month-swap': {
      const [y, m, d] = person.birthDate.split('-') as [string, string, string];
      return Number(d) <= 12 && d !== m ? { ...person, birthDate: `${y}-${d}-${m}` } : undefined;
    }
    case 'date-digit': return { ...person, birthDate: changeDigit(random, person.birthDate) };
    case 'used-as-birth-name': {
      if (person.usedFamily === undefined) return undefined;
      const { usedFamily, ...others } = person;
      return { ...others, birthFamily: usedFamily };
    }
    case 'married-name-form': {
      if (person.usedFamily === undefined) return undefined;
      const { usedFamily, ...others } = person;
      return { ...others, birthFamily: `${person.birthFamily} ${random() < 0.5 ? 'EP.' : 'épouse'} ${usedFamily}` };
    }
    case 'second-given-missing': return rest.length > 0 && first !== undefined ? { ...person, given: [first] } : undefined;
    case 'used-first-name': return rest.length > 0 ? { ...person, given: [...rest] } : undefined;
    case 'birth-place-missing': {
      if (person.birthPlace === undefined) return undefined;
      const { birthPlace: _dropped, ...others } = person;
      return others;
    }
    case 'compound-shortened': return person.birthFamily.includes('-') ? { ...person, birthFamily: person.birthFamily.split('-')[0] as string } : undefined;
    case 'particle-dropped': {
      const dropped = person.birthFamily.replace(/^(de la |de |du |d'|le |la )/i, '');
      return dropped !== person.birthFamily ? { ...person, birthFamily: dropped } : undefined;
    }
  }
}

const ERROR_WEIGHTS: readonly (readonly [ErrorKind, number])[] = [
  ['family-typo', 14], ['given-typo', 12], ['day-month-swap', 10], ['date-digit', 10], ['used-as-birth-name', 12],
  ['married-name-form', 5], ['second-given-missing', 12], ['used-first-name', 6], ['birth-place-missing', 10],
  ['compound-shortened', 5], ['particle-dropped', 4],
];

function randomErrorKind(random: Random): ErrorKind {
  const total = ERROR_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [kind, weight] of ERROR_WEIGHTS) {
    r -= weight;
    if (r < 0) return kind;
  }
  return 'family-typo';
}

const stripAccents = (value: string): string => value.normalize('NFD').replace(/\p{M}/gu, '');

/**
 * Leading particles run into the name, as software that strips spaces and
 * apostrophes writes them: "Le Gall" as "LeGall", "de La Fontaine" as
 * "deLaFontaine", "d'Artagnan" as "dArtagnan".
 */
export function glueParticles(family: string): string {
  return family.replace(/^(?:(?:de|du|des|le|la|les)[ ']|[dl]')+/i, (particles) => particles.replace(/[ ']/g, ''));
}

/** The person as a FHIR Patient, in one of the forms software writes it: capitals, accents lost, hyphens spaced, particles glued, FR Core list or plain given. */
export function toPatient(random: Random, person: Person, id: string): Json {
  const upper = random() < 0.5;
  const plain = random() < 0.3;
  const spaced = random() < 0.2;
  const glued = random() < 0.1;
  const style = (value: string): string => {
    let out = plain ? stripAccents(value) : value;
    if (spaced) out = out.replaceAll('-', ' ');
    return upper ? out.toUpperCase() : out;
  };
  const family = (value: string): string => style(glued ? glueParticles(value) : value);
  const given = person.given.map(style);
  const official: Json = random() < 0.5
    ? { use: 'official', family: family(person.birthFamily), given: given.slice(0, 1), extension: [{ url: BIRTH_LIST_GIVEN_NAME, valueString: given.join(' ') }] }
    : { use: 'official', family: family(person.birthFamily), given };
  const names: Json[] = [official];
  if (person.usedFamily !== undefined) names.push({ use: 'usual', family: family(person.usedFamily) });
  return {
    resourceType: 'Patient',
    id,
    name: names,
    gender: person.gender,
    birthDate: person.birthDate,
    ...(person.birthPlace !== undefined
      ? { extension: [{ url: BIRTH_PLACE, valueAddress: { extension: [{ url: INSEE_CODE, valueCoding: { code: person.birthPlace } }] } }] }
      : {}),
  };
}

/** Twins (same family, date and place, another first name) and namesakes (same names, another date) make false matches possible. */
function relative(random: Random, person: Person): Person {
  const other = randomPerson(random);
  if (random() < 0.6) {
    // Some twins' first names are a letter or two apart (Léa and Léna): the hardest false matches.
    const close = CLOSE_GIVEN[person.given[0] ?? ''];
    if (close !== undefined && random() < 0.5) {
      const { usedFamily: _own, ...born } = person;
      return { ...born, given: [close] };
    }
    // Parents do not give twins the same first names.
    const given = other.given.filter((g) => !person.given.includes(g));
    if (given.length === 0) return relative(random, person);
    return { ...other, given, birthFamily: person.birthFamily, birthDate: person.birthDate, ...(person.birthPlace ? { birthPlace: person.birthPlace } : {}) };
  }
  return { ...other, birthFamily: person.birthFamily, given: person.given, gender: person.gender };
}

/** A duplicate of the person with 0 to 2 errors, as another system types it. */
function duplicateQuery(random: Random, person: Person, id: string, truth: string): GeneratedQuery {
  const wanted = random() < 0.15 ? 0 : random() < 0.7 ? 1 : 2;
  let erred = person;
  const errors: ErrorKind[] = [];
  for (let attempts = 0; errors.length < wanted && attempts < 20; attempts++) {
    const kind = randomErrorKind(random);
    if (errors.includes(kind)) continue;
    const next = applyError(random, erred, kind);
    if (next === undefined) continue;
    erred = next;
    errors.push(kind);
  }
  return { patient: toPatient(random, erred, id), truth, errors };
}

/**
 * Two people, both in the base, whose family names differ by a leading
 * syllable that reads as a glued particle (Dubois and Bois), alike in every
 * other trait: the same first names, sex, birth date and place, the worst
 * case, as for twins. Only the name keeps them apart, so a "certain" between
 * them is a wrong merge the precision counts.
 */
function syllableNamesakes(random: Random): [Person, Person] {
  const { usedFamily: _own, ...person } = randomPerson(random);
  const [long, short] = pick(random, SYLLABLE_NAMESAKES);
  return [{ ...person, birthFamily: long }, { ...person, birthFamily: short }];
}

/**
 * `persons` records in the base; a duplicate query with 0 to 2 errors for 60%
 * of them, and as many queries again as 20% of the base for people who are not
 * in it (half of them relatives of someone who is). Then 1% of the base again
 * in pairs of syllable namesakes, each pair with a duplicate query of one of
 * them; drawn from a stream of their own, so that the rest of the set is what
 * the same seed gave before they were added and figures stay comparable.
 */
export function generateIdentities(options: { persons: number; seed: number }): GeneratedSet {
  const random = seededRandom(options.seed);
  const people: Person[] = [];
  while (people.length < options.persons) {
    const person = randomPerson(random);
    people.push(person);
    if (random() < 0.04 && people.length < options.persons) people.push(relative(random, person));
  }
  const records = people.map((p, i) => toPatient(random, p, `p${i}`));
  const queries: GeneratedQuery[] = [];
  people.forEach((person, i) => {
    if (random() >= 0.6) return;
    queries.push(duplicateQuery(random, person, `q${i}`, `p${i}`));
  });
  const strangers = Math.round(options.persons * 0.2);
  for (let i = 0; i < strangers; i++) {
    const person = random() < 0.5 ? relative(random, pick(random, people)) : randomPerson(random);
    queries.push({ patient: toPatient(random, person, `s${i}`), errors: [] });
  }
  const own = seededRandom(options.seed ^ 0x5ca1ab1e);
  for (let i = 0; i < Math.round(options.persons * 0.005); i++) {
    const pair = syllableNamesakes(own);
    const ids = pair.map((_, k) => `p${records.length + k}`);
    pair.forEach((p, k) => records.push(toPatient(own, p, ids[k] as string)));
    const k = own() < 0.5 ? 0 : 1;
    queries.push(duplicateQuery(own, pair[k] as Person, `n${i}`, ids[k] as string));
  }
  return { records, queries };
}
