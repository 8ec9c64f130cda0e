/**
 * Completing generated identifiers with their key: RPPS, FINESS, SIREN and
 * SIRET end with a Luhn digit over the whole string (open-points-resolved §3).
 * The key is the one digit the directory's own validator accepts, so that the
 * generator and the checks cannot disagree.
 */
import { luhnValid } from '../directory/identifiers.js';

/** `body` followed by the Luhn digit that makes the whole string valid. */
export function withLuhnKey(body: string): string {
  if (!/^\d+$/.test(body)) throw new Error('a Luhn body is made of digits');
  for (let key = 0; key <= 9; key += 1) {
    if (luhnValid(`${body}${key}`)) return `${body}${key}`;
  }
  throw new Error('unreachable: one of ten digits completes a Luhn sum');
}
