/**
 * Normalisers shared by the indexer (for stored values) and the search-query
 * side (for search values), so that both sides of a comparison are shaped the
 * same way.
 */
import { wallTimeInstants } from './local-time.js';

/**
 * Letters that Unicode NFD does not decompose (ligatures and letters with a
 * stroke), mapped to what a user typically types for them.
 */
const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i',
  'ﬀ': 'ff', 'ﬁ': 'fi', 'ﬂ': 'fl', 'ﬃ': 'ffi', 'ﬄ': 'ffl', 'ﬅ': 'st', 'ﬆ': 'st',
};
const FOLDED_PATTERN = /[œæßøłđðþıﬀ-ﬆ]/g;
const COMBINING_MARKS = /\p{M}/gu;
/** What string matching ignores once marks are gone: everything but letters and digits (punctuation, symbols, whitespace). */
const IGNORED_RUNS = /[^\p{L}\p{N}]+/gu;
/** One character that separates words: neither a letter, a digit nor a combining mark. */
const SEPARATOR_CHARACTER = /^[^\p{L}\p{N}\p{M}]$/u;
/** What free text collapses to one space. */
const WHITESPACE_RUNS = /\s+/g;

/** Case, accents and ligatures folded: what string matching and free text share. */
function foldLetters(value: string): string {
  return value
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(FOLDED_PATTERN, (letter) => FOLDED_LETTERS[letter] ?? letter);
}

/** normalizeString's full path, for any text; FOLD_TABLE caches its result for each Latin letter. */
function foldSlowly(value: string): string {
  return foldLetters(value).replace(IGNORED_RUNS, '');
}

/** normalizeText's full path; TEXT_FOLD_TABLE caches its result for each Latin letter. */
function foldTextSlowly(value: string): string {
  return foldLetters(value).replace(WHITESPACE_RUNS, ' ').trim();
}

/**
 * Below U+0250 (Basic Latin to Latin Extended-B, where nearly all names in
 * Latin script fall), folding is character by character, so a table of
 * each character's folding avoids the cost of NFD and regular expressions.
 * For string matching, punctuation, symbols and spaces fold to ''.
 */
const TABLE_LIMIT = 0x250;
const FOLD_TABLE: readonly string[] = Array.from({ length: TABLE_LIMIT }, (_, code) => foldSlowly(String.fromCharCode(code)));
const TEXT_FOLD_TABLE: readonly string[] = Array.from({ length: TABLE_LIMIT }, (_, code) => foldTextSlowly(String.fromCharCode(code)));

/** The characters below TABLE_LIMIT that \s matches. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0;
}

/**
 * Free text, for _text and _content (http://hl7.org/fhir/R4/search.html#text,
 * #content: server-defined text search, matched with "contains"): lower case,
 * accents removed, ligatures spelled out, whitespace collapsed and trimmed;
 * punctuation is kept and words stay apart, so that "jean dupont" is a phrase.
 */
export function normalizeText(value: string): string {
  // Fast path: most values are printable ASCII with single spaces, needing only lower-casing.
  const last = value.length - 1;
  let i = 0;
  for (; i <= last; i++) {
    const c = value.charCodeAt(i);
    if (c >= 127 || c < 32 || (c === 32 && (i === 0 || i === last || value.charCodeAt(i - 1) === 32))) break;
  }
  if (i > last) return value.toLowerCase();
  let folded = '';
  let pendingSpace = false;
  for (i = 0; i <= last; i++) {
    const c = value.charCodeAt(i);
    if (c >= TABLE_LIMIT) return foldTextSlowly(value);
    if (isSpace(c)) {
      pendingSpace = folded.length > 0;
      continue;
    }
    if (pendingSpace) {
      folded += ' ';
      pendingSpace = false;
    }
    folded += TEXT_FOLD_TABLE[c] as string;
  }
  return folded;
}

/** U+2000–U+206F, General Punctuation: spaces, dashes, quotes (the ’ of "D’Almeida"), bullets; all ignored. */
function isGeneralPunctuation(code: number): boolean {
  return code >= 0x2000 && code <= 0x206f;
}

/** An ASCII letter or digit, the characters kept as they are (lower-cased). */
function isAsciiWordCharacter(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39);
}

/**
 * String search matching (http://hl7.org/fhir/R4/search.html#string): "This
 * search is insensitive to casing and included combining characters, like
 * accents or other diacritical marks. Punctuation and non-significant
 * whitespace (e.g. repeated space characters, tab vs space) should also be
 * ignored." Lower case, accents removed (NFD, then combining marks dropped),
 * ligatures spelled out (œ→oe, æ→ae, ß→ss), and everything but letters and
 * digits dropped, spaces included: a hyphen, an apostrophe and a space are
 * the same in a name ("Jean-Pierre", "Jean Pierre", "O'Brien", "O Brien"),
 * so "jean pierre", "jeanpierre" and "jean-pierre" all read "jeanpierre".
 */
export function normalizeString(value: string): string {
  // Fast path, small enough to be inlined: ASCII letters and digits only (most names, codes, cities, postal codes).
  const length = value.length;
  let i = 0;
  while (i < length && isAsciiWordCharacter(value.charCodeAt(i))) i++;
  return i === length ? value.toLowerCase() : foldFrom(value, i);
}

/**
 * normalizeString of a value whose first character to drop or fold is at
 * `start`: characters folded by the table, or the whole value by the full
 * path past the table.
 */
function foldFrom(value: string, start: number): string {
  const length = value.length;
  // Runs of characters kept as they are are copied whole; lower-cased once at the end (table entries are lower case already).
  let folded = '';
  let kept = 0;
  for (let i = start; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80 && isAsciiWordCharacter(c)) continue;
    let replacement: string;
    if (c < TABLE_LIMIT) replacement = FOLD_TABLE[c] as string;
    else if (isGeneralPunctuation(c)) replacement = '';
    else return foldSlowly(value);
    if (i > kept) folded += value.slice(kept, i);
    if (replacement !== '') folded += replacement;
    kept = i + 1;
  }
  if (kept < length) folded += value.slice(kept);
  return folded.toLowerCase();
}

/** Whether the character at `index` separates words (what normalizeString drops, but combining marks). */
function separatesWords(value: string, index: number): boolean {
  const c = value.charCodeAt(index);
  if (c < 0x80) return !isAsciiWordCharacter(c);
  if (c < TABLE_LIMIT) return FOLD_TABLE[c] === '';
  if (isGeneralPunctuation(c)) return true;
  // Surrogates belong to letters and symbols beyond the BMP: never cut there.
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return SEPARATOR_CHARACTER.test(value.charAt(index));
}

/** At most this many later words of one name get a row of their own: bounds what a pathological value costs. */
export const MAX_NAME_PARTS = 8;

const NO_PARTS: readonly string[] = [];

/**
 * The normalised text of a name from each of its later words on:
 * "Carreno Quinones" → ["quinones"], "O'Brien-Zyx" → ["brienzyx", "zyx"],
 * "de la Fontaine" → ["lafontaine", "fontaine"]. Indexed beside the whole
 * name, they make each part findable by prefix on its own: "servers should
 * search the parts of a family name independently. E.g. searching either
 * "Carreno" or "Quinones" should match a family name of "Carreno Quinones""
 * (http://hl7.org/fhir/R4/search.html#string). A one-word name has none (the
 * common case: no allocation).
 */
export function laterNameParts(value: string): readonly string[] {
  // Fast path: one run of ASCII letters and digits ("Martin3") has no later word.
  let i = 0;
  while (i < value.length && isAsciiWordCharacter(value.charCodeAt(i))) i++;
  if (i === value.length) return NO_PARTS;
  let parts: string[] | undefined;
  let seenWord = i > 0;
  let inWord = seenWord;
  for (; i < value.length; i++) {
    if (separatesWords(value, i)) {
      inWord = false;
      continue;
    }
    if (!inWord && seenWord) {
      const part = normalizeString(value.slice(i));
      if (part !== '') (parts ??= []).push(part);
      if (parts?.length === MAX_NAME_PARTS) break;
    }
    inWord = true;
    seenWord = true;
  }
  return parts ?? NO_PARTS;
}

export type DatePrecision = 'year' | 'month' | 'day' | 'minute' | 'second' | 'millisecond';

export interface DateRange {
  /** First millisecond (since the epoch, UTC) the value covers. */
  readonly low: number;
  /** Last millisecond the value covers (closed range). */
  readonly high: number;
  readonly precision: DatePrecision;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/**
 * FHIR date, dateTime and instant (http://hl7.org/fhir/R4/datatypes.html#dateTime),
 * plus minute precision, which search values use. Seconds and the time zone are
 * optional here for the same reason: a time without zone is read in the zone
 * `dateRange` is given (the server's, for a search value), else in UTC.
 */
const DATE_PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date; unlike Date.UTC it does
 * not shift years 0–99 into the 1900s (H. Hinnant's days_from_civil).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The closed millisecond range a date, dateTime or instant covers at its
 * precision (http://hl7.org/fhir/R4/search.html#date: "2020-03" means the
 * whole of March 2020). Date-only values are taken in UTC; a value with a time
 * is shifted by its time zone; a time written without one (which only search
 * values may be: R4's dateTime requires it) is a wall-clock time of
 * `localZone` (IANA name) when given, else of UTC, and covers both instants
 * it names in the hour repeated when clocks go back (local-time.ts). Returns
 * undefined for anything that is not a valid FHIR date (month 13, 29 February
 * of a common year, year 0000…).
 */
export function dateRange(value: string, localZone?: string): DateRange | undefined {
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zone] = match;
  const year = Number(yearText);
  if (year === 0) return undefined;
  if (monthText === undefined) {
    const low = daysFromCivil(year, 1, 1) * MS_PER_DAY;
    return { low, high: daysFromCivil(year + 1, 1, 1) * MS_PER_DAY - 1, precision: 'year' };
  }
  const month = Number(monthText);
  if (month < 1 || month > 12) return undefined;
  if (dayText === undefined) {
    const low = daysFromCivil(year, month, 1) * MS_PER_DAY;
    return { low, high: low + daysInMonth(year, month) * MS_PER_DAY - 1, precision: 'month' };
  }
  const day = Number(dayText);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  const dayStart = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (hourText === undefined || minuteText === undefined) {
    return { low: dayStart, high: dayStart + MS_PER_DAY - 1, precision: 'day' };
  }
  const hour = Number(hourText);
  const minute = Number(minuteText);
  // Second 60 is a leap second, allowed by the FHIR regex.
  const second = secondText === undefined ? 0 : Number(secondText);
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const offset = zoneOffsetMinutes(zone);
  if (offset === undefined) return undefined;
  // The value's start and width on its own clock, then placed in time.
  const secondStart = dayStart + (hour * 60 + minute) * MS_PER_MINUTE + second * 1000;
  // ".5" covers 500–599 ms; digits beyond the millisecond are truncated.
  const digits = fraction === undefined ? 0 : Math.min(fraction.length, 3);
  const [wallStart, width, precision]: [number, number, DatePrecision] = secondText === undefined
    ? [secondStart, MS_PER_MINUTE, 'minute']
    : fraction === undefined
      ? [secondStart, 1000, 'second']
      : [secondStart + Number(fraction.slice(0, digits)) * 10 ** (3 - digits), 10 ** (3 - digits), 'millisecond'];
  if (zone === undefined && localZone !== undefined) {
    const { earliest, latest } = wallTimeInstants(localZone, wallStart);
    return { low: earliest, high: latest + width - 1, precision };
  }
  const low = wallStart - offset * MS_PER_MINUTE;
  return { low, high: low + width - 1, precision };
}

/** Minutes east of UTC; 0 when absent; undefined outside ±14:00 (the FHIR regex bound). */
function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

export interface ParsedReference {
  /** Resource type and id of a relative reference, or of an absolute one on this server. */
  readonly targetType: string | null;
  readonly targetId: string | null;
  /** The absolute URL (without /_history/…) of a reference to another server, or a urn:uuid/urn:oid. */
  readonly url: string | null;
  /** The version of a versioned reference (…/_history/2). */
  readonly version: string | null;
}

/** Type/id[/_history/version], per the literal reference rules of http://hl7.org/fhir/R4/references.html#literal. */
const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]{0,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;
const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const HISTORY_SUFFIX = /\/_history\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Parses Reference.reference (http://hl7.org/fhir/R4/references.html#Reference):
 * "Patient/123" and "Patient/123/_history/2" are local; an absolute URL that
 * starts with `baseUrl` + "/" is local too; any other absolute URL or URN is
 * kept whole in `url` (its type and id stay null so that it never matches a
 * local target). Returns undefined for a contained reference ("#id") and for
 * relative text that is not Type/id.
 */
export function parseReference(reference: string, baseUrl?: string): ParsedReference | undefined {
  if (reference.length === 0 || reference.startsWith('#')) return undefined;
  const local = RELATIVE_REFERENCE.exec(reference);
  if (local) return { targetType: local[1] ?? null, targetId: local[2] ?? null, url: null, version: local[3] ?? null };
  if (!ABSOLUTE_URL.test(reference)) return undefined;
  if (baseUrl) {
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    if (reference.startsWith(base)) {
      const inner = RELATIVE_REFERENCE.exec(reference.slice(base.length));
      if (inner) return { targetType: inner[1] ?? null, targetId: inner[2] ?? null, url: null, version: inner[3] ?? null };
    }
  }
  const history = HISTORY_SUFFIX.exec(reference);
  if (history) return { targetType: null, targetId: null, url: reference.slice(0, history.index), version: history[1] ?? null };
  return { targetType: null, targetId: null, url: reference, version: null };
}

/**
 * The resource type a reference points to, as `resolve() is T` needs it without
 * fetching anything: from the reference itself (relative, or the last two
 * segments of an absolute URL), else from Reference.type (a type name or the
 * URL of its StructureDefinition).
 */
export function referenceTargetType(reference: unknown, type: unknown): string | undefined {
  if (typeof reference === 'string') {
    const history = reference.indexOf('/_history/');
    const path = history < 0 ? reference : reference.slice(0, history);
    const idSlash = path.lastIndexOf('/');
    if (idSlash > 0) {
      const typeSlash = path.lastIndexOf('/', idSlash - 1);
      const candidate = path.slice(typeSlash + 1, idSlash);
      if (/^[A-Z][A-Za-z]*$/.test(candidate)) return candidate;
    }
  }
  if (typeof type === 'string' && type.length > 0) return type.slice(type.lastIndexOf('/') + 1);
  return undefined;
}

/** A canonical reference "url|version" (http://hl7.org/fhir/R4/references.html#canonical). */
export function parseCanonical(value: string): { readonly url: string; readonly version: string | null } {
  const bar = value.indexOf('|');
  return bar < 0 ? { url: value, version: null } : { url: value.slice(0, bar), version: value.slice(bar + 1) || null };
}
