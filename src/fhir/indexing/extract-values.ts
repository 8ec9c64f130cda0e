/**
 * Turns one selected element into index rows, by search parameter type and
 * element datatype, following http://hl7.org/fhir/R4/search.html (sections
 * "string", "token", "date", "number", "quantity", "reference", "uri").
 * Elements of a datatype a parameter type cannot search (a string onset for a
 * date parameter, SampledData for a quantity) yield nothing.
 */
import type { SearchParamType } from '../definitions/model.js';
import type { JsonObject } from './compile-expression.js';
import type { IndexCollector } from './index-collector.js';
import { MAX_INSTANT, MIN_INSTANT } from './index-set.js';
import { canonicalParam, canonicalUnit, toCanonical, UCUM_SYSTEM } from './ucum.js';
import { dateRange, laterNameParts, normalizeString, parseCanonical, parseReference } from './values.js';

/** Adds the rows of one selected element (value, FHIR type) for parameter `param`. */
export type Extractor = (rows: IndexCollector, param: string, value: unknown, type: string) => void;

export interface ExtractorOptions {
  /** Code system of a `code` value, from the required binding of the element (token only). */
  readonly systemOfCode?: (code: string) => string | null;
  /**
   * This server's base URLs, for references (reference only): read at each
   * call, so that the base a request arrived on counts as local too.
   */
  readonly baseUrls?: () => readonly string[];
  /** Token values are stored lower-cased (token only): see tokenFoldsCase. */
  readonly foldCase?: boolean;
  /** The values are family or given names (string only): each later word gets a row too (addName). */
  readonly nameParts?: boolean;
}

/** The parts of a HumanName whose later words are searched on their own (addName). */
export const NAME_PARTS_BY_WORD: ReadonlySet<string> = new Set(['family', 'given']);

/**
 * Longest string indexed: longer values (a markdown description) are cut, so
 * that every row fits a B-tree index entry in both storage backends.
 */
export const MAX_INDEXED_STRING = 1024;

const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'SimpleQuantity', 'MoneyQuantity']);
const URI_TYPES = new Set(['uri', 'url', 'canonical', 'oid', 'uuid']);
const NUMBER_TYPES = new Set(['decimal', 'integer', 'positiveInt', 'unsignedInt']);
/** http://hl7.org/fhir/R4/datatypes.html#Money: currencies are ISO 4217 codes. */
const CURRENCY_SYSTEM = 'urn:iso:std:iso:4217';

/** The datatypes each parameter type can index, to detect definitions whose component types are mixed up. */
export const SEARCHABLE_TYPES: Readonly<Partial<Record<SearchParamType, ReadonlySet<string>>>> = {
  string: new Set(['string', 'markdown', 'code', 'id', 'uri', 'url', 'canonical', 'HumanName', 'Address']),
  token: new Set(['Coding', 'CodeableConcept', 'Identifier', 'ContactPoint', 'boolean', 'code', 'string', 'id', 'uri', 'url', 'canonical', 'oid', 'uuid']),
  date: new Set(['date', 'dateTime', 'instant', 'Period', 'Timing']),
  number: new Set([...NUMBER_TYPES, 'Range']),
  quantity: new Set([...QUANTITY_TYPES, 'Money', 'Range']),
  reference: new Set(['Reference', 'Resource', ...URI_TYPES]),
  uri: URI_TYPES,
};

/**
 * "If the underlying data type is string then the search is not case
 * sensitive" (http://hl7.org/fhir/R4/search.html#token); ContactPoint.value
 * is a string too (an e-mail address is one whatever its case). Codes,
 * Codings and Identifiers stay case-sensitive: "Match is case sensitive
 * unless the underlying semantics for the context indicate that the token
 * should be interpreted case-insensitively (see, e.g.
 * CodeSystem.caseSensitive)"; an Identifier's value belongs to the namespace
 * its system names, as a code to its code system. uri and id values are
 * matched "precise" and "always case sensitive" (same page).
 */
const CASE_INSENSITIVE_TOKEN_TYPES: ReadonlySet<string> = new Set(['string', 'ContactPoint']);

/**
 * Whether a token parameter (or component) matches case-insensitively: every
 * datatype its expression reaches is one of CASE_INSENSITIVE_TOKEN_TYPES. The
 * indexer stores its codes lower-cased and the search lower-cases the code
 * searched. A parameter also reaching a code, an Identifier or an untyped
 * value (an extension's value[x]) stays case-sensitive.
 */
export function tokenFoldsCase(types: readonly string[]): boolean {
  return types.length > 0 && types.every((type) => CASE_INSENSITIVE_TOKEN_TYPES.has(type));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** normalizeString of a value cut to `exact`, for :contains past the cut (index-set.ts, StringIndex.whole). */
function wholeOf(value: string, exact: string): string | undefined {
  return exact.length < value.length ? normalizeString(value) : undefined;
}

function addString(rows: IndexCollector, param: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const exact = value.length > MAX_INDEXED_STRING ? value.slice(0, MAX_INDEXED_STRING) : value;
  const norm = normalizeString(exact);
  if (norm.length > 0) rows.addString(param, exact, norm, wholeOf(value, exact));
}

/**
 * A family or given name: the whole value, and each of its later words on
 * (values.ts, laterNameParts) as rows that searches match and _sort ignores.
 * Given names too: "Jean-Pierre" is found by "pierre" as "Carreno Quinones" by
 * "quinones". Other parts (prefix, suffix, text, address lines) are matched
 * whole: splitting them would add rows to most resources ("12 rue de la
 * Paix") where names rarely have more than one word.
 */
function addName(rows: IndexCollector, param: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const exact = value.length > MAX_INDEXED_STRING ? value.slice(0, MAX_INDEXED_STRING) : value;
  const norm = normalizeString(exact);
  if (norm.length === 0) return;
  rows.addString(param, exact, norm, wholeOf(value, exact));
  for (const part of laterNameParts(exact)) rows.addStringPart(param, exact, part);
}

/** A string parameter selecting family or given names themselves (Patient.name.family): each is a name. */
const extractNameParts: Extractor = (rows, param, value) => addName(rows, param, value);

/** String: a primitive, or each part of a HumanName or an Address (http://hl7.org/fhir/R4/search.html#string). */
const extractString: Extractor = (rows, param, value, type) => {
  if (typeof value === 'string') {
    addString(rows, param, value);
    return;
  }
  const element = value as JsonObject;
  if (type === 'HumanName') {
    addName(rows, param, element.family);
    for (const given of list(element.given)) addName(rows, param, given);
    for (const prefix of list(element.prefix)) addString(rows, param, prefix);
    for (const suffix of list(element.suffix)) addString(rows, param, suffix);
    addString(rows, param, element.text);
  } else if (type === 'Address') {
    for (const line of list(element.line)) addString(rows, param, line);
    addString(rows, param, element.city);
    addString(rows, param, element.district);
    addString(rows, param, element.state);
    addString(rows, param, element.postalCode);
    addString(rows, param, element.country);
    addString(rows, param, element.text);
  }
};

function normalizedText(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? normalizeString(value) : null;
}

function addCoding(rows: IndexCollector, param: string, coding: JsonObject, conceptText: string | null): void {
  const system = text(coding.system);
  const code = text(coding.code);
  const display = normalizedText(coding.display);
  if (system === null && code === null && (conceptText ?? display) === null) return;
  rows.addToken(param, system, code, conceptText ?? display);
  // :text matches Coding.display as well as CodeableConcept.text.
  if (conceptText !== null && display !== null && display !== conceptText) rows.addToken(param, null, null, display);
}

function makeTokenExtractor(systemOfCode: (code: string) => string | null, foldCase: boolean): Extractor {
  /** Token (http://hl7.org/fhir/R4/search.html#token), by datatype as in the table of that section. */
  return (rows, param, value, type) => {
    switch (type) {
      case 'boolean':
        if (typeof value === 'boolean') rows.addToken(param, null, value ? 'true' : 'false', null);
        return;
      case 'code':
        if (typeof value === 'string' && value.length > 0) rows.addToken(param, systemOfCode(value), value, null);
        return;
      case 'Coding':
        addCoding(rows, param, value as JsonObject, null);
        return;
      case 'CodeableConcept': {
        const concept = value as JsonObject;
        const conceptText = normalizedText(concept.text);
        const codings = list(concept.coding);
        for (const coding of codings) if (coding && typeof coding === 'object') addCoding(rows, param, coding as JsonObject, conceptText);
        if (codings.length === 0 && conceptText !== null) rows.addToken(param, null, null, conceptText);
        return;
      }
      case 'Identifier': {
        const identifier = value as JsonObject;
        const system = text(identifier.system);
        const code = text(identifier.value);
        if (system === null && code === null) return;
        const identifierType = (identifier.type ?? {}) as JsonObject;
        const typeText = normalizedText(identifierType.text);
        let typed = false;
        // :of-type searches Identifier.type.coding system|code with the value (http://hl7.org/fhir/R4/search.html#modifiers).
        for (const coding of list(identifierType.coding)) {
          const typeCode = text((coding as JsonObject | null)?.code);
          if (typeCode === null) continue;
          rows.addIdentifierToken(param, system, code, typeText, `${text((coding as JsonObject).system) ?? ''}|${typeCode}`);
          typed = true;
        }
        if (!typed) rows.addIdentifierToken(param, system, code, typeText, null);
        return;
      }
      case 'ContactPoint': {
        // The token is the value; ContactPoint.system is a kind (phone, email), not a namespace.
        const contact = text((value as JsonObject).value);
        if (contact !== null) rows.addToken(param, null, foldCase ? contact.toLowerCase() : contact, null);
        return;
      }
      default:
        if (typeof value === 'string' && value.length > 0 && SEARCHABLE_TYPES.token?.has(type)) {
          rows.addToken(param, null, foldCase ? value.toLowerCase() : value, null);
        }
    }
  };
}

/** The closed millisecond range a date-like element covers. */
interface Span {
  readonly low: number;
  readonly high: number;
}

/** The range a Period covers; an open end is "ongoing" (http://hl7.org/fhir/R4/datatypes.html#Period). */
function periodRange(period: JsonObject): Span | undefined {
  const start = typeof period.start === 'string' ? dateRange(period.start) : undefined;
  const end = typeof period.end === 'string' ? dateRange(period.end) : undefined;
  if (!start && !end) return undefined;
  const low = start ? start.low : MIN_INSTANT;
  const high = end ? end.high : MAX_INSTANT;
  return { low: Math.min(low, high), high: Math.max(low, high) };
}

/**
 * The outer limits of a Timing: from the earliest to the latest of its events
 * and its repeat.boundsPeriod ("the specified scheduling details are ignored
 * and only the outer limits matter", http://hl7.org/fhir/R4/search.html#date).
 * boundsDuration and boundsRange are lengths of time, not dates: they set no limit.
 */
function timingRange(timing: JsonObject): Span | undefined {
  const ranges: (Span | undefined)[] = list(timing.event).map((event) => (typeof event === 'string' ? dateRange(event) : undefined));
  const bounds = (timing.repeat as JsonObject | undefined)?.boundsPeriod;
  if (bounds && typeof bounds === 'object') ranges.push(periodRange(bounds as JsonObject));
  let outer: Span | undefined;
  for (const range of ranges) {
    if (range) outer = outer ? { low: Math.min(outer.low, range.low), high: Math.max(outer.high, range.high) } : range;
  }
  return outer;
}

/** Date (http://hl7.org/fhir/R4/search.html#date): the range each value covers at its precision. */
const extractDate: Extractor = (rows, param, value, type) => {
  let range: Span | undefined;
  switch (type) {
    case 'date':
    case 'dateTime':
    case 'instant':
      range = typeof value === 'string' ? dateRange(value) : undefined;
      break;
    case 'Period':
      range = periodRange(value as JsonObject);
      break;
    case 'Timing':
      range = timingRange(value as JsonObject);
      break;
    default:
  }
  if (range) rows.addDate(param, range.low, range.high);
};

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Number (http://hl7.org/fhir/R4/search.html#number); an open Range bound is ±Number.MAX_VALUE. */
const extractNumber: Extractor = (rows, param, value, type) => {
  if (NUMBER_TYPES.has(type)) {
    const n = numberOf(value);
    if (n !== undefined) rows.addNumber(param, n, n);
  } else if (type === 'Range') {
    const range = value as JsonObject;
    const low = numberOf((range.low as JsonObject | undefined)?.value);
    const high = numberOf((range.high as JsonObject | undefined)?.value);
    if (low !== undefined || high !== undefined) rows.addNumber(param, low ?? -Number.MAX_VALUE, high ?? Number.MAX_VALUE);
  }
};

/**
 * A UCUM quantity also in its canonical unit, under the parameter's canonical
 * rows (ucum.ts): a search in mg then finds it in g or kg (search.html#quantity,
 * canonical units), and _sort orders by those rows where a resource has them.
 * A value already in its canonical unit has one too, so that it sorts among
 * the others (5 g after 400 mg).
 */
function addCanonicalQuantity(rows: IndexCollector, param: string, system: string | null, code: string | null, low: number, high: number): void {
  if (system !== UCUM_SYSTEM || code === null) return;
  const unit = canonicalUnit(code);
  if (!unit) return;
  rows.addQuantity(canonicalParam(param), UCUM_SYSTEM, unit.code, null, toCanonical(low, unit), toCanonical(high, unit));
}

/** Quantity (http://hl7.org/fhir/R4/search.html#quantity); Money is a quantity in its ISO 4217 currency. */
const extractQuantity: Extractor = (rows, param, value, type) => {
  const element = value as JsonObject;
  if (QUANTITY_TYPES.has(type)) {
    const n = numberOf(element.value);
    if (n === undefined) return;
    rows.addQuantity(param, text(element.system), text(element.code), text(element.unit), n, n);
    addCanonicalQuantity(rows, param, text(element.system), text(element.code), n, n);
  } else if (type === 'Money') {
    const n = numberOf(element.value);
    if (n !== undefined) rows.addQuantity(param, CURRENCY_SYSTEM, text(element.currency), null, n, n);
  } else if (type === 'Range') {
    const low = (element.low ?? undefined) as JsonObject | undefined;
    const high = (element.high ?? undefined) as JsonObject | undefined;
    const lowValue = numberOf(low?.value);
    const highValue = numberOf(high?.value);
    if (lowValue === undefined && highValue === undefined) return;
    const unitSource = lowValue !== undefined ? low : high;
    rows.addQuantity(param, text(unitSource?.system), text(unitSource?.code), text(unitSource?.unit),
      lowValue ?? -Number.MAX_VALUE, highValue ?? Number.MAX_VALUE);
    addCanonicalQuantity(rows, param, text(unitSource?.system), text(unitSource?.code), lowValue ?? -Number.MAX_VALUE, highValue ?? Number.MAX_VALUE);
  }
};

/** The first reading of `reference` that makes it local, else its reading as external. */
function parseOwnReference(reference: string, bases: readonly string[]): ReturnType<typeof parseReference> {
  let parsed = parseReference(reference);
  for (const base of bases) {
    if (parsed?.targetId) break;
    parsed = parseReference(reference, base);
  }
  return parsed;
}

function makeReferenceExtractor(baseUrls: () => readonly string[]): Extractor {
  /** Reference (http://hl7.org/fhir/R4/search.html#reference): literal references, logical identifiers, canonicals. */
  return (rows, param, value, type) => {
    if (type === 'Reference') {
      const reference = value as JsonObject;
      const parsed = typeof reference.reference === 'string' ? parseOwnReference(reference.reference, baseUrls()) : undefined;
      const identifier = (reference.identifier ?? undefined) as JsonObject | undefined;
      const identifierSystem = text(identifier?.system);
      const identifierValue = text(identifier?.value);
      if (!parsed && identifierSystem === null && identifierValue === null) return;
      rows.addReference(param, {
        targetType: parsed?.targetType ?? null,
        targetId: parsed?.targetId ?? null,
        url: parsed?.url ?? null,
        version: parsed?.version ?? null,
        identifierSystem,
        identifierValue,
      });
    } else if (URI_TYPES.has(type)) {
      if (typeof value !== 'string' || value.length === 0) return;
      const { url, version } = parseCanonical(value);
      // A relative canonical ("Library/x", as R4's own examples write ActivityDefinition.library)
      // is relative to this server's base: it names the local resource, found by Type/id too.
      const local = parseReference(url);
      rows.addReference(param, { targetType: local?.targetType ?? null, targetId: local?.targetId ?? null, url, version });
    } else if (value !== null && typeof value === 'object' && typeof (value as JsonObject).resourceType === 'string') {
      // Bundle.entry[0].resource (composition, message): the resource itself, by type and id.
      const resource = value as JsonObject;
      if (typeof resource.id === 'string') rows.addReference(param, { targetType: resource.resourceType as string, targetId: resource.id, url: null });
    }
  };
}

/** Uri (http://hl7.org/fhir/R4/search.html#uri): the value as written. */
const extractUri: Extractor = (rows, param, value) => {
  if (typeof value === 'string' && value.length > 0) rows.addUri(param, value);
};

const NOTHING: Extractor = () => undefined;

/** The extractor for a parameter type; `special` (Location near) and `composite` extract nothing by themselves. */
export function extractorFor(type: SearchParamType, options: ExtractorOptions = {}): Extractor {
  switch (type) {
    case 'string': return options.nameParts ? extractNameParts : extractString;
    case 'token': return makeTokenExtractor(options.systemOfCode ?? (() => null), options.foldCase ?? false);
    case 'date': return extractDate;
    case 'number': return extractNumber;
    case 'quantity': return extractQuantity;
    case 'reference': return makeReferenceExtractor(options.baseUrls ?? (() => []));
    case 'uri': return extractUri;
    default: return NOTHING;
  }
}
