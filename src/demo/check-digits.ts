/**
 * Completing generated identifiers with their key: RPPS, FINESS, SIREN and
 * SIRET end with a Luhn digit over the whole string (open-points-resolved §3);
 * the directory's validators (src/directory/identifiers.ts) check them back.
 */

/** `body` followed by the Luhn digit that makes the whole string valid. */
export function withLuhnKey(body: string): string {
  if (!/^\d+$/.test(body)) throw new Error('a Luhn body is made of digits');
  let sum = 0;
  // The key will sit at position 0 from the right, so the body's last digit is doubled.
  for (let i = 0; i < body.length; i++) {
    let digit = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}
