/**
 * The organisations of the demo region, shaped by the directory's builders
 * (src/directory/fhir-builders.ts, Annuaire Santé as-dp-organization):
 * university and general hospitals as a FINESS legal entity (EJ) with
 * geographical sites (EG) linked by partOf, private clinics and pharmacies
 * (EJ + EG), practices and laboratories known by their SIRET.
 * References: french-ehealth-reference §0, §2.1, §2.4; open-points-resolved §3.
 */
import { buildOrganization, type MailboxMssInput, type OrganizationInput } from '../directory/fhir-builders.js';
import { idNatStructFromFiness, idNatStructFromSiret } from '../directory/identifiers.js';
import { landline, slug, streetAddress } from './addresses.js';
import type { IdentifierFactory } from './identifier-factory.js';
import type { Commune, PlacePicker } from './places.js';
import type { Random } from './random.js';

type Json = Record<string, unknown>;

export type StructureKind = 'chu' | 'ch' | 'clinic' | 'pharmacy' | 'practice' | 'lab';
/** Which professions a practice gathers. */
export type PracticeKind = 'medical' | 'nursing' | 'physiotherapy' | 'dental' | 'midwifery' | 'allied';

/** A place where professionals work: an EG site, a pharmacy, a practice or a laboratory. */
export interface Workplace {
  readonly idNatStruct: string;
  readonly kind: StructureKind;
  readonly practice?: PracticeKind;
  readonly name: string;
  readonly commune: Commune;
  /** Mail domain of the structure's MSSanté mailboxes. */
  readonly domain: string;
}

export interface GeneratedOrganisations {
  /** Organization resources, legal entities before their sites. */
  readonly resources: Json[];
  readonly workplaces: Workplace[];
  /** Mail domains given out: an MSSanté address is a mailbox's key, never shared by two structures. */
  readonly domains: Set<string>;
}

/** TRE_R66 establishment categories (FINESS) used here. */
const CATEGORY = {
  chu: { code: '101', display: 'Centre Hospitalier Régional (C.H.R.)' },
  ch: { code: '355', display: 'Centre Hospitalier (C.H.)' },
  clinic: { code: '365', display: 'Etablissement de Soins Pluridisciplinaire' },
  pharmacy: { code: '620', display: "Pharmacie d'Officine" },
  lab: { code: '611', display: 'Laboratoire de Biologie Médicale' },
} as const;

const CLINIC_NAMES = ['Polyclinique du Parc', 'Clinique Saint-Roch', 'Clinique des Acacias', 'Polyclinique de la Louvière', 'Clinique Saint-Jean', 'Hôpital privé du Littoral', 'Clinique de la Victoire', 'Polyclinique Sainte-Marie'];
const PHARMACY_NAMES = ['Pharmacie de la Gare', 'Pharmacie du Centre', 'Pharmacie de la Mairie', 'Grande Pharmacie', 'Pharmacie du Marché', 'Pharmacie des Écoles', 'Pharmacie du Beffroi', 'Pharmacie Pasteur'];
const PRACTICE_LABELS: Record<PracticeKind, string> = {
  medical: 'Cabinet médical',
  nursing: 'Cabinet infirmier',
  physiotherapy: 'Cabinet de kinésithérapie',
  dental: 'Cabinet dentaire',
  midwifery: 'Cabinet de sage-femme',
  allied: 'Maison de santé pluriprofessionnelle',
};
const PRACTICE_ROTATION: readonly PracticeKind[] = ['medical', 'nursing', 'medical', 'physiotherapy', 'dental', 'allied', 'midwifery', 'medical', 'nursing'];
const HOSPITAL_SITES = ['Hôpital principal', 'Hôpital mère-enfant', 'Institut cœur-poumon', 'Hôpital de jour'];

/** "de Lille", "d'Amiens", "du Quesnoy": French elision and contraction before a commune name. */
export function ofCommune(name: string): string {
  if (/^Le /.test(name)) return `du ${name.slice(3)}`;
  if (/^Les /.test(name)) return `des ${name.slice(4)}`;
  return /^[AEIOUYÉÈÊÂÎÔÛH]/i.test(name) ? `d'${name}` : `de ${name}`;
}

interface Build {
  readonly random: Random;
  readonly ids: IdentifierFactory;
  readonly places: PlacePicker;
  readonly out: GeneratedOrganisations;
}

/** A mail domain made from the structure's name, numbered when another structure has it. */
function mailDomain(build: Build, name: string): string {
  const base = slug(name);
  let domain = `${base}.mssante.fr`;
  for (let n = 2; build.out.domains.has(domain); n++) domain = `${base}-${n}.mssante.fr`;
  build.out.domains.add(domain);
  return domain;
}

function orgMailbox(domain: string, service: string, description: string): MailboxMssInput {
  return { address: `${service}@${domain}`, type: 'ORG', description, service, responsible: 'Direction des systèmes d’information' };
}

function add(build: Build, input: OrganizationInput, workplace?: Omit<Workplace, 'idNatStruct'>): void {
  build.out.resources.push(buildOrganization(input));
  if (workplace) build.out.workplaces.push({ ...workplace, idNatStruct: input.idNatStruct });
}

/** A FINESS legal entity with its sites (EJ + n EG): hospitals, clinics, pharmacies. */
function finessGroup(build: Build, kind: 'chu' | 'ch' | 'clinic' | 'pharmacy', name: string, commune: Commune, siteNames: readonly string[]): number {
  const { random, ids } = build;
  const domain = mailDomain(build, name);
  const legalFiness = ids.finess(commune.department);
  const legal = idNatStructFromFiness(legalFiness);
  const sector = kind === 'chu' || kind === 'ch' ? 'SA01' : undefined;
  const category = CATEGORY[kind];
  add(build, {
    idNatStruct: legal, kind: 'LEGAL-ENTITY', finess: legalFiness, name, siren: kind === 'pharmacy' || kind === 'clinic' ? ids.siren() : undefined,
    sectorCode: sector, address: streetAddress(random, commune), phone: landline(random, commune.region),
    mailboxes: kind === 'pharmacy' ? [] : [orgMailbox(domain, 'direction', `Direction — ${name}`)],
  });
  for (const siteName of siteNames) {
    const siteFiness = ids.finess(commune.department);
    const site = idNatStructFromFiness(siteFiness);
    const fullName = siteNames.length > 1 ? `${name} — ${siteName}` : name;
    add(build, {
      idNatStruct: site, kind: 'GEOGRAPHICAL-ENTITY', finess: siteFiness, name: fullName, partOfIdNatStruct: legal,
      sectorCode: sector, categoryCode: category.code, categoryDisplay: category.display,
      address: streetAddress(random, commune), phone: landline(random, commune.region),
      mailboxes: [orgMailbox(domain, kind === 'pharmacy' ? 'officine' : `accueil.${slug(siteName, '')}`, `Accueil — ${fullName}`)],
    }, { kind, name: fullName, commune, domain });
  }
  return 1 + siteNames.length;
}

/** A practice or a laboratory: one Organization known by its SIRET. */
function siretStructure(build: Build, kind: 'practice' | 'lab', commune: Commune, practice?: PracticeKind): number {
  const { random, ids } = build;
  const name = kind === 'lab'
    ? `Laboratoire de biologie médicale ${commune.name}`
    : `${PRACTICE_LABELS[practice ?? 'medical']} ${random.pick(['du Centre', 'de la Gare', 'des Tilleuls', 'Pasteur', 'du Parc', 'Saint-Michel', 'Jean-Jaurès'])}`;
  const siret = ids.siret();
  const idNatStruct = idNatStructFromSiret(siret);
  const domain = mailDomain(build, `${name} ${commune.name}`);
  const category = kind === 'lab' ? CATEGORY.lab : undefined;
  add(build, {
    idNatStruct, kind: 'GEOGRAPHICAL-ENTITY', siret, name: `${name} — ${commune.name}`,
    sectorCode: kind === 'practice' ? (practice === 'allied' ? 'SA08' : 'SA07') : undefined,
    categoryCode: category?.code, categoryDisplay: category?.display,
    address: streetAddress(random, commune), phone: landline(random, commune.region),
    mailboxes: kind === 'lab' ? [orgMailbox(domain, 'resultats', `Résultats — ${name}`)] : [],
  }, { kind, ...(practice ? { practice } : {}), name: `${name} — ${commune.name}`, commune, domain });
  return 1;
}

/**
 * Generates about `count` Organization resources (never more): a university
 * hospital in the region's largest city, a general hospital per department, a
 * second university hospital, then clinics, pharmacies, practices and
 * laboratories in turn.
 */
export function generateOrganisations(random: Random, ids: IdentifierFactory, places: PlacePicker, count: number): GeneratedOrganisations {
  const build: Build = { random, ids, places, out: { resources: [], workplaces: [], domains: new Set() } };
  const region = places.region;
  const biggest = region.communes.slice(0, 2);
  const plans: (() => number)[] = [];
  const [first, second] = biggest;
  if (first) plans.push(() => finessGroup(build, 'chu', `Centre hospitalier universitaire ${ofCommune(first.name)}`, first, HOSPITAL_SITES.slice(0, 3)));
  for (const department of region.departments) {
    const town = region.communes.find((c) => c.department === department.code && c !== first && c !== second);
    if (town) plans.push(() => finessGroup(build, 'ch', `Centre hospitalier ${ofCommune(town.name)}`, town, ['Site principal']));
  }
  if (second) plans.push(() => finessGroup(build, 'chu', `Centre hospitalier universitaire ${ofCommune(second.name)}`, second, HOSPITAL_SITES.slice(0, 2)));
  let made = 0;
  const cost = { clinic: 2, pharmacy: 2, practice: 1, lab: 1 };
  const rotation = ['pharmacy', 'practice', 'practice', 'clinic', 'pharmacy', 'practice', 'lab', 'practice', 'pharmacy', 'practice'] as const;
  for (const plan of plans) {
    if (made + 2 > count) break;
    made += plan();
  }
  for (let turn = 0; made < count; turn++) {
    const kind = rotation[turn % rotation.length] as (typeof rotation)[number];
    if (made + cost[kind] > count) {
      if (made + 1 > count) break;
      made += siretStructure(build, 'practice', places.home(random), 'medical');
      continue;
    }
    const town = places.town(random);
    if (kind === 'clinic') made += finessGroup(build, 'clinic', `${random.pick(CLINIC_NAMES)} (${town.name})`, town, ['Site principal']);
    else if (kind === 'pharmacy') made += finessGroup(build, 'pharmacy', `${random.pick(PHARMACY_NAMES)} — ${town.name}`, town, ['Officine']);
    else if (kind === 'lab') made += siretStructure(build, 'lab', town);
    else made += siretStructure(build, 'practice', places.home(random), PRACTICE_ROTATION[turn % PRACTICE_ROTATION.length]);
  }
  return build.out;
}

/**
 * The workplace a featured professional works at: one of the right kind in
 * the commune when the region has it, else a new one there (so README's
 * people always exist, whatever the sizes).
 */
export function workplaceIn(build: { random: Random; ids: IdentifierFactory; places: PlacePicker; out: GeneratedOrganisations },
  commune: Commune, kinds: readonly StructureKind[], practice: PracticeKind): Workplace {
  const found = build.out.workplaces.find((w) => w.commune.code === commune.code && kinds.includes(w.kind) && (w.kind !== 'practice' || w.practice === practice));
  if (found) return found;
  const before = build.out.workplaces.length;
  if (kinds.includes('pharmacy')) finessGroup(build, 'pharmacy', `Pharmacie du Centre — ${commune.name}`, commune, ['Officine']);
  else siretStructure(build, 'practice', commune, practice);
  return build.out.workplaces[before] as Workplace;
}
