/**
 * One "structureet" row of the FINESS establishment extract published on
 * data.gouv.fr ("FINESS Extraction du Fichier des établissements",
 * etalab-cs1100507-stock-*.csv): a geographical entity (EG, nofinesset) and
 * the legal entity (EJ, nofinessej) it belongs to. Columns in published order:
 * structureet, nofinesset, nofinessej, rs, rslongue, complrs, compldistrib,
 * numvoie, typvoie, voie, compvoie, lieuditbp, commune, departement,
 * libdepartement, ligneacheminement, telephone, telecopie, categetab,
 * libcategetab, categagretab, libcategagretab, siret, codeape, codemft,
 * libmft, codesph, libsph, dateouv, dateautor, datemaj[, numuai].
 */
import { addressLine, presentLines, type AddressLine } from './address.js';
import { finessValid, siretValid } from './identifiers.js';
import { problem, type Parsed } from './line-problem.js';

export interface FinessEstablishment {
  readonly finessEt: string;
  readonly finessEj: string;
  /** rs, the raison sociale (MOS denominationEG: Organization.name); rslongue when rs is empty. */
  readonly name: string;
  /** rslongue, the long name (MOS denominationEGLongue: Organization.alias), when it differs from rs. */
  readonly alias?: string;
  readonly lines: readonly AddressLine[];
  readonly postalCode?: string;
  readonly city?: string;
  readonly inseeCode?: string;
  readonly phone?: string;
  readonly fax?: string;
  readonly categoryCode?: string;
  readonly categoryDisplay?: string;
  readonly siret?: string;
  /** codesph / libsph: participation in the public hospital service (TRE_R73, 0 "Non concerné", 1 public…). */
  readonly sphCode?: string;
  readonly sphDisplay?: string;
  /** dateouv, the opening date, when it is a date (YYYY-MM-DD). */
  readonly openedOn?: string;
  /** datemaj, FINESS's last update of the row, when it is a date (as-ext-data-trace's date-maj-ae). */
  readonly updatedOn?: string;
}

/** Rows the directory reads; "geolocalisation" rows (coordinates) are skipped without being rejected. */
export type FinessRow = { readonly kind: 'establishment'; readonly value: FinessEstablishment } | { readonly kind: 'ignored' };

const MIN_FIELDS = 31;
/** geolocalisation, nofinesset, coordxet, coordyet, sourcecoordet, datemaj (a closing ';' tolerated). */
const GEOLOCATION_FIELDS = 6;

/** A post box as FINESS's lieuditbp writes one (BP 12, CS 30001, TSA 10001); anything else there is a lieu-dit. */
const POST_BOX = /^(BP|CS|TSA)\b/i;

/**
 * The address lines (text as the extract's columns joined), each column its part (as-address-extended):
 * numvoie, compvoie (the repetition index), typvoie (a street type code), voie; lieuditbp a post box or a
 * lieu-dit; compldistrib a geographical complement. complrs, a complement of the name, has no part.
 */
function finessLines(f: (i: number) => string): AddressLine[] {
  const [complement, distribution, houseNumber, type, street, suffix, lieuDitBp] = [f(5), f(6), f(7), f(8), f(9), f(10), f(11)];
  return presentLines([
    addressLine(complement),
    addressLine([houseNumber, type, street, suffix].filter((p) => p !== '').join(' '), { houseNumber, buildingNumberSuffix: suffix, streetNameType: type, streetNameBase: street }),
    addressLine(lieuDitBp, POST_BOX.test(lieuDitBp) ? { postBox: lieuDitBp } : { lieuDit: lieuDitBp }),
    addressLine(distribution, { additionalLocator: distribution }),
  ]);
}

/**
 * The commune's INSEE code from FINESS's departement (2 characters) and commune (3 digits): "69" + "384",
 * "2A" + "004"; overseas departments are written 9A (Guadeloupe, 971), 9B, 9C, 9D, 9F…, whose commune
 * already holds the INSEE code's third digit ("9A" + "101" is Les Abymes, 97101).
 */
export function communeCode(department: string, commune: string): string | undefined {
  if (!/^\d{3}$/.test(commune)) return undefined;
  if (/^(\d\d|2[AB])$/.test(department)) return department + commune;
  if (/^9[A-Z]$/.test(department)) return `97${commune}`;
  return undefined;
}

/**
 * A "geolocalisation" row (nofinesset;coordxet;coordyet;sourcecoordet;datemaj): coordinates in the projection its
 * source names (Lambert 93, UTM overseas), which the directory does not keep; still a line of the file, checked
 * like the others so that a malformed one is reported rather than passed over.
 */
function checkGeolocation(fields: readonly string[]): Parsed<FinessRow> {
  if (fields.length < GEOLOCATION_FIELDS || fields.length > GEOLOCATION_FIELDS + 1) {
    return problem('directory.line.field-count', { found: fields.length, expected: GEOLOCATION_FIELDS });
  }
  const finessEt = fields[1] ?? '';
  if (!finessValid(finessEt)) return problem('directory.line.invalid-identifier', { field: 'nofinesset', value: finessEt, reason: '9 caractères, clé de Luhn / 9 characters, Luhn key' });
  return { ok: true, record: { kind: 'ignored' } };
}

export function parseFinessRow(fields: readonly string[]): Parsed<FinessRow> {
  const kind = fields[0] ?? '';
  if (kind === 'geolocalisation') return checkGeolocation(fields);
  if (kind !== 'structureet') return problem('directory.line.unknown-record', { kind });
  if (fields.length < MIN_FIELDS || fields.length > MIN_FIELDS + 2) return problem('directory.line.field-count', { found: fields.length, expected: 32 });
  const f = (i: number): string => fields[i] ?? '';
  const finessEt = f(1);
  const finessEj = f(2);
  if (!finessValid(finessEt)) return problem('directory.line.invalid-identifier', { field: 'nofinesset', value: finessEt, reason: '9 caractères, clé de Luhn / 9 characters, Luhn key' });
  if (!finessValid(finessEj)) return problem('directory.line.invalid-identifier', { field: 'nofinessej', value: finessEj, reason: '9 caractères, clé de Luhn / 9 characters, Luhn key' });
  const name = f(3) || f(4);
  if (name === '') return problem('directory.line.missing-field', { field: 'rs' });
  const alias = f(4) !== '' && f(4) !== name ? f(4) : undefined;
  const siret = f(22);
  if (siret !== '' && !siretValid(siret)) return problem('directory.line.invalid-identifier', { field: 'siret', value: siret, reason: '14 chiffres, clé de Luhn / 14 digits, Luhn key' });
  const lines = finessLines(f);
  // ligneacheminement is "<postal code> <CITY[ CEDEX]>".
  const routing = /^(\d{5})\s+(.*)$/.exec(f(15));
  const inseeCode = communeCode(f(13), f(12));
  const value: FinessEstablishment = {
    finessEt, finessEj, name, lines,
    ...(alias ? { alias } : {}),
    ...(routing ? { postalCode: routing[1], city: routing[2] } : {}),
    ...(inseeCode ? { inseeCode } : {}),
    ...(f(16) ? { phone: f(16) } : {}),
    ...(f(17) ? { fax: f(17) } : {}),
    ...(f(18) ? { categoryCode: f(18) } : {}),
    ...(f(19) ? { categoryDisplay: f(19) } : {}),
    ...(siret ? { siret } : {}),
    ...(/^\d$/.test(f(26)) ? { sphCode: f(26), ...(f(27) ? { sphDisplay: f(27) } : {}) } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(f(28)) ? { openedOn: f(28) } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(f(30)) ? { updatedOn: f(30) } : {}),
  };
  return { ok: true, record: { kind: 'establishment', value } };
}
