/**
 * The demo population as identity-vigilance sees it: people (their true
 * traits and their INS, as the national bases know them) and the records a
 * health information system holds about them, in every RNIV identity status
 * (PROV, VALI, RECUP, QUAL) with realistic shares, some doubtful (DOUT) or
 * fictitious (FICT, always PROV), confirmed homonyms (HOMA), and duplicates:
 * a second record of the same person typed with the errors identity-vigilance
 * teams meet (applyError of src/identity/matching/synthetic-identities.ts).
 * References: french-ehealth-reference §1.1–1.3; open-points-resolved §4.
 */
import type { IdentityStatus } from '../identity/fr-core.js';
import { withInsKey } from '../identity/ins/nir.js';
import { applyError, type ErrorKind, type Person } from '../identity/matching/synthetic-identities.js';
import { mobile, streetAddress, type PostalAddress } from './addresses.js';
import { FEATURED_PATIENTS } from './featured.js';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './names.js';
import { communeByCode, COUNTRIES, type PlacePicker } from './places.js';
import { Random, WeightedPicker } from './random.js';

/** A person as the national bases know them: the five INS traits and the INS. */
export interface DemoPerson {
  readonly family: string;
  readonly given: readonly string[];
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly birthPlace: { readonly code: string; readonly name: string };
  /** The 15-character NIR with its key. */
  readonly ins: string;
}

export type IdentityAttribute = 'DOUT' | 'FICT' | 'HOMA';

/** One record of the demo information system. */
export interface DemoPatient {
  readonly id: string;
  readonly person: DemoPerson;
  /** The traits as typed in this record (the person's own, or with errors for a duplicate). */
  readonly recorded: { readonly family: string; readonly given: readonly string[]; readonly birthDate: string };
  readonly usedFamily?: string;
  readonly usedGiven?: string;
  readonly status: IdentityStatus;
  readonly attributes: readonly IdentityAttribute[];
  /** FR Core validation mode of the document checked (VALI, QUAL). */
  readonly validationMode?: string;
  /** Whether the record carries the INS (RECUP, QUAL). */
  readonly withIns: boolean;
  readonly home: PostalAddress;
  readonly phone?: string;
  /** The record this one duplicates, and the typing errors that make it differ. */
  readonly duplicateOf?: string;
  readonly errors?: readonly ErrorKind[];
  readonly featured?: boolean;
}

/** Reference date of the generator: ages and dates never depend on the day it runs. */
const REFERENCE_YEAR = 2025;
const DUPLICATE_ERRORS: readonly ErrorKind[] = ['family-typo', 'given-typo', 'used-as-birth-name', 'second-given-missing', 'day-month-swap', 'married-name-form'];

/** A UUID-shaped id drawn from the generator: deterministic per seed, and no trait in it (ids appear in URLs and logs). */
export function demoUuid(random: Random): string {
  const hex = (n: number): string => Array.from({ length: n }, () => random.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${random.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function birthDate(random: Random): string {
  // Fewer people at great ages: the square root flattens the top of the pyramid.
  const age = random.chance(0.9) ? random.int(0, 84) : Math.floor(85 + Math.sqrt(random.next()) * 15);
  const year = REFERENCE_YEAR - 1 - age;
  const month = random.int(1, 12);
  const day = random.int(1, daysInMonth(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export class PopulationBuilder {
  private readonly bodies = new Set<string>();
  private readonly birthPlaceNames = new Map<string, string>();

  constructor(private readonly random: Random, private readonly places: PlacePicker) {
    for (const featured of FEATURED_PATIENTS) this.bodies.add(featured.ins.slice(0, 13));
  }

  /** A NIR body (sex, year, month, place, order) unique in the population, then its key (reference §1.2). */
  ins(gender: 'male' | 'female', date: string, place: string): string {
    const prefix = `${gender === 'male' ? '1' : '2'}${date.slice(2, 4)}${date.slice(5, 7)}${place}`;
    for (;;) {
      const body = `${prefix}${String(this.random.int(1, 999)).padStart(3, '0')}`;
      if (this.bodies.has(body)) continue;
      this.bodies.add(body);
      return withInsKey(body);
    }
  }

  person(overrides: Partial<Pick<DemoPerson, 'family' | 'given' | 'gender' | 'birthDate'>> = {}): DemoPerson {
    const random = this.random;
    const gender = overrides.gender ?? (random.chance(0.51) ? 'female' : 'male');
    const names = gender === 'female' ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES;
    const howMany = random.chance(0.55) ? 1 : random.chance(0.67) ? 2 : 3;
    const given = overrides.given ?? [...new Set(Array.from({ length: howMany }, () => random.pick(names)))];
    const date = overrides.birthDate ?? birthDate(random);
    const place = this.places.birthPlace(random);
    return { family: overrides.family ?? random.pick(FAMILY_NAMES), given, gender, birthDate: date, birthPlace: { code: place.code, name: place.name }, ins: this.ins(gender, date, place.code) };
  }

  /** The featured patients of README, exactly as featured.ts gives them. */
  featured(): DemoPerson[] {
    return FEATURED_PATIENTS.map((f) => ({
      family: f.family, given: f.given, gender: f.gender, birthDate: f.birthDate, ins: f.ins,
      birthPlace: { code: f.birthPlace, name: communeByCode(f.birthPlace)?.name ?? COUNTRIES.find((c) => c.code === f.birthPlace)?.name ?? '' },
    }));
  }
}

const MODES = new WeightedPicker<[string, number]>([['CN', 62], ['PA', 20], ['CS', 8], ['eCN', 4], ['AV', 6]], ([, w]) => w);

export interface RecordOptions {
  readonly id: string;
  readonly status: IdentityStatus;
  readonly attributes?: readonly IdentityAttribute[];
  readonly recorded?: DemoPatient['recorded'];
  readonly duplicateOf?: string;
  readonly errors?: readonly ErrorKind[];
  readonly featured?: boolean;
  readonly usedFamily?: string | null;
  readonly validationMode?: string;
  /** The address, when known already (a duplicate is typed for someone living at the same place). */
  readonly home?: PostalAddress;
}

/** A record of `person` in the information system, with the details a front desk collects. */
export function makeRecord(random: Random, places: PlacePicker, person: DemoPerson, options: RecordOptions): DemoPatient {
  const age = REFERENCE_YEAR - Number(person.birthDate.slice(0, 4));
  const validated = options.status === 'VALI' || options.status === 'QUAL';
  // Minors are often validated on a parent's family booklet (LEP), an accepted equivalent.
  const validationMode = !validated ? undefined : options.validationMode ?? (age < 18 && random.chance(0.5) ? 'LEP' : MODES.pick(random)[0]);
  const married = person.gender === 'female' && age >= 25 && random.chance(0.45);
  const usedFamily = options.usedFamily === null ? undefined : options.usedFamily ?? (married ? random.pick(FAMILY_NAMES) : undefined);
  const usedGiven = person.given.length > 1 && random.chance(0.05) ? person.given[1] : undefined;
  return {
    id: options.id,
    person,
    recorded: options.recorded ?? { family: person.family, given: person.given, birthDate: person.birthDate },
    ...(usedFamily && usedFamily !== person.family ? { usedFamily } : {}),
    ...(usedGiven ? { usedGiven } : {}),
    status: options.status,
    attributes: options.attributes ?? [],
    ...(validationMode ? { validationMode } : {}),
    withIns: options.status === 'RECUP' || options.status === 'QUAL',
    home: options.home ?? streetAddress(random, places.home(random)),
    ...(random.chance(0.8) ? { phone: mobile(random) } : {}),
    ...(options.duplicateOf ? { duplicateOf: options.duplicateOf, errors: options.errors ?? [] } : {}),
    ...(options.featured ? { featured: true } : {}),
  };
}

/** A second record of the same person, typed with one error; undefined when no error fits the person. */
export function duplicateRecord(random: Random, places: PlacePicker, original: DemoPatient, id: string): DemoPatient | undefined {
  const person: Person = {
    birthFamily: original.recorded.family,
    ...(original.usedFamily ? { usedFamily: original.usedFamily } : {}),
    given: original.recorded.given,
    gender: original.person.gender,
    birthDate: original.recorded.birthDate,
    birthPlace: original.person.birthPlace.code,
  };
  for (let attempt = 0; attempt < 10; attempt++) {
    const kind = random.pick(DUPLICATE_ERRORS);
    const varied = applyError(() => random.next(), person, kind);
    if (!varied) continue;
    const recorded = { family: varied.birthFamily.toUpperCase(), given: varied.given, birthDate: varied.birthDate };
    if (JSON.stringify(recorded) === JSON.stringify(original.recorded)) continue;
    // Typed by hand at a front desk, without INSi: a provisional identity.
    return makeRecord(random, places, original.person, {
      id, status: 'PROV', recorded, duplicateOf: original.id, errors: [kind], usedFamily: varied.usedFamily ?? null, home: original.home,
    });
  }
  return undefined;
}
