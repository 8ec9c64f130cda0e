/**
 * The userinfo / ID token claims Pro Santé Connect gives for a professional
 * (reference §3; https://industriels.esante.gouv.fr/produits-et-services/pro-sante-connect/userinfo),
 * built from the directory's FHIR resources (Annuaire Santé profiles,
 * reference §2.4): SubjectNameID = idNat_PS, and SubjectRefPro.exercices,
 * one per profession of the Practitioner with its category
 * (TRE_R09) and savoir-faire (TRE_R04 type + code), each with the activities
 * of its PractitionerRoles (mode TRE_R23, sector TRE_R02, function TRE_R21,
 * pharmacist section TRE_G05) and the structures they are exercised in.
 * Codes are matched by the TRE name in their system URL. A profession is any
 * code of JDV_J106-EnsembleProfession-RASS, the value set FR Core and the
 * Annuaire bind it to: TRE_G15 for the health professions, TRE_R95 (71
 * ostéopathe, 72 psychothérapeute, 73 chiropracteur, 93 psychologue), TRE_R94
 * (41) and TRE_R291 (99); PSC's codeProfession is the bare code whatever its system.
 */
import type { Json } from '../accounts/fhir-lookup.js';

type Claims = Record<string, unknown>;

function codings(concept: unknown): Json[] {
  const list = (concept as Json | undefined)?.coding;
  return Array.isArray(list) ? (list as Json[]) : [];
}

/** The first code of a TRE code system (or of one of several) among the codings of some concepts. */
function treCode(concepts: readonly unknown[], tre: string | readonly string[]): string | undefined {
  const names = typeof tre === 'string' ? [tre] : tre;
  for (const concept of concepts) {
    for (const c of codings(concept)) {
      if (typeof c.system === 'string' && typeof c.code === 'string' && names.some((name) => (c.system as string).includes(name))) return c.code;
    }
  }
  return undefined;
}

/** The code systems of JDV_J106's professions, by TRE name (the '-' keeps TRE_R94 from matching a TRE_R94x). */
const PROFESSION_TRES = ['TRE_G15-', 'TRE_R95-', 'TRE_R94-', 'TRE_R291-'] as const;

function identifierValue(resource: Json | undefined, type: string): string | undefined {
  for (const identifier of (resource?.identifier as Json[] | undefined) ?? []) {
    if (codings(identifier.type).some((c) => c.code === type)) return identifier.value as string;
  }
  return undefined;
}

/** Leaves out the keys whose value is undefined: PSC omits unknown fields. */
function defined(record: Record<string, unknown>): Claims {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function activityOf(role: Json, organization: Json | undefined): Claims {
  const codes = (role.code as unknown[] | undefined) ?? [];
  const address = ((organization?.address as Json[] | undefined) ?? [])[0];
  const orgTypes = (organization?.type as unknown[] | undefined) ?? [];
  return defined({
    codeModeExercice: treCode(codes, 'TRE_R23'),
    codeSecteurDactivite: treCode((role.specialty as unknown[] | undefined) ?? [], 'TRE_R02') ?? treCode(orgTypes, 'TRE_R02'),
    codeSectionPharmacien: treCode(codes, 'TRE_G05'),
    codeRole: treCode(codes, 'TRE_R21'),
    numeroSiretSite: identifierValue(organization, 'SIRET'),
    numeroSirenSite: identifierValue(organization, 'SIREN'),
    numeroFinessSite: identifierValue(organization, 'FINEG'),
    numeroFinessetablissementJuridique: identifierValue(organization, 'FINEJ'),
    identifiantTechniqueDeLaStructure: identifierValue(organization, 'IDNST'),
    raisonSocialeSite: organization?.name,
    codePostal: address?.postalCode,
    libelleCommune: address?.city,
    telephone: ((organization?.telecom as Json[] | undefined) ?? []).find((t) => t.system === 'phone')?.value,
  });
}

/**
 * SubjectNameID and SubjectRefPro of a professional, from the Practitioner,
 * its PractitionerRoles and their Organizations (by "Organization/<id>").
 */
export function pscProfessionalClaims(idNatPs: string, practitioner: Json, roles: readonly Json[], organizations: ReadonlyMap<string, Json>): Claims {
  const qualifications = ((practitioner.qualification as Json[] | undefined) ?? []).map((q) => q.code);
  const professions = qualifications.filter((q) => treCode([q], PROFESSION_TRES) !== undefined);
  const savoirFaire = qualifications.find((q) => treCode([q], 'TRE_R04') !== undefined);
  const name = ((practitioner.name as Json[] | undefined) ?? [])[0];
  const exercices = professions.map((concept, index) => {
    const codeProfession = treCode([concept], PROFESSION_TRES)!;
    const activities = roles
      .filter((role) => treCode((role.code as unknown[] | undefined) ?? [], PROFESSION_TRES) === codeProfession)
      .map((role) => activityOf(role, organizations.get((role.organization as Json | undefined)?.reference as string)));
    // The directory gives a savoir-faire per person; PSC puts it on the exercise it belongs to (the first profession).
    const specialty = index === 0 && savoirFaire ? codings(savoirFaire).find((c) => !String(c.system).includes('TRE_R04')) : undefined;
    return defined({
      codeProfession,
      codeCategorieProfessionnelle: treCode([concept], 'TRE_R09'),
      codeCiviliteDexercice: name?.prefix?.[0],
      nomDexercice: name?.family,
      prenomDexercice: name?.given?.[0],
      codeTypeSavoirFaire: specialty ? treCode([savoirFaire], 'TRE_R04') : undefined,
      codeSavoirFaire: specialty?.code,
      activities,
    });
  });
  return { SubjectNameID: idNatPs, SubjectRefPro: { exercices } };
}
