/**
 * Builders of the directory's FHIR resources, shaped after the Annuaire Santé
 * profiles (https://interop.esante.gouv.fr/ig/fhir/annuaire: as-dp-practitioner,
 * as-dp-practitionerrole, as-dp-organization, the as-mailbox-mss datatype) and
 * FR Core. Pure functions: the import, the demo data and tests share them, and
 * the same input always gives the same resource (so a re-import is a no-op).
 */
import { buildAddress, type AddressInput } from './address.js';
import { CODE_SYSTEM, DIRECTORY_SOURCE, EXTENSION, FR_CORE_PROFILE, PROFILE, professionSystem, SAVOIR_FAIRE_SYSTEMS, type DataSource } from './code-systems.js';
import { organizationId, practitionerId, practitionerRoleId, rppsOfIdNatPs, SYSTEM } from './identifiers.js';

type Json = Record<string, unknown>;

export type MailboxType = 'PER' | 'ORG' | 'APP' | 'CAB';

export interface MailboxMssInput {
  readonly address: string;
  readonly type: MailboxType;
  readonly description?: string;
  readonly service?: string;
  /**
   * Operational owner. Never published: the as-dp profiles forbid it
   * (telecom[mailbox-mss]…extension[responsible] 0..0, restricted data), and
   * every resource built here claims an as-dp profile.
   */
  readonly responsible?: string;
  readonly listeRouge?: boolean;
  readonly rank?: number;
}

export interface SavoirFaireInput {
  /** TRE_R04 type: S (ordinal specialty), C, CEX, CAPA… */
  readonly type: string;
  readonly code: string;
  readonly display?: string;
}

export interface PractitionerInput {
  readonly idNatPs: string;
  /** Taken from idNat_PS when omitted and the idNat_PS is an RPPS one. */
  readonly rpps?: string;
  readonly family: string;
  readonly given?: string;
  /** Practice civility (TRE_R11: DR, PR…), written as name.suffix as FR Core and the Annuaire Santé map it (civiliteExercice). */
  readonly practiceCivility?: string;
  /** Civility (TRE_R81: M, MME…), written as name.prefix as the Annuaire's DP examples publish it. */
  readonly civility?: string;
  /** Profession code, e.g. "10" physician, "93" psychologist: written in the code system JDV_J106 gives it (TRE_G15, R95, R94, R291). */
  readonly professionCode: string;
  readonly professionDisplay?: string;
  /** TRE_R09 category, "C" civil by default. */
  readonly professionCategory?: string;
  /** One savoir-faire; shorthand for `savoirFaire: [{ type: specialtyType ?? 'S', code: specialtyCode }]`. */
  readonly specialtyCode?: string;
  readonly specialtyType?: string;
  readonly savoirFaire?: readonly SavoirFaireInput[];
  readonly mailboxes?: readonly MailboxMssInput[];
  readonly active?: boolean;
  /** The extract the resource is built from; none for resources built otherwise (demo data). */
  readonly dataTrace?: DataTraceInput;
}

export type { AddressInput, AddressLine, AddressLineParts } from './address.js';

/** Where the data comes from (as-ext-data-trace): the source system and, when it publishes one, its last update date (YYYY-MM-DD). */
export interface DataTraceInput {
  readonly system: DataSource;
  readonly updatedOn?: string;
}

export interface OrganizationInput {
  readonly idNatStruct: string;
  readonly name?: string;
  /** Other names (as-organization: the enseigne, the long name); one equal to `name` is left out. */
  readonly alias?: readonly string[];
  /** FHIR FR Core organization type: legal entity (EJ) or geographical entity (EG, site). */
  readonly kind: 'LEGAL-ENTITY' | 'GEOGRAPHICAL-ENTITY';
  readonly finess?: string;
  readonly siret?: string;
  readonly siren?: string;
  /** TRE_R02 activity sector, e.g. SA01. */
  readonly sectorCode?: string;
  /** TRE_R66 establishment category (FINESS categetab). */
  readonly categoryCode?: string;
  readonly categoryDisplay?: string;
  /** TRE_R73 participation in the public hospital service (FINESS codesph), as-organization type[sphParticipation]. */
  readonly sphParticipationCode?: string;
  readonly sphParticipationDisplay?: string;
  /** idNat_Struct of the legal entity a site belongs to. */
  readonly partOfIdNatStruct?: string;
  /** The RPPS "Identifiant technique de la structure" (rppsrang, typed RPPSRG, as as-organization slices identifier[rppsRang]). */
  readonly technicalId?: string;
  /** Opening date (FINESS dateouv), YYYY-MM-DD: the start of the organization-period extension. */
  readonly openedOn?: string;
  readonly address?: AddressInput;
  readonly phone?: string;
  readonly fax?: string;
  readonly email?: string;
  readonly mailboxes?: readonly MailboxMssInput[];
  readonly active?: boolean;
  /** The extract the resource is built from; none for resources built otherwise (demo data). */
  readonly dataTrace?: DataTraceInput;
}

export interface PractitionerRoleInput {
  readonly idNatPs: string;
  readonly organizationIdNatStruct?: string;
  readonly professionCode: string;
  /** TRE_R23 mode of exercise: L liberal, S salaried, B volunteer. */
  readonly modeCode?: string;
  /** TRE_R21 function, e.g. FON-AU. */
  readonly functionCode?: string;
  readonly pharmacistSection?: string;
  /** TRE_R22 activity genre, e.g. GENR01. */
  readonly activityGenreCode?: string;
  readonly mailboxes?: readonly MailboxMssInput[];
  readonly active?: boolean;
  /** The extract the resource is built from; none for resources built otherwise (demo data). */
  readonly dataTrace?: DataTraceInput;
}

const coding = (system: string, code: string, display?: string): Json => (display ? { system, code, display } : { system, code });
const typeCoding = (code: string): Json => ({ coding: [coding(SYSTEM.identifierType, code)] });
/**
 * as-ext-data-trace: the source system (systeme-information) and its update date (date-maj-ae). The
 * registration authority (autorite-enregistrement) is left out: its value set (JDV_J83) names an ARS by
 * region or an order, which the extracts' "Autorité d'enregistrement" column (ARS/ARS/ARS) does not say.
 */
function dataTraceExtension(trace: DataTraceInput): Json {
  const extension: Json[] = [{ url: 'systeme-information', valueCode: trace.system }];
  if (trace.updatedOn) extension.push({ url: 'date-maj-ae', valueDate: trace.updatedOn });
  return { url: EXTENSION.dataTrace, extension };
}

/**
 * The as-dp profile and the FR Core one it requires (meta.profile[fr-canonical] 1..1); the data trace in
 * meta.extension, where the DP profiles' rule set rs-as-core slices it.
 */
const meta = (profile: string, frCoreProfile: string, trace: DataTraceInput | undefined): Json => ({
  ...(trace ? { extension: [dataTraceExtension(trace)] } : {}),
  profile: [profile, frCoreProfile],
  source: DIRECTORY_SOURCE,
});

/** Where a mailbox is published: as-dp-practitioner also forbids its `listeRouge` (0..0), which the other DP profiles allow. */
export type MailboxHolder = 'Practitioner' | 'PractitionerRole' | 'Organization';

/**
 * An as-mailbox-mss ContactPoint as the public profiles publish it: email + fr-core email type MSSANTE + Annuaire
 * mailbox metadata (TRE_R257 type), without `responsible` (0..0 in every DP profile), and without `listeRouge`
 * on a Practitioner (as-dp-practitioner: 0..0).
 */
export function buildMailboxMss(input: MailboxMssInput, holder: MailboxHolder = 'Organization'): Json {
  const metadata: Json[] = [{ url: 'type', valueCodeableConcept: { coding: [coding(CODE_SYSTEM.mailboxType, input.type)] } }];
  if (input.description) metadata.push({ url: 'description', valueString: input.description });
  if (input.service) metadata.push({ url: 'service', valueString: input.service });
  if (input.listeRouge !== undefined && holder !== 'Practitioner') metadata.push({ url: 'listeRouge', valueBoolean: input.listeRouge });
  return {
    extension: [
      { url: EXTENSION.emailType, valueCoding: coding(CODE_SYSTEM.messagingType, 'MSSANTE') },
      { url: EXTENSION.mailboxMetadata, extension: metadata },
    ],
    system: 'email',
    value: input.address,
    ...(input.rank !== undefined ? { rank: input.rank } : {}),
  };
}

/** Mailboxes in liste rouge are not published (reference §5): they are left out of the public resources. */
export function publishedMailboxes(mailboxes: readonly MailboxMssInput[] | undefined, holder: MailboxHolder): Json[] {
  return (mailboxes ?? []).filter((m) => m.listeRouge !== true).map((m) => buildMailboxMss(m, holder));
}

function savoirFaireQualification(input: SavoirFaireInput): Json {
  const system = SAVOIR_FAIRE_SYSTEMS[input.type];
  return {
    code: {
      coding: [
        coding(CODE_SYSTEM.savoirFaireType, input.type),
        system ? coding(system, input.code, input.display) : { code: input.code, ...(input.display ? { display: input.display } : {}) },
      ],
    },
  };
}

/** The Practitioner of one professional (as-dp-practitioner: idNatPs + rpps, exercicePro and savoirFaire qualifications). */
export function buildPractitioner(input: PractitionerInput): Json {
  const rpps = input.rpps ?? rppsOfIdNatPs(input.idNatPs);
  const identifier: Json[] = [{ use: 'official', type: typeCoding('IDNPS'), system: SYSTEM.idNatPs, value: input.idNatPs }];
  if (rpps) identifier.push({ use: 'official', type: typeCoding('RPPS'), system: SYSTEM.rpps, value: rpps });
  const name: Json = { use: 'usual', family: input.family };
  if (input.given) name.given = [input.given];
  if (input.civility) name.prefix = [input.civility];
  if (input.practiceCivility) name.suffix = [input.practiceCivility];
  // One exercicePro (FR Core's fr-core-practitioner and the Annuaire's as-practitioner: qualification[exercicePro] 0..1).
  const qualification: Json[] = [{
    code: {
      coding: [
        coding(professionSystem(input.professionCode), input.professionCode, input.professionDisplay),
        coding(CODE_SYSTEM.professionCategory, input.professionCategory ?? 'C'),
      ],
    },
  }];
  const savoirFaire = [...(input.savoirFaire ?? [])];
  if (input.specialtyCode) savoirFaire.unshift({ type: input.specialtyType ?? 'S', code: input.specialtyCode });
  const seen = new Set<string>();
  for (const sf of savoirFaire) {
    const key = `${sf.type}|${sf.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    qualification.push(savoirFaireQualification(sf));
  }
  const telecom = publishedMailboxes(input.mailboxes, 'Practitioner');
  return {
    resourceType: 'Practitioner',
    id: practitionerId(input.idNatPs),
    meta: meta(PROFILE.practitioner, FR_CORE_PROFILE.practitioner, input.dataTrace),
    identifier,
    active: input.active ?? true,
    name: [name],
    ...(telecom.length > 0 ? { telecom } : {}),
    qualification,
  };
}

/**
 * One Organization.type slice of as-organization. The slices organizationType, secteurActiviteRASS, sphParticipation (and
 * statutJuridiqueINSEE, typeEtablissement) carry as-ext-organization-types naming them, from
 * as-vs-organization-types (required); categorieEtablissementRASS has no such extension, and the value set no code for it.
 */
function organizationType(slice: 'organizationType' | 'secteurActiviteRASS' | 'sphParticipation' | undefined, code: string, system: string, display?: string): Json {
  return { ...(slice ? { extension: [{ url: EXTENSION.organizationTypes, valueCode: slice }] } : {}), coding: [coding(system, code, display)] };
}

/** The Organization of a structure (as-dp-organization): idNatSt (+ FINESS, SIRET, SIREN), EJ/EG type, partOf the legal entity. */
export function buildOrganization(input: OrganizationInput): Json {
  const identifier: Json[] = [{ use: 'official', type: typeCoding('IDNST'), system: SYSTEM.idNatStruct, value: input.idNatStruct }];
  if (input.finess) identifier.push({ use: 'official', type: typeCoding(input.kind === 'LEGAL-ENTITY' ? 'FINEJ' : 'FINEG'), system: SYSTEM.finess, value: input.finess });
  if (input.siret) identifier.push({ use: 'official', type: typeCoding('SIRET'), system: SYSTEM.sirene, value: input.siret });
  if (input.siren) identifier.push({ use: 'official', type: typeCoding('SIREN'), system: SYSTEM.sirene, value: input.siren });
  if (input.technicalId) identifier.push({ use: 'official', type: typeCoding('RPPSRG'), system: SYSTEM.rppsRang, value: input.technicalId });
  const type: Json[] = [organizationType('organizationType', input.kind, CODE_SYSTEM.organizationType)];
  if (input.sectorCode) type.push(organizationType('secteurActiviteRASS', input.sectorCode, CODE_SYSTEM.activitySector));
  if (input.categoryCode) type.push(organizationType(undefined, input.categoryCode, CODE_SYSTEM.establishmentCategory, input.categoryDisplay));
  if (input.sphParticipationCode) {
    type.push(organizationType('sphParticipation', input.sphParticipationCode, CODE_SYSTEM.sphParticipation, input.sphParticipationDisplay));
  }
  const telecom: Json[] = [];
  if (input.phone) telecom.push({ system: 'phone', value: input.phone });
  if (input.fax) telecom.push({ system: 'fax', value: input.fax });
  if (input.email) telecom.push({ system: 'email', value: input.email });
  telecom.push(...publishedMailboxes(input.mailboxes, 'Organization'));
  const alias = (input.alias ?? []).filter((a, i, all) => a !== '' && a !== input.name && all.indexOf(a) === i);
  return {
    resourceType: 'Organization',
    id: organizationId(input.idNatStruct),
    meta: meta(PROFILE.organization, FR_CORE_PROFILE.organization, input.dataTrace),
    ...(input.openedOn ? { extension: [{ url: EXTENSION.organizationPeriod, valuePeriod: { start: input.openedOn } }] } : {}),
    identifier,
    active: input.active ?? true,
    type,
    ...(input.name ? { name: input.name } : {}),
    ...(alias.length > 0 ? { alias } : {}),
    ...(telecom.length > 0 ? { telecom } : {}),
    ...(input.address ? { address: [buildAddress(input.address)] } : {}),
    ...(input.partOfIdNatStruct ? { partOf: { reference: `Organization/${organizationId(input.partOfIdNatStruct)}` } } : {}),
  };
}

/**
 * The PractitionerRole of one practice situation (as-dp-practitionerrole),
 * identified by idSituationExercice: its code carries the profession
 * (JDV_J106: TRE_G15, or TRE_R95, R94, R291), the activity genre (TRE_R22), the mode of exercise (TRE_R23),
 * the function (TRE_R21) and the pharmacist's section (TRE_G05), so that
 * `role` finds it by any of them.
 */
export function buildPractitionerRole(input: PractitionerRoleInput): Json {
  const codes: Json[] = [{ coding: [coding(professionSystem(input.professionCode), input.professionCode)] }];
  if (input.activityGenreCode) codes.push({ coding: [coding(CODE_SYSTEM.activityGenre, input.activityGenreCode)] });
  if (input.modeCode) codes.push({ coding: [coding(CODE_SYSTEM.exerciseMode, input.modeCode)] });
  if (input.functionCode) codes.push({ coding: [coding(CODE_SYSTEM.function, input.functionCode)] });
  if (input.pharmacistSection) codes.push({ coding: [coding(CODE_SYSTEM.pharmacistSection, input.pharmacistSection)] });
  // as-dp-practitionerrole closes telecom to the MSSanté mailboxes (the structure's phone and e-mail are on its
  // Organization) and sets specialty 0..0 (the activity sector is in the Organization's type).
  const telecom = publishedMailboxes(input.mailboxes, 'PractitionerRole');
  const id = practitionerRoleId(input.idNatPs, input.organizationIdNatStruct, input.professionCode, input.modeCode);
  return {
    resourceType: 'PractitionerRole',
    id,
    meta: meta(PROFILE.practitionerRole, FR_CORE_PROFILE.practitionerRole, input.dataTrace),
    // identifier[idSituationExercice] 1..1 (system fixed to https://rpps.esante.gouv.fr). The RPPS's own
    // situation number is not in the public extracts, so the value is the situation's key (professional,
    // structure, profession, mode), the same as the id: stable across re-imports, unique per situation.
    identifier: [{ system: SYSTEM.rpps, value: id }],
    active: input.active ?? true,
    practitioner: { reference: `Practitioner/${practitionerId(input.idNatPs)}` },
    ...(input.organizationIdNatStruct ? { organization: { reference: `Organization/${organizationId(input.organizationIdNatStruct)}` } } : {}),
    code: codes,
    ...(telecom.length > 0 ? { telecom } : {}),
  };
}
