/**
 * One activity of Pro Santé Connect's SubjectRefPro.exercices[].activities
 * (reference §3): a PractitionerRole of the directory and the Organization it
 * is exercised in (Annuaire Santé profiles, reference §2.4). PSC sends every
 * key of an activity, an empty string when the directory has no value (its
 * userinfo as ANS's own PSC tests record it: ansforge psc-remote-cache
 * fixtures; the ad2ien/prosante-connect-synapse-module fixture), so the shape
 * never varies for the relying party.
 */
import type { Json } from '../accounts/fhir-lookup.js';

export function codings(concept: unknown): Json[] {
  const list = (concept as Json | undefined)?.coding;
  return Array.isArray(list) ? (list as Json[]) : [];
}

/** The first code of a TRE code system (or of one of several) among the codings of some concepts. */
export function treCode(concepts: readonly unknown[], tre: string | readonly string[]): string | undefined {
  const names = typeof tre === 'string' ? [tre] : tre;
  for (const concept of concepts) {
    for (const c of codings(concept)) {
      if (typeof c.system === 'string' && typeof c.code === 'string' && names.some((name) => (c.system as string).includes(name))) return c.code;
    }
  }
  return undefined;
}

function identifierValue(resource: Json | undefined, type: string): string | undefined {
  for (const identifier of (resource?.identifier as Json[] | undefined) ?? []) {
    if (codings(identifier.type).some((c) => c.code === type)) return identifier.value as string;
  }
  return undefined;
}

const ADXP = 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-';

/** A part of an as-address-extended address (ISO 21090 ADXP extension on one of its lines). */
function addressPart(address: Json | undefined, part: string): string | undefined {
  for (const line of (address?._line as (Json | null)[] | undefined) ?? []) {
    const found = ((line?.extension as Json[] | undefined) ?? []).find((e) => e.url === `${ADXP}${part}`);
    if (typeof found?.valueString === 'string') return found.valueString;
  }
  return undefined;
}

function inseeCode(address: Json | undefined): string | undefined {
  const extension = ((address?.extension as Json[] | undefined) ?? []).find((e) => String(e.url).endsWith('fr-core-address-insee-code'));
  return extension?.valueCoding?.code as string | undefined;
}

function telecom(organization: Json | undefined, system: string, index = 0): string | undefined {
  return ((organization?.telecom as Json[] | undefined) ?? []).filter((t) => t.system === system)[index]?.value as string | undefined;
}

/** "75009 PARIS": PSC's bureauCedex is the postal code and the town of the structure. */
function bureauCedex(address: Json | undefined): string | undefined {
  const text = [address?.postalCode, address?.city].filter((p) => typeof p === 'string' && p !== '').join(' ');
  return text === '' ? undefined : text;
}

/** PSC's activity: the role's codes, the structure's identifiers, name, address and contacts. */
export function activityOf(role: Json, organization: Json | undefined): Record<string, string> {
  const codes = (role.code as unknown[] | undefined) ?? [];
  const address = ((organization?.address as Json[] | undefined) ?? [])[0];
  const orgTypes = (organization?.type as unknown[] | undefined) ?? [];
  const values: Record<string, string | undefined> = {
    codeModeExercice: treCode(codes, 'TRE_R23'),
    codeSecteurDactivite: treCode((role.specialty as unknown[] | undefined) ?? [], 'TRE_R02') ?? treCode(orgTypes, 'TRE_R02'),
    codeSectionPharmacien: treCode(codes, 'TRE_G05'),
    codeRole: treCode(codes, 'TRE_R21'),
    codeGenreActivite: treCode(codes, 'TRE_R22'),
    numeroSiretSite: identifierValue(organization, 'SIRET'),
    numeroSirenSite: identifierValue(organization, 'SIREN'),
    numeroFinessSite: identifierValue(organization, 'FINEG'),
    numeroFinessetablissementJuridique: identifierValue(organization, 'FINEJ'),
    // The RPPS's technical id of the structure ("R…", "F…"); its idNat_Struct is PSC's "ancien identifiant".
    identifiantTechniqueDeLaStructure: identifierValue(organization, 'RPPSRG'),
    raisonSocialeSite: organization?.name as string | undefined,
    enseigneCommercialeSite: (organization?.alias as string[] | undefined)?.[0],
    complementDestinataire: addressPart(address, 'careOf'),
    complementPointGeographique: addressPart(address, 'additionalLocator'),
    numeroVoie: addressPart(address, 'houseNumber'),
    indiceRepetitionVoie: addressPart(address, 'buildingNumberSuffix'),
    codeTypeDeVoie: addressPart(address, 'streetNameType'),
    libelleVoie: addressPart(address, 'streetNameBase'),
    mentionDistribution: addressPart(address, 'postBox'),
    bureauCedex: bureauCedex(address),
    codePostal: address?.postalCode as string | undefined,
    codeCommune: inseeCode(address),
    codePays: address?.country as string | undefined,
    telephone: telecom(organization, 'phone'),
    telephone2: telecom(organization, 'phone', 1),
    telecopie: telecom(organization, 'fax'),
    adresseEMail: telecom(organization, 'email'),
    codeDepartement: undefined,
    ancienIdentifiantDeLaStructure: identifierValue(organization, 'IDNST'),
    autoriteDenregistrement: undefined,
  };
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value ?? '']));
}
