/**
 * The ANS code systems the directory resources use (NOS canonicals, reference
 * §2.2, §2.4 and §8), and the profiles they claim.
 * Savoir-faire types map to the code system of their codes as JDV_J107 groups
 * them (TRE_R38 ordinal specialties, TRE_R39 competences, …).
 */
import { PROFESSION_SYSTEM, professionSystem } from '../core/profession-systems.js';

const nos = (tre: string): string => {
  const [code, name] = tre.split('-', 2) as [string, string];
  return `https://mos.esante.gouv.fr/NOS/${tre}/FHIR/${code.replace('_', '-')}-${name}`;
};

export const CODE_SYSTEM = {
  /** Health professions; the few professions JDV_J106 takes from other systems are in core/profession-systems.ts ({@link professionSystem}). */
  profession: PROFESSION_SYSTEM.health,
  /** Professions whose title only is regulated (ostéopathe, psychothérapeute, chiropracteur, psychologue, conseiller en génétique). */
  professionTitle: PROFESSION_SYSTEM.title,
  /** Social professions (assistant de service social). */
  professionSocial: PROFESSION_SYSTEM.social,
  /** Other professions (99: an actor characterised by a role). */
  professionOther: PROFESSION_SYSTEM.other,
  professionCategory: nos('TRE_R09-CategorieProfessionnelle'),
  savoirFaireType: nos('TRE_R04-TypeSavoirFaire'),
  exerciseMode: nos('TRE_R23-ModeExercice'),
  function: nos('TRE_R21-Fonction'),
  activitySector: nos('TRE_R02-SecteurActivite'),
  /** "Code section tableau pharmaciens" (A: pharmacien titulaire d'officine…): TRE_G05, one of JDV_J73's systems. */
  pharmacistSection: nos('TRE_G05-SousSectionTableauCNOP'),
  /** "Code genre activité" (GENR01…), as-practitionerrole's code[genreActivite] (JDV_J94). */
  activityGenre: nos('TRE_R22-GenreActivite'),
  establishmentCategory: nos('TRE_R66-CategorieEtablissement'),
  /** FINESS codesph: participation in the public hospital service (JDV_J162, as-organization type[sphParticipation]). */
  sphParticipation: nos('TRE_R73-ESPIC'),
  commune: nos('TRE_R13-Commune'),
  civility: nos('TRE_R81-Civilite'),
  practiceCivility: nos('TRE_R11-CiviliteExercice'),
  messagingType: nos('TRE_R256-TypeMessagerie'),
  mailboxType: nos('TRE_R257-TypeBAL'),
  organizationType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-3307',
} as const;

/** The code system of a profession code as JDV_J106 gives it; shared with the Pro Santé Connect claims (core). */
export { professionSystem };

/**
 * Savoir-faire type code (TRE_R04: C, CAPA, CEX, CM, DEC, DNQ, FQ, OP, PAC, S, SH, SST) → code system of its
 * codes, as JDV_J107-EnsembleSavoirFaire-RASS groups them. SH (concours hospitalier) has none in JDV_J107.
 */
export const SAVOIR_FAIRE_SYSTEMS: Readonly<Record<string, string>> = {
  S: nos('TRE_R38-SpecialiteOrdinale'),
  C: nos('TRE_R39-Competence'),
  CEX: nos('TRE_R40-CompetenceExclusive'),
  DNQ: nos('TRE_R42-DESCnonQualifiant'),
  CAPA: nos('TRE_R43-CapaciteSavoirFaire'),
  PAC: nos('TRE_R44-QualificationPAC'),
  FQ: nos('TRE_R45-FonctionQualifiee'),
  DEC: nos('TRE_R97-DroitExerciceCompl'),
  OP: nos('TRE_G13-OrientationParticuliere'),
  SST: nos('TRE_R359-SurspecialiteTransversale'),
  CM: 'https://smt.esante.gouv.fr/fhir/CodeSystem/tre-r394-competence-metier',
};

const ANNUAIRE = 'https://interop.esante.gouv.fr/ig/fhir/annuaire';

export const PROFILE = {
  practitioner: `${ANNUAIRE}/StructureDefinition/as-dp-practitioner`,
  practitionerRole: `${ANNUAIRE}/StructureDefinition/as-dp-practitionerrole`,
  organization: `${ANNUAIRE}/StructureDefinition/as-dp-organization`,
} as const;

const FR_CORE = 'https://hl7.fr/ig/fhir/core/StructureDefinition';

/**
 * The FR Core profile each as-dp profile requires beside its own
 * (meta.profile[fr-canonical] 1..1). FR Core fixes that slice to its
 * canonical pinned to its version, and the Annuaire guide's DP examples write
 * it so ("…/fr-core-practitioner|2.2.0", the FR Core release the guide builds
 * on): an unversioned URL would not match the slice. as-organization derives
 * from fr-core-organization-etablissement, which keeps fr-core-organization's
 * slice, hence fr-core-organization.
 */
export const FR_CORE_PROFILE = {
  practitioner: `${FR_CORE}/fr-core-practitioner|2.2.0`,
  practitionerRole: `${FR_CORE}/fr-core-practitioner-role|2.2.0`,
  organization: `${FR_CORE}/fr-core-organization|2.2.0`,
} as const;

export const EXTENSION = {
  mailboxMetadata: `${ANNUAIRE}/StructureDefinition/as-ext-mailbox-mss-metadata`,
  organizationTypes: `${ANNUAIRE}/StructureDefinition/as-ext-organization-types`,
  /** The data's origin (rule set rs-as-core: meta.extension of every DP profile). */
  dataTrace: `${ANNUAIRE}/StructureDefinition/as-ext-data-trace`,
  /** A line's lieu-dit (as-address-extended's slice lieuDit). */
  lieuDit: `${ANNUAIRE}/StructureDefinition/as-ext-lieu-dit`,
  emailType: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type',
  inseeCode: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code',
  /** R4's own extension, as the Annuaire's public examples date an organisation's opening with it. */
  organizationPeriod: 'http://hl7.org/fhir/StructureDefinition/organization-period',
} as const;

/** Where resources loaded from the national extracts say they come from (meta.source, fixed by rs-as-core). */
export const DIRECTORY_SOURCE = 'https://annuaire.esante.gouv.fr';

/**
 * The information system an extract comes from, as as-ext-data-trace's
 * systeme-information names it (as-cs-type-systeme-information: RPPS, FINESS, CG):
 * personne-activité is the RPPS's, the etalab establishment file FINESS's.
 */
export type DataSource = 'RPPS' | 'FINESS';

/** The public profile of an authorised care activity (its ARHGOS number 1..1), and the generic one it derives from. */
export const PROFILE_HEALTHCARE_ACTIVITY = `${ANNUAIRE}/StructureDefinition/as-dp-healthcareservice-healthcare-activity`;
export const PROFILE_HEALTHCARE_ACTIVITY_GENERIC = `${ANNUAIRE}/StructureDefinition/as-healthcareservice-healthcare-activity`;
