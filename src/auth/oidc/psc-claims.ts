/**
 * The userinfo / ID token claims Pro Santé Connect gives for a professional
 * (reference §3; https://industriels.esante.gouv.fr/produits-et-services/pro-sante-connect/userinfo),
 * built from the directory's FHIR resources (Annuaire Santé profiles,
 * reference §2.4): SubjectNameID = idNat_PS, and SubjectRefPro.exercices,
 * one per profession of the Practitioner with its category
 * (TRE_R09) and savoir-faire (TRE_R04 type + code), each with the activities
 * of its PractitionerRoles (psc-activity.ts). The claims beside them
 * (SubjectOrganization, SubjectOrganizationID, SubjectRole, Secteur_Activite,
 * Palier_Authentification, otherIds…) have the names and shapes of PSC's
 * userinfo as recorded responses show it (ansforge psc-remote-cache tests,
 * the ad2ien/prosante-connect-synapse-module fixture): "code^OID" strings,
 * SubjectRole an array, the organisation and sector those of the first activity.
 * Codes are matched by the TRE name in their system URL. A profession is any
 * code of JDV_J106-EnsembleProfession-RASS, the value set FR Core and the
 * Annuaire bind it to: TRE_G15 for the health professions, TRE_R95 (71
 * ostéopathe, 72 psychothérapeute, 73 chiropracteur, 93 psychologue, 97
 * conseiller en génétique), TRE_R94 (41) and TRE_R291 (99), as the directory
 * writes them (core/profession-systems.ts, read here by its TRE names); PSC's
 * codeProfession is the bare code whatever its system.
 */
import type { Json } from '../accounts/fhir-lookup.js';
import { PROFESSION_TRE_NAMES } from '../../core/profession-systems.js';
import { activityOf, codings, treCode } from './psc-activity.js';

type Claims = Record<string, unknown>;

/** The OID PSC's SubjectRole qualifies a profession code with ("10^1.2.250.1.213.1.1.5.5"). */
const SUBJECT_ROLE_OID = '1.2.250.1.213.1.1.5.5';
/** TRE_R02-SecteurActivite's OID, as in PSC's Secteur_Activite ("SA07^1.2.250.1.71.4.2.4"). */
const ACTIVITY_SECTOR_OID = '1.2.250.1.71.4.2.4';

/**
 * What PSC sends whatever the professional (every recorded response has these
 * values, card or e-CPS): the authentication level, the VIHF version and
 * locale, no access mode reason, no medical-regulation access.
 */
export const PSC_FIXED_CLAIMS = {
  Palier_Authentification: 'APPPRIP3^1.2.250.1.213.1.5.1.1.1',
  PSI_Locale: '1.2.250.1.213.1.3.1.1',
  UITVersion: '1.0',
  Mode_Acces_Raison: '',
  Acces_Regulation_Medicale: 'FAUX',
} as const;

/** Leaves out the keys whose value is undefined. */
function defined(record: Record<string, unknown>): Claims {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** otherIds: the national identifier and where it comes from; only an RPPS-based idNat_PS ("8…") is named with certainty. */
function otherIds(idNatPs: string): Claims[] | undefined {
  return idNatPs.startsWith('8') ? [{ identifiant: idNatPs, origine: 'RPPS', qualite: 1 }] : undefined;
}

/**
 * The professions of a professional, one PSC exercise each: the Practitioner's
 * exercicePro (with its TRE_R09 category) first, then any other profession
 * its roles are exercised in (FR Core allows one exercicePro per Practitioner,
 * so the directory keeps the others on the PractitionerRoles).
 */
function professionsOf(qualifications: readonly unknown[], roles: readonly Json[]): { codeProfession: string; concept?: unknown }[] {
  const found: { codeProfession: string; concept?: unknown }[] = [];
  for (const concept of qualifications) {
    const code = treCode([concept], PROFESSION_TRE_NAMES);
    if (code !== undefined && !found.some((p) => p.codeProfession === code)) found.push({ codeProfession: code, concept });
  }
  for (const role of roles) {
    const code = treCode((role.code as unknown[] | undefined) ?? [], PROFESSION_TRE_NAMES);
    if (code !== undefined && !found.some((p) => p.codeProfession === code)) found.push({ codeProfession: code });
  }
  return found;
}

/**
 * The PSC claims of a professional, from the Practitioner, its
 * PractitionerRoles and their Organizations (by "Organization/<id>"). The
 * claims about an organisation, a sector or a role are left out when the
 * directory knows none (no practice, no profession).
 */
export function pscProfessionalClaims(idNatPs: string, practitioner: Json, roles: readonly Json[], organizations: ReadonlyMap<string, Json>): Claims {
  const qualifications = ((practitioner.qualification as Json[] | undefined) ?? []).map((q) => q.code);
  const professions = professionsOf(qualifications, roles);
  const savoirFaire = qualifications.find((q) => treCode([q], 'TRE_R04') !== undefined);
  const name = ((practitioner.name as Json[] | undefined) ?? [])[0];
  // FR Core and the Annuaire: name.prefix is the civility (TRE_R81: M, MME), name.suffix the practice civility (TRE_R11: DR…).
  const codeCivilite = name?.prefix?.[0] as string | undefined;
  const exercices = professions.map(({ codeProfession, concept }, index) => {
    const activities = roles
      .filter((role) => treCode((role.code as unknown[] | undefined) ?? [], PROFESSION_TRE_NAMES) === codeProfession)
      .map((role) => activityOf(role, organizations.get((role.organization as Json | undefined)?.reference as string)));
    // The directory gives a savoir-faire per person; PSC puts it on the exercise it belongs to (the first profession).
    const specialty = index === 0 && savoirFaire ? codings(savoirFaire).find((c) => !String(c.system).includes('TRE_R04')) : undefined;
    return {
      codeProfession,
      codeCategorieProfessionnelle: (concept ? treCode([concept], 'TRE_R09') : undefined) ?? '',
      codeCiviliteDexercice: (name?.suffix?.[0] as string | undefined) ?? '',
      nomDexercice: (name?.family as string | undefined) ?? '',
      prenomDexercice: (name?.given?.[0] as string | undefined) ?? '',
      codeTypeSavoirFaire: (specialty ? treCode([savoirFaire], 'TRE_R04') : undefined) ?? '',
      codeSavoirFaire: (specialty?.code as string | undefined) ?? '',
      activities,
    };
  });
  const first = exercices.flatMap((e) => e.activities)[0];
  const nonEmpty = (value: string | undefined) => (value ? value : undefined);
  return defined({
    SubjectNameID: idNatPs,
    SubjectRefPro: defined({ codeCivilite, exercices }),
    codeCivilite,
    SubjectOrganization: nonEmpty(first?.raisonSocialeSite),
    SubjectOrganizationID: nonEmpty(first?.identifiantTechniqueDeLaStructure),
    SubjectRole: exercices.length > 0 ? [...new Set(exercices.map((e) => `${e.codeProfession}^${SUBJECT_ROLE_OID}`))] : undefined,
    Secteur_Activite: first?.codeSecteurDactivite ? `${first.codeSecteurDactivite}^${ACTIVITY_SECTOR_OID}` : undefined,
    codeGenreActivite: nonEmpty(first?.codeGenreActivite),
    otherIds: otherIds(idNatPs),
    ...PSC_FIXED_CLAIMS,
  });
}
