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
import { finessValid, siretValid } from './identifiers.js';
import { problem, type Parsed } from './line-problem.js';

export interface FinessEstablishment {
  readonly finessEt: string;
  readonly finessEj: string;
  readonly name: string;
  readonly lines: readonly string[];
  readonly postalCode?: string;
  readonly city?: string;
  readonly inseeCode?: string;
  readonly phone?: string;
  readonly fax?: string;
  readonly categoryCode?: string;
  readonly categoryDisplay?: string;
  readonly siret?: string;
  /** dateouv, the opening date, when it is a date (YYYY-MM-DD). */
  readonly openedOn?: string;
}

/** Rows the directory reads; "geolocalisation" rows (coordinates) are skipped without being rejected. */
export type FinessRow = { readonly kind: 'establishment'; readonly value: FinessEstablishment } | { readonly kind: 'ignored' };

const MIN_FIELDS = 31;

export function parseFinessRow(fields: readonly string[]): Parsed<FinessRow> {
  const kind = fields[0] ?? '';
  if (kind === 'geolocalisation') return { ok: true, record: { kind: 'ignored' } };
  if (kind !== 'structureet') return problem('directory.line.unknown-record', { kind });
  if (fields.length < MIN_FIELDS || fields.length > MIN_FIELDS + 2) return problem('directory.line.field-count', { found: fields.length, expected: 32 });
  const f = (i: number): string => fields[i] ?? '';
  const finessEt = f(1);
  const finessEj = f(2);
  if (!finessValid(finessEt)) return problem('directory.line.invalid-identifier', { field: 'nofinesset', value: finessEt, reason: '9 caractères, clé de Luhn / 9 characters, Luhn key' });
  if (!finessValid(finessEj)) return problem('directory.line.invalid-identifier', { field: 'nofinessej', value: finessEj, reason: '9 caractères, clé de Luhn / 9 characters, Luhn key' });
  const name = f(4) || f(3);
  if (name === '') return problem('directory.line.missing-field', { field: 'rs' });
  const siret = f(22);
  if (siret !== '' && !siretValid(siret)) return problem('directory.line.invalid-identifier', { field: 'siret', value: siret, reason: '14 chiffres, clé de Luhn / 14 digits, Luhn key' });
  const street = [f(7), f(8), f(9), f(10)].filter((p) => p !== '').join(' ');
  const lines = [f(5), street, f(11), f(6)].filter((l) => l !== '');
  // ligneacheminement is "<postal code> <CITY[ CEDEX]>".
  const routing = /^(\d{5})\s+(.*)$/.exec(f(15));
  const department = f(13);
  const commune = f(12);
  const inseeCode = department !== '' && commune !== '' ? (department.length === 2 ? department + commune : department.slice(0, 2) + commune) : '';
  const value: FinessEstablishment = {
    finessEt, finessEj, name, lines,
    ...(routing ? { postalCode: routing[1], city: routing[2] } : {}),
    ...(inseeCode && /^[0-9AB]{5}$/.test(inseeCode) ? { inseeCode } : {}),
    ...(f(16) ? { phone: f(16) } : {}),
    ...(f(17) ? { fax: f(17) } : {}),
    ...(f(18) ? { categoryCode: f(18) } : {}),
    ...(f(19) ? { categoryDisplay: f(19) } : {}),
    ...(siret ? { siret } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(f(28)) ? { openedOn: f(28) } : {}),
  };
  return { ok: true, record: { kind: 'establishment', value } };
}
