/**
 * FR Core names for patient identities (https://hl7.fr/ig/fhir/core,
 * fr-core-patient and fr-core-patient-ins) and reading the five INS traits
 * out of a Patient. Reference §0 and §1.1–1.3.
 */

export const INS_SYSTEMS = {
  NIR: 'urn:oid:1.2.250.1.213.1.4.8',
  NIA: 'urn:oid:1.2.250.1.213.1.4.9',
  TEST: 'urn:oid:1.2.250.1.213.1.4.10',
  DEMO: 'urn:oid:1.2.250.1.213.1.4.11',
} as const;

/**
 * The obsolete computed INS (INS-C, fr-core-patient's slice INS-C, use
 * secondary, type fr-core-v2-0203#INS-C): derived from a Vitale card's data,
 * never issued by INSi, replaced by the INS; FR Core still lets records carry
 * it (reference §0: "secondary; never create"). Never an INS.
 */
export const INS_C_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.2';
export const IDENTIFIER_TYPE_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';
export const BIRTH_LIST_GIVEN_NAME = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name';
export const BIRTH_PLACE = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
export const INSEE_CODE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code';
export const IDENTITY_RELIABILITY = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability';
export const IDENTITY_STATUS_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-identity-status';
export const IDENTITY_STATUS_COMMENT_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-identity-status-comment';
/** FR Core's CodeSystem ids fr-core-cs-method-collection and fr-core-cs-mode-validation-identity. */
export const METHOD_COLLECTION_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-method-collection';
export const VALIDATION_MODE_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-mode-validation-identity';
export const PATIENT_INS_PROFILE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins';
export const PATIENT_PROFILE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient';

export type IdentityStatus = 'PROV' | 'VALI' | 'RECUP' | 'QUAL';

/** The five INS traits (§1.1): birth name, birth first names, sex, birth date, INSEE birth place. */
export interface InsTraits {
  readonly family: string;
  /** Birth first names in order; the first one is the "premier prénom de naissance". */
  readonly given: readonly string[];
  readonly gender: 'male' | 'female' | 'unknown' | 'other';
  /** YYYY-MM-DD */
  readonly birthDate: string;
  /** INSEE code (COG) of the birth commune, or 99xxx for a country. */
  readonly birthPlace?: string;
}

type Json = Record<string, unknown>;

function extensions(value: unknown): Json[] {
  const list = (value as { extension?: unknown } | undefined)?.extension;
  return Array.isArray(list) ? (list as Json[]) : [];
}

function extension(value: unknown, url: string): Json | undefined {
  return extensions(value).find((e) => e.url === url);
}

/** The official name's traits, with the birth-list extension when present; undefined when a trait is missing. */
export function traitsOf(patient: Json): InsTraits | undefined {
  const names = Array.isArray(patient.name) ? (patient.name as Json[]) : [];
  const official = names.find((n) => n.use === 'official') ?? names[0];
  if (!official || typeof official.family !== 'string' || typeof patient.birthDate !== 'string') return undefined;
  const listed = extension(official, BIRTH_LIST_GIVEN_NAME)?.valueString;
  const given = typeof listed === 'string' && listed.trim() !== ''
    ? listed.trim().split(/\s+/)
    : (Array.isArray(official.given) ? (official.given as string[]) : []);
  const place = extension(extension(patient, BIRTH_PLACE)?.valueAddress, INSEE_CODE);
  const code = (place?.valueCoding as Json | undefined)?.code;
  return {
    family: official.family,
    given,
    gender: (patient.gender as InsTraits['gender'] | undefined) ?? 'unknown',
    birthDate: patient.birthDate,
    ...(typeof code === 'string' ? { birthPlace: code } : {}),
  };
}
