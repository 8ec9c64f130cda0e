/**
 * One line of "PS_LibreAcces_Personne_activite" (Annuaire Santé public
 * extraction): a professional's exercise (profession, savoir-faire) and one
 * practice situation (mode, structure, its address and contacts). Checks what
 * makes a line unusable: field count, the national identifier and its key
 * (open-points-resolved §3), the profession code, the structure identifiers.
 */
import { addressLine, presentLines, type AddressLine } from './address.js';
import { adeliValid, finessValid, idNatPsFromAdeli, idNatPsFromRpps, rppsValid, siretValid } from './identifiers.js';
import { problem, type Parsed } from './line-problem.js';
import type { ColumnMap } from './ps-columns.js';

export const PS_ACTIVITE_REQUIRED = [
  "Type d'identifiant PP", 'Identifiant PP', 'Identification nationale PP', "Nom d'exercice", "Prénom d'exercice",
  'Code profession', 'Code mode exercice', 'Numéro SIRET site', 'Numéro FINESS site', 'Raison sociale site',
  'Code postal (coord. structure)', 'Ancien identifiant de la structure',
] as const;

export interface PsStructure {
  /** idNat_Struct ("Ancien identifiant de la structure"). */
  readonly idNatStruct: string;
  readonly siret?: string;
  readonly siren?: string;
  readonly finessSite?: string;
  readonly finessLegal?: string;
  /** "Identifiant technique de la structure" (the Annuaire's rppsrang identifier). */
  readonly technicalId?: string;
  /** "Raison sociale site" (Organization.name). */
  readonly name?: string;
  /** "Enseigne commerciale site" (Organization.alias, as as-organization describes it). */
  readonly alias?: string;
  readonly lines: readonly AddressLine[];
  readonly postalCode?: string;
  readonly city?: string;
  readonly inseeCode?: string;
  /** "Code pays (coord. structure)" of a structure abroad (COG 99xxx, TRE_R20); none for France (99100, or 99000 as the extract also writes it). */
  readonly country?: string;
  readonly phone?: string;
  readonly fax?: string;
  readonly email?: string;
}

export interface PsActivite {
  readonly idNatPs: string;
  readonly rpps?: string;
  readonly practiceCivility?: string;
  /** Civility (TRE_R81: M, MME), 'Code civilité'. */
  readonly civility?: string;
  readonly family: string;
  readonly given?: string;
  readonly professionCode: string;
  readonly professionDisplay?: string;
  readonly categoryCode?: string;
  readonly savoirFaireType?: string;
  readonly savoirFaireCode?: string;
  readonly savoirFaireDisplay?: string;
  readonly modeCode?: string;
  readonly roleCode?: string;
  /** "Code genre activité" (TRE_R22), a column of the layouts published since 2023. */
  readonly activityGenreCode?: string;
  readonly sectorCode?: string;
  readonly pharmacistSection?: string;
  readonly structure?: PsStructure;
}

const opt = (value: string): string | undefined => (value === '' ? undefined : value);

/** Checks the PP identifier columns and returns the idNat_PS, or the problem. */
export function checkIdNatPs(type: string, id: string, idNat: string): Parsed<string> {
  if (idNat === '') return problem('directory.line.missing-field', { field: 'Identification nationale PP' });
  if (type === '8') {
    if (!rppsValid(id)) return problem('directory.line.invalid-identifier', { field: 'RPPS', value: id, reason: '11 chiffres, clé de Luhn / 11 digits, Luhn key' });
    if (idNat !== idNatPsFromRpps(id)) return problem('directory.line.invalid-identifier', { field: 'idNat_PS', value: idNat, reason: '8 + RPPS' });
  } else if (type === '0') {
    if (!adeliValid(id)) return problem('directory.line.invalid-identifier', { field: 'ADELI', value: id, reason: '9 chiffres, clé de Luhn / 9 digits, Luhn key' });
    if (idNat !== idNatPsFromAdeli(id)) return problem('directory.line.invalid-identifier', { field: 'idNat_PS', value: idNat, reason: '0 + ADELI' });
  } else {
    return problem('directory.line.invalid-code', { field: "Type d'identifiant PP", value: type });
  }
  return { ok: true, record: idNat };
}

/**
 * The structure's address lines, each column its line's part (as-address-extended): the street line's text
 * names the street type by its label, its part by its code.
 */
function structureLines(fields: readonly string[], c: ColumnMap): AddressLine[] {
  const get = (column: string): string => c.get(fields, `${column} (coord. structure)`);
  const [houseNumber, suffix, typeLabel, street] = [get('Numéro Voie'), get('Indice répétition voie'), get('Libellé type de voie'), get('Libellé Voie')];
  const careOf = get('Complément destinataire');
  const locator = get('Complément point géographique');
  const postBox = get('Mention distribution');
  return presentLines([
    addressLine(careOf, { careOf }),
    addressLine(locator, { additionalLocator: locator }),
    addressLine([houseNumber, suffix, typeLabel, street].filter((p) => p !== '').join(' '), {
      houseNumber, buildingNumberSuffix: suffix, streetNameType: get('Code type de voie'), streetNameBase: street,
    }),
    addressLine(postBox, { postBox }),
  ]);
}

function parseStructure(fields: readonly string[], c: ColumnMap): Parsed<PsStructure | undefined> {
  const idNatStruct = c.get(fields, 'Ancien identifiant de la structure');
  if (idNatStruct === '') return { ok: true, record: undefined };
  if (!/^[0-9][0-9A-Za-z]{5,40}$/.test(idNatStruct)) {
    return problem('directory.line.invalid-identifier', { field: 'idNat_Struct', value: idNatStruct, reason: 'préfixe TRE_G08 + identifiant / TRE_G08 prefix + identifier' });
  }
  const siret = c.get(fields, 'Numéro SIRET site');
  if (siret !== '' && !siretValid(siret)) return problem('directory.line.invalid-identifier', { field: 'SIRET', value: siret, reason: '14 chiffres, clé de Luhn / 14 digits, Luhn key' });
  const finessSite = c.get(fields, 'Numéro FINESS site');
  if (finessSite !== '' && !finessValid(finessSite)) return problem('directory.line.invalid-identifier', { field: 'FINESS', value: finessSite, reason: '9 caractères, clé de Luhn / 9 characters, Luhn key' });
  const finessLegal = c.get(fields, 'Numéro FINESS établissement juridique');
  if (finessLegal !== '' && !finessValid(finessLegal)) return problem('directory.line.invalid-identifier', { field: 'FINESS EJ', value: finessLegal, reason: '9 caractères, clé de Luhn / 9 characters, Luhn key' });
  const lines = structureLines(fields, c);
  const postalCode = c.get(fields, 'Code postal (coord. structure)');
  // The commune label is often empty: the "bureau cedex" line ("01300 BELLEY") then names the city.
  const cedex = c.get(fields, 'Bureau cedex (coord. structure)');
  const city = opt(c.get(fields, 'Libellé commune (coord. structure)')) ?? opt(cedex.replace(/^\d{5}\s*/, ''));
  return {
    ok: true,
    record: {
      idNatStruct, lines,
      ...(siret ? { siret } : {}),
      ...(opt(c.get(fields, 'Numéro SIREN site')) ? { siren: c.get(fields, 'Numéro SIREN site') } : {}),
      ...(finessSite ? { finessSite } : {}),
      ...(finessLegal ? { finessLegal } : {}),
      ...(opt(c.get(fields, 'Identifiant technique de la structure')) ? { technicalId: c.get(fields, 'Identifiant technique de la structure') } : {}),
      ...(opt(c.get(fields, 'Raison sociale site')) ? { name: c.get(fields, 'Raison sociale site') } : {}),
      ...(opt(c.get(fields, 'Enseigne commerciale site')) ? { alias: c.get(fields, 'Enseigne commerciale site') } : {}),
      ...(postalCode ? { postalCode } : {}),
      ...(city ? { city } : {}),
      ...(opt(c.get(fields, 'Code commune (coord. structure)')) ? { inseeCode: c.get(fields, 'Code commune (coord. structure)') } : {}),
      ...(foreignCountry(c.get(fields, 'Code pays (coord. structure)'))),
      ...(opt(c.get(fields, 'Téléphone (coord. structure)')) ? { phone: c.get(fields, 'Téléphone (coord. structure)') } : {}),
      ...(opt(c.get(fields, 'Télécopie (coord. structure)')) ? { fax: c.get(fields, 'Télécopie (coord. structure)') } : {}),
      ...(opt(c.get(fields, 'Adresse e-mail (coord. structure)')) ? { email: c.get(fields, 'Adresse e-mail (coord. structure)') } : {}),
    },
  };
}

/** A COG country code other than France's: French addresses carry none, as the Annuaire's DP examples write them. */
function foreignCountry(code: string): { country?: string } {
  return /^99\d{3}$/.test(code) && code !== '99100' && code !== '99000' ? { country: code } : {};
}

/** Parses one data line (already split) of the personne-activité extract. */
export function parsePsActivite(fields: readonly string[], c: ColumnMap): Parsed<PsActivite> {
  if (fields.length !== c.count) return problem('directory.line.field-count', { found: fields.length, expected: c.count });
  const id = checkIdNatPs(c.get(fields, "Type d'identifiant PP"), c.get(fields, 'Identifiant PP'), c.get(fields, 'Identification nationale PP'));
  if (!id.ok) return id;
  const family = c.get(fields, "Nom d'exercice");
  if (family === '') return problem('directory.line.missing-field', { field: "Nom d'exercice" });
  const professionCode = c.get(fields, 'Code profession');
  if (!/^\d{2}$/.test(professionCode)) return problem('directory.line.invalid-code', { field: 'Code profession', value: professionCode });
  const structure = parseStructure(fields, c);
  if (!structure.ok) return structure;
  const v = (column: string): string | undefined => opt(c.get(fields, column));
  const record: PsActivite = {
    idNatPs: id.record,
    ...(c.get(fields, "Type d'identifiant PP") === '8' ? { rpps: c.get(fields, 'Identifiant PP') } : {}),
    family,
    professionCode,
    ...optional({
      practiceCivility: v("Code civilité d'exercice"),
      civility: v('Code civilité'),
      given: v("Prénom d'exercice"),
      professionDisplay: v('Libellé profession'),
      categoryCode: v('Code catégorie professionnelle'),
      savoirFaireType: v('Code type savoir-faire'),
      savoirFaireCode: v('Code savoir-faire'),
      savoirFaireDisplay: v('Libellé savoir-faire'),
      modeCode: v('Code mode exercice'),
      roleCode: v('Code rôle'),
      activityGenreCode: v('Code genre activité'),
      sectorCode: v("Code secteur d'activité"),
      pharmacistSection: v('Code section tableau pharmaciens'),
    }),
    ...(structure.record ? { structure: structure.record } : {}),
  };
  return { ok: true, record };
}

/** Drops the undefined members, so that records compare and serialise alike. */
export function optional<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(values)) if (value !== undefined) out[k] = value;
  return out as { [K in keyof T]?: string };
}
