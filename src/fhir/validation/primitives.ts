/**
 * Checks of primitive values: their JSON type (http://hl7.org/fhir/R4/json.html#primitive)
 * and their lexical form (http://hl7.org/fhir/R4/datatypes.html#primitive),
 * compiled once per primitive type.
 */
import type { PrimitiveDefinition } from '../definitions/model.js';

/** What is wrong with a primitive value; the validator turns it into an issue. */
export type PrimitiveProblem =
  | { readonly kind: 'type'; readonly expected: 'string' | 'boolean' | 'number' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'format' };

export type PrimitiveCheck = (value: unknown) => PrimitiveProblem | undefined;

const EMPTY: PrimitiveProblem = { kind: 'empty' };
const FORMAT: PrimitiveProblem = { kind: 'format' };
const WRONG_TYPE = {
  string: { kind: 'type', expected: 'string' },
  boolean: { kind: 'type', expected: 'boolean' },
  number: { kind: 'type', expected: 'number' },
} as const satisfies Record<string, PrimitiveProblem>;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** datatypes.html#string: "strings SHALL NOT exceed 1MB in size". */
const MAX_STRING_BYTES = 1024 * 1024;
/** datatypes.html#string: no character below U+0020 except tab, carriage return and line feed. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/**
 * datatypes.html#string: "a sequence of Unicode characters"; half of a UTF-16
 * surrogate pair ("\ud800" in JSON) is none, and once stored it breaks every
 * strict JSON parser that reads a page holding it.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SCRIPT = /<script/i;
/** The attributes of the start tags of a div, quoted values as the XML reader sees them (a `>` in a value is not the tag's end). */
function* attributesOf(div: string): Generator<[name: string, value: string]> {
  const attribute = /\s*([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?/y;
  for (let at = div.indexOf('<'); at !== -1; at = div.indexOf('<', at + 1)) {
    const name = /^<([a-zA-Z][^\s/>]*)/.exec(div.slice(at, at + 64));
    if (!name) continue;
    attribute.lastIndex = at + name[0].length;
    for (let found = attribute.exec(div); found; found = attribute.exec(div)) {
      yield [found[1] as string, found[2] ?? found[3] ?? found[4] ?? ''];
      at = attribute.lastIndex;
    }
  }
}

/**
 * The URL as a browser reads it: character references decoded (numeric ones
 * exactly; named ones such as &Tab; or &colon; dropped, which can only join
 * what they split), then the tab, line break and control characters URL
 * parsing removes, then case.
 */
function urlAsFollowed(value: string): string {
  return value
    .replace(/&#(?:x([0-9a-f]+)|([0-9]+));?/gi, (_m, hex?: string, dec?: string) => String.fromCodePoint(Math.min(Number.parseInt(hex ?? dec ?? '0', hex ? 16 : 10), 0x10ffff)))
    .replace(/&[a-z][a-z0-9]*;/gi, '')
    .replace(/[\u0000-\u0020]/g, '')
    .toLowerCase();
}

/** Whether a link or image of the div would run script when followed or shown: scripts are what narrative.html#xhtml forbids first. */
function hasScriptUrl(div: string): boolean {
  for (const [name, value] of attributesOf(div)) {
    const attribute = name.toLowerCase();
    if (attribute !== 'href' && attribute !== 'src') continue;
    const url = urlAsFollowed(value);
    if (url.startsWith('javascript:') || url.startsWith('vbscript:')) return true;
    if (url.startsWith('data:') && (attribute === 'href' || !url.startsWith('data:image/'))) return true;
  }
  return false;
}
/** datatypes.html#id, whatever the definitions say. */
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * The definitions' regexes are XML Schema regexes, where \s is only space,
 * tab, CR and LF; in JavaScript \s also matches U+00A0 and other Unicode
 * spaces, which would reject "Jean\u00A0Dupont" as a string. This rewrites
 * \s and \S to their XML Schema meaning.
 */
export function xmlSchemaRegex(source: string): RegExp {
  const SPACE = ' \\t\\n\\r';
  let out = '';
  let inClass = false;
  let negated = false;
  let classBody = '';
  let classNotSpace = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\' && i + 1 < source.length) {
      const next = source[i + 1] as string;
      i++;
      if (!inClass) {
        out += next === 's' ? `[${SPACE}]` : next === 'S' ? `[^${SPACE}]` : `\\${next}`;
      } else if (next === 's') {
        classBody += SPACE;
      } else if (next === 'S' && !negated) {
        classNotSpace = true;
      } else {
        classBody += `\\${next}`;
      }
      continue;
    }
    if (!inClass && c === '[') {
      inClass = true;
      negated = source[i + 1] === '^';
      if (negated) i++;
      classBody = '';
      classNotSpace = false;
      continue;
    }
    if (inClass && c === ']') {
      inClass = false;
      const cls = `[${negated ? '^' : ''}${classBody}]`;
      if (!classNotSpace) out += cls;
      // [ \r\n\t\S] (string, markdown) is then any character at all.
      else if (classBody.replace(/ |\\[tnr]/g, '') === '') out += '[\\s\\S]';
      else out += `(?:${cls}|[^${SPACE}])`;
      continue;
    }
    if (inClass) classBody += c;
    else out += c;
  }
  return new RegExp(out);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The regexes accept 2021-02-31; datatypes.html#date requires a real calendar date. */
function isCalendarDate(value: string): boolean {
  if (value.length < 10) return true;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return day <= daysInMonth(year, month);
}

function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/**
 * base64Binary in linear time: the definitions' regex backtracks badly on
 * large attachments. Whitespace is allowed (datatypes.html#base64Binary),
 * padding only at the end, and the length is a multiple of 4.
 */
export function isBase64(value: string): boolean {
  let count = 0;
  let padding = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d) {
      padding++;
      count++;
      continue;
    }
    const allowed = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (!allowed || padding > 0) return false;
    count++;
  }
  return count % 4 === 0 && padding <= 2;
}

/** Narrative.div, lightly: narrative.html#xhtml without an XML parser. */
function isLightXhtml(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.startsWith('<div') && trimmed.endsWith('</div>') && !SCRIPT.test(trimmed) && !hasScriptUrl(trimmed);
}

function stringCheck(test: (value: string) => boolean, limitSize: boolean): PrimitiveCheck {
  return (value) => {
    if (typeof value !== 'string') return WRONG_TYPE.string;
    if (value.length === 0) return EMPTY;
    if (limitSize && value.length * 3 > MAX_STRING_BYTES && utf8Length(value) > MAX_STRING_BYTES) return FORMAT;
    if (CONTROL_CHARACTER.test(value) || LONE_SURROGATE.test(value)) return FORMAT;
    return test(value) ? undefined : FORMAT;
  };
}

function integerCheck(min: number): PrimitiveCheck {
  return (value) => {
    if (typeof value !== 'number') return WRONG_TYPE.number;
    return Number.isInteger(value) && value >= min && value <= INT32_MAX ? undefined : FORMAT;
  };
}

/** Builds the check of one primitive type from its definition. */
export function primitiveCheck(definition: PrimitiveDefinition): PrimitiveCheck {
  switch (definition.name) {
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? undefined : WRONG_TYPE.boolean);
    case 'integer':
      return integerCheck(INT32_MIN);
    case 'positiveInt':
      return integerCheck(1);
    case 'unsignedInt':
      return integerCheck(0);
    case 'decimal':
      return (value) => (typeof value !== 'number' ? WRONG_TYPE.number : Number.isFinite(value) ? undefined : FORMAT);
    case 'base64Binary':
      return (value) => (typeof value !== 'string' ? WRONG_TYPE.string : value.length === 0 ? EMPTY : isBase64(value) ? undefined : FORMAT);
    case 'xhtml':
      return stringCheck(isLightXhtml, false);
    case 'id':
      return stringCheck((v) => ID.test(v), true);
    default:
      break;
  }
  if (definition.json !== 'string') throw new Error(`validation: no check for primitive ${definition.name}`);
  const regex = definition.regex ? xmlSchemaRegex(definition.regex) : undefined;
  const temporal = definition.name === 'date' || definition.name === 'dateTime' || definition.name === 'instant';
  if (!regex) return stringCheck(() => true, true);
  if (temporal) return stringCheck((v) => regex.test(v) && isCalendarDate(v), true);
  return stringCheck((v) => regex.test(v), true);
}
