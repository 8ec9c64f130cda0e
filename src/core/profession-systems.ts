/**
 * The code systems of a profession in the French national directory: the
 * value set JDV_J106-EnsembleProfession-RASS (binding of FR Core's and the
 * Annuaire's qualification[exercicePro].code.coding[profession]) includes every
 * code of these four (NOS canonicals, reference §2.2). Shared here, in a module
 * of neither, by the directory (which writes professions) and by the Pro Santé
 * Connect claims (which read them back), so that the two cannot drift apart.
 * https://interop.esante.gouv.fr/terminologies/ValueSet-JDV-J106-EnsembleProfession-RASS.html
 */
const nos = (tre: string): string => {
  const [code, name] = tre.split('-', 2) as [string, string];
  return `https://mos.esante.gouv.fr/NOS/${tre}/FHIR/${code.replace('_', '-')}-${name}`;
};

export const PROFESSION_SYSTEM = {
  /** Health professions (professionSante). */
  health: nos('TRE_G15-ProfessionSante'),
  /** Professions whose title only is regulated (usagerTitre): ostéopathe, psychothérapeute, chiropracteur, psychologue, conseiller en génétique. */
  title: nos('TRE_R95-UsagerTitre'),
  /** Social professions (professionSocial). */
  social: nos('TRE_R94-ProfessionSocial'),
  /** Other professions (autreProfession: 99, an actor characterised by a role). */
  other: nos('TRE_R291-AutreProfession'),
} as const;

/**
 * The codes "Code profession" carries (a bare 2-digit code in the extracts, in PSC's codeProfession) that
 * JDV_J106 takes from another system than TRE_G15. TRE_R95 (version 20241213120000) holds 71, 72, 73, 93 and
 * 97 (conseiller en génétique, deprecated there on 2024-12-13; TRE_G15 has no 97, and keeps 93 only as a
 * deprecated placeholder its definition says value sets must not take).
 */
const NON_G15: ReadonlyMap<string, string> = new Map([
  ['71', PROFESSION_SYSTEM.title],
  ['72', PROFESSION_SYSTEM.title],
  ['73', PROFESSION_SYSTEM.title],
  ['93', PROFESSION_SYSTEM.title],
  ['97', PROFESSION_SYSTEM.title],
  ['41', PROFESSION_SYSTEM.social],
  ['99', PROFESSION_SYSTEM.other],
]);

/** The code system of a profession code as JDV_J106 gives it (TRE_G15 for every code it does not list elsewhere). */
export function professionSystem(code: string): string {
  return NON_G15.get(code) ?? PROFESSION_SYSTEM.health;
}

/** True when a coding's system is one of JDV_J106's profession systems. */
export function isProfessionSystem(system: unknown): boolean {
  return typeof system === 'string' && (Object.values(PROFESSION_SYSTEM) as string[]).includes(system);
}

/** The TRE names of those systems ("TRE_G15-ProfessionSante"…), for readers that match a system by its name whatever its canonical's form. */
export const PROFESSION_TRE_NAMES: readonly string[] = Object.values(PROFESSION_SYSTEM).map((url) => url.split('/NOS/')[1]!.split('/')[0]!);
