/**
 * Parsing of search parameter values (http://hl7.org/fhir/R4/search.html):
 * escaping, OR lists, prefixes, number precision, quantities and tokens.
 */
import type { RangePrefix } from '../../storage/query.js';

/** Splits on a separator not escaped by a backslash. */
export function splitUnescaped(value: string, separator: ',' | '|' | '$'): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i] as string;
    if (char === '\\' && i + 1 < value.length) {
      current += char + (value[i + 1] as string);
      i += 1;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** Removes the escaping of \, \| \$ and \\ (search.html#escaping). */
/**
 * Whether a value holds a backslash that escapes nothing: search.html#escaping
 * lets "\\" escape only ",", "$", "|" and "\\" itself ("the parameter value
 * xx\\xx is illegal").
 */
export function hasIllegalEscape(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    if (value[i] !== '\\') continue;
    const next = value[i + 1];
    if (next !== ',' && next !== '$' && next !== '|' && next !== '\\') return true;
    i += 1;
  }
  return false;
}

/** A value written as search data (search.html#escaping): its `\`, `,`, `|` and `$` escaped. */
export function escapeValue(value: string): string {
  return value.replace(/[\\,|$]/g, (c) => `\\${c}`);
}

export function unescapeValue(value: string): string {
  return value.replace(/\\([,|$\\])/g, '$1');
}

/** The OR-ed values of one parameter occurrence. */
export function orValues(value: string): string[] {
  return splitUnescaped(value, ',');
}

const PREFIXES: readonly RangePrefix[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];

export function splitPrefix(value: string): { prefix: RangePrefix; rest: string } {
  const head = value.slice(0, 2) as RangePrefix;
  if (PREFIXES.includes(head) && value.length > 2 && !/^[a-z]/.test(value.slice(2, 3))) return { prefix: head, rest: value.slice(2) };
  return { prefix: 'eq', rest: value };
}

const NUMBER_PATTERN = /^([+-]?)(\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A decimal number exactly: units × 10^exponent ("5.40" is 540 × 10^-2). */
interface Decimal {
  readonly units: bigint;
  readonly exponent: bigint;
}

function parseDecimal(text: string): Decimal | undefined {
  const match = NUMBER_PATTERN.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  return {
    units: BigInt(`${sign}${whole}${fraction}`),
    exponent: BigInt(exponent) - BigInt(fraction.length),
  };
}

/** The double nearest to units × 10^exponent: the very rounding JSON.parse gave the stored values. */
function nearestDouble(units: bigint, exponent: bigint): number {
  return Number(`${units}e${exponent}`);
}

/** A search number: its value, its implicit range [low, high) and its approximate range (ap), as doubles. */
export interface NumberRange {
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly approximate: { readonly low: number; readonly high: number };
}

/**
 * A number with its implicit range: "100" means [99.5, 100.5), "100.00"
 * [99.995, 100.005), "1e2" [50, 150) (search.html#number: precision matters).
 * R4's rule, in the notes of that section: "The number of significant digits
 * of the implicit range is the number of digits specified in the search
 * parameter value, excluding leading zeros. So 100 and 1.00e2 both have the
 * same number of significant digits - three". R4's example table says "1e2"
 * is "to 1 significant figures precision" yet gives it [95 ... 105), the
 * range of two: no reading gives that range and keeps 1.00e2 equal to 100, so
 * the rule wins, read the same for numbers and quantities (R5 corrected the
 * table to [50 ... 150)). `approximate` widens the value by 10% of itself, at
 * least by that precision (search.html#prefix, ap).
 *
 * The bounds are computed exactly in decimal, then each rounded to its
 * nearest double, as the stored values were (JSON.parse): rounding to nearest
 * never reverses the order of two decimals, so a stored 5.35 is ≥ the low
 * bound of "5.4" and a stored 5.45 is ≥ its high bound, exactly so for values
 * of up to 15 significant digits (whose doubles are all distinct). Bounds
 * worked out on doubles (5.4 − 0.05) land a little off the decimal and miss or
 * catch values at the edges.
 */
export function numberRange(text: string): NumberRange | undefined {
  const decimal = parseDecimal(text);
  if (!decimal) return undefined;
  const value = nearestDouble(decimal.units, decimal.exponent);
  if (!Number.isFinite(value)) return undefined;
  // In tenths of the last digit given: half of it is 5, a tenth of the value is |units|.
  const tenths = decimal.units * 10n;
  const exponent = decimal.exponent - 1n;
  const magnitude = decimal.units < 0n ? -decimal.units : decimal.units;
  const margin = magnitude > 5n ? magnitude : 5n;
  return {
    value,
    low: nearestDouble(tenths - 5n, exponent),
    high: nearestDouble(tenths + 5n, exponent),
    approximate: { low: nearestDouble(tenths - margin, exponent), high: nearestDouble(tenths + margin, exponent) },
  };
}

/** "5.4|http://unitsofmeasure.org|mg", "5.4||mg", "5.4" (search.html#quantity). */
export function parseQuantity(text: string): { number: string; system?: string; code?: string } | undefined {
  const parts = splitUnescaped(text, '|').map(unescapeValue);
  if (parts.length > 3 || parts.length === 2) return undefined;
  const [number = '', system = '', code = ''] = parts;
  return { number, ...(system !== '' ? { system } : {}), ...(code !== '' ? { code } : {}) };
}

/** "code", "system|code", "|code", "system|" (search.html#token). system null means "no system". */
export function parseToken(text: string): { system?: string | null; code?: string } {
  const parts = splitUnescaped(text, '|');
  if (parts.length === 1) return { code: unescapeValue(parts[0] as string) };
  const system = unescapeValue(parts[0] as string);
  const code = unescapeValue(parts.slice(1).join('|'));
  return {
    system: system === '' ? null : system,
    ...(code !== '' ? { code } : {}),
  };
}
