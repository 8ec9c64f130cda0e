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

const NUMBER_PATTERN = /^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A number with its implicit range: "100" means [99.5, 100.5], "100.00"
 * [99.995, 100.005], "1e2" [50, 150] (search.html#number: precision matters).
 */
export function numberRange(text: string): { value: number; low: number; high: number } | undefined {
  if (!NUMBER_PATTERN.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const [mantissa = '', exponentText] = text.toLowerCase().split('e');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const decimals = mantissa.includes('.') ? (mantissa.split('.')[1] ?? '').length : 0;
  const half = 0.5 * 10 ** (exponent - decimals);
  return { value, low: value - half, high: value + half };
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
