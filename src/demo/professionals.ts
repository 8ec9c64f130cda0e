/**
 * The professionals of the demo directory: every common profession (TRE_G15)
 * and, for physicians, several specialties; an RPPS with its Luhn key and the
 * idNat_PS "8" + RPPS; one PractitionerRole linking each to the workplace
 * where they practise (profession, mode of exercise, pharmacist section); a
 * personal MSSanté mailbox (PER) for many. The featured professionals README
 * lists come first, exactly as src/demo/featured.ts describes them.
 */
import { buildPractitioner, buildPractitionerRole, type MailboxMssInput } from '../directory/fhir-builders.js';
import { idNatPsFromRpps } from '../directory/identifiers.js';
import { FEATURED_PROFESSIONALS, type FeaturedProfessional } from './featured.js';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './names.js';
import { workplaceIn, type GeneratedOrganisations, type StructureKind, type Workplace } from './organisations.js';
import { communeByCode, type PlacePicker } from './places.js';
import { PROFESSIONS, SPECIALTIES, professionByCode, type ProfessionSpec } from './professions.js';
import { WeightedPicker, type Random } from './random.js';
import { slug } from './addresses.js';
import type { IdentifierFactory } from './identifier-factory.js';

type Json = Record<string, unknown>;

export interface GeneratedProfessionals {
  readonly practitioners: Json[];
  readonly roles: Json[];
}

interface Context {
  readonly random: Random;
  readonly ids: IdentifierFactory;
  readonly places: PlacePicker;
  readonly out: GeneratedOrganisations;
  readonly mailboxes: Set<string>;
  readonly result: GeneratedProfessionals;
}

const HOSPITALS: readonly StructureKind[] = ['chu', 'ch', 'clinic'];
/** Professions mostly practised by women (DREES orders of magnitude), for realistic first names. */
const FEMALE_SHARE: Readonly<Record<string, number>> = { '60': 0.87, '50': 0.97, '91': 0.96, '92': 0.9, '95': 0.9, '96': 0.85, '31': 0.95 };

/** A personal mailbox address, unique in the demo: given.family@domain, numbered on collision. */
function personalMailbox(context: Context, given: string, family: string, domain: string): MailboxMssInput {
  const base = `${slug(given, '.')}.${slug(family, '.')}`;
  let address = `${base}@${domain}`;
  for (let n = 2; context.mailboxes.has(address); n++) address = `${base}${n}@${domain}`;
  context.mailboxes.add(address);
  return { address, type: 'PER', rank: 1 };
}

/** Where a professional of `spec` works: a hospital site with the profession's hospital share, else a practice of the right kind. */
function chooseWorkplace(context: Context, spec: ProfessionSpec, hospital: boolean): Workplace | undefined {
  const all = context.out.workplaces;
  const allowed = all.filter((w) => spec.workplaces.includes(w.kind));
  const inHospital = allowed.filter((w) => HOSPITALS.includes(w.kind));
  const outside = allowed.filter((w) => !HOSPITALS.includes(w.kind));
  const rightPractice = outside.filter((w) => w.kind !== 'practice' || w.practice === spec.practice);
  const pool = hospital && inHospital.length > 0 ? inHospital
    : rightPractice.length > 0 ? rightPractice
      : outside.length > 0 ? outside
        : allowed.length > 0 ? allowed : all;
  return pool.length > 0 ? context.random.pick(pool) : undefined;
}

function addProfessional(context: Context, person: {
  rpps: string; family: string; given: string; spec: ProfessionSpec; specialtyCode?: string; mailbox: boolean; workplace: Workplace | undefined;
}): void {
  const { spec, workplace } = person;
  const idNatPs = idNatPsFromRpps(person.rpps);
  const mailboxes = person.mailbox ? [personalMailbox(context, person.given, person.family, spec.domain)] : [];
  context.result.practitioners.push(buildPractitioner({
    idNatPs, rpps: person.rpps, family: person.family, given: person.given, practiceCivility: spec.civility,
    professionCode: spec.code, professionDisplay: spec.label, specialtyCode: person.specialtyCode, mailboxes,
  }));
  const salaried = workplace !== undefined && HOSPITALS.includes(workplace.kind);
  context.result.roles.push(buildPractitionerRole({
    idNatPs,
    organizationIdNatStruct: workplace?.idNatStruct,
    professionCode: spec.code,
    modeCode: salaried ? 'S' : 'L',
    // TRE_G05 sections of the pharmacists' roll: A owners of a pharmacy, H hospital, G medical biology.
    pharmacistSection: spec.code === '21' ? (workplace?.kind === 'pharmacy' ? 'A' : workplace?.kind === 'lab' ? 'G' : 'H') : undefined,
    mailboxes,
  }));
}

function addFeatured(context: Context, featured: FeaturedProfessional): void {
  const spec = professionByCode(featured.professionCode);
  const commune = communeByCode(featured.communeCode);
  const specialty = SPECIALTIES.find((s) => s.code === featured.specialtyCode);
  const kinds: readonly StructureKind[] = specialty?.hospital || spec.code === '50' ? ['chu', 'ch', 'clinic'] : spec.code === '21' ? ['pharmacy'] : ['practice'];
  const workplace = commune ? workplaceIn(context, commune, kinds, spec.practice) : undefined;
  addProfessional(context, {
    rpps: featured.rpps, family: featured.family, given: featured.given, spec,
    ...(featured.specialtyCode ? { specialtyCode: featured.specialtyCode } : {}), mailbox: true, workplace,
  });
}

/**
 * The featured professionals, then `count` generated ones: one of each
 * profession first (so that every profession is present from a small size),
 * then drawn by weight.
 */
export function generateProfessionals(
  random: Random, ids: IdentifierFactory, places: PlacePicker, organisations: GeneratedOrganisations, count: number,
): GeneratedProfessionals {
  const context: Context = { random, ids, places, out: organisations, mailboxes: new Set(), result: { practitioners: [], roles: [] } };
  for (const featured of FEATURED_PROFESSIONALS) addFeatured(context, featured);
  const professions = new WeightedPicker(PROFESSIONS, (p) => p.weight);
  const specialties = new WeightedPicker(SPECIALTIES, (s) => s.weight);
  for (let i = 0; i < count; i++) {
    const spec = i < PROFESSIONS.length ? (PROFESSIONS[i] as ProfessionSpec) : professions.pick(random);
    const female = random.chance(FEMALE_SHARE[spec.code] ?? 0.55);
    const given = random.pick(female ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES);
    const family = random.pick(FAMILY_NAMES);
    const specialty = spec.code === '10' ? specialties.pick(random) : undefined;
    const hospital = specialty ? specialty.hospital && random.chance(0.8) : random.chance(spec.hospitalShare);
    addProfessional(context, {
      rpps: ids.rpps(), family, given, spec, ...(specialty ? { specialtyCode: specialty.code } : {}),
      mailbox: random.chance(0.55), workplace: chooseWorkplace(context, spec, hospital),
    });
  }
  return context.result;
}

/** RPPS numbers the generator must not hand out again (the featured ones). */
export const FEATURED_RPPS: readonly string[] = FEATURED_PROFESSIONALS.map((p) => p.rpps);
