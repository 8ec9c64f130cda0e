/**
 * One search parameter occurrence ("name[:modifier][.chain]" = "v1,v2") into a
 * storage Condition, by the rules of http://hl7.org/fhir/R4/search.html.
 * Values always become bound data; names only select definitions.
 */
import { fail } from '../../core/errors.js';
import { qualifiedParam, type CanonicalKeys, type Condition, type IndexTable, type RangePrefix } from '../../storage/query.js';
import type { SearchParameterDefinition, SearchParamType } from '../definitions/model.js';
import type { FhirSchema } from '../definitions/schema.js';
import { MAX_INDEXED_STRING } from '../indexing/extract-values.js';
import { canonicalParam, canonicalUnit, toCanonical, UCUM_SYSTEM } from '../indexing/ucum.js';
import { dateRange, normalizeString, normalizeText, parseCanonical, parseReference } from '../indexing/values.js';
import { hasIllegalEscape, numberRange, orValues, parseQuantity, parseToken, splitPrefix, splitUnescaped, unescapeValue } from './search-values.js';
import type { SystemCodes, TerminologyModifier, TerminologyUse } from './terminology-modifiers.js';
import { MAX_URI_SEGMENTS, uriAbove, uriBelow, uriEquals } from './uri-conditions.js';

export interface ParameterContext {
  readonly schema: FhirSchema;
  readonly baseUrl: string;
  readonly now: number;
  /**
   * The server's time zone (IANA name): a date searched with a time but no zone is a
   * wall-clock time there (search.html#date); absent, UTC.
   */
  readonly timeZone?: string;
  /**
   * The parameter type of each component of a composite, as the indexer reads
   * them (it corrects the definitions where they are inconsistent).
   */
  readonly compositeTypes?: (resourceType: string, code: string) => readonly SearchParamType[];
  /**
   * The string parameters whose rows stand for a parameter's own (the
   * indexer stores a value once: string-coverage.ts); a search reads them too.
   */
  readonly coveredParams: (resourceType: string, code: string) => readonly string[];
  /**
   * Whether a token parameter ("code", or "code$i" for a composite's
   * component) matches case-insensitively, its values indexed lower-cased
   * (indexing/extract-values.ts, tokenFoldsCase): the code searched is lower-cased too.
   */
  readonly tokenFoldsCase: (resourceType: string, param: string) => boolean;
  /**
   * Whether a uri parameter reads canonical elements (meta.profile), whose
   * values may end with "|version" (indexing/resource-indexer.ts); absent, none does.
   */
  readonly uriReadsCanonicals?: (resourceType: string, code: string) => boolean;
  /**
   * The codes a token's :in, :not-in, :below or :above stands for, fetched
   * before parsing (terminology-modifiers.ts); absent, those modifiers are refused.
   */
  readonly tokenCodes?: (use: TerminologyUse) => readonly SystemCodes[] | undefined;
}

/** Chains of more links than this are refused (search.html#chaining leaves the depth to servers). */
export const MAX_CHAIN_DEPTH = 3;

const TABLE_OF_TYPE: Partial<Record<SearchParamType, IndexTable>> = {
  string: 'string', token: 'token', date: 'date', number: 'number', quantity: 'quantity', reference: 'reference', uri: 'uri',
};

const RANGE_PREFIXES_EXACT: readonly RangePrefix[] = ['gt', 'lt', 'ge', 'le', 'sa', 'eb'];

export class UnknownParameter extends Error {
  constructor(readonly parameterName: string) {
    super(parameterName);
  }
}

function invalid(name: string, value: string, reason: string): never {
  throw fail('search.invalid-value', { name, value, reason });
}

function unsupportedModifier(name: string, modifier: string, type: string): never {
  throw fail('search.unsupported-modifier', { name, modifier, paramType: type });
}

/** Splits "name:modifier" (the modifier may itself hold a type name). */
export function splitModifier(name: string): { code: string; modifier?: string } {
  const colon = name.indexOf(':');
  return colon < 0 ? { code: name } : { code: name.slice(0, colon), modifier: name.slice(colon + 1) };
}

/**
 * The condition for `name` = `value` on `resourceType`. `name` may carry a
 * modifier and a chain; repeated occurrences (AND) are separate calls.
 */
export function parseParameter(resourceType: string, name: string, value: string, ctx: ParameterContext, depth = 0): Condition {
  if (name.startsWith('_has:')) return parseHas(resourceType, name, value, ctx, depth);
  const dot = name.indexOf('.');
  if (dot > 0) return parseChain(resourceType, name.slice(0, dot), name.slice(dot + 1), value, ctx, depth);
  const { code, modifier } = splitModifier(name);
  if (hasIllegalEscape(value)) invalid(name, value, 'a backslash escapes only , $ | and \\ (search.html#escaping)');
  if (code === '_id') return parseIdParameter(name, modifier, value);
  if (code === '_lastUpdated') return parseLastUpdated(name, modifier, value, ctx);
  if (code === '_list') return parseList(name, modifier, value);
  const definition = ctx.schema.searchParameter(resourceType, code);
  if (!definition) throw new UnknownParameter(name);
  // A special parameter (Location's near) has no index here: unknown, so ignored and reported, or refused when strict.
  if (definition.type === 'special') throw new UnknownParameter(name);
  const param = qualifiedParam(resourceType, code);
  const also = definition.type === 'string' ? ctx.coveredParams(resourceType, code).map((c) => qualifiedParam(resourceType, c)) : [];
  // _text and _content live in the text index, which :missing does not read: refused rather than answered wrong.
  if (code === '_text' || code === '_content') return parseText(code, name, modifier, value);
  if (modifier === 'missing' && definition.type === 'composite') return parseCompositeMissing(definition, resourceType, param, name, value, ctx);
  if (modifier === 'missing') return withCovered(parseMissing(definition, param, name, value), also);
  const alternatives = orValues(value).map((v) => withCovered(parseValue(definition, param, name, modifier, v, ctx, resourceType), also));
  if ((modifier === 'not' || modifier === 'not-in') && definition.type === 'token') {
    // :not excludes resources having any of the codes (search.html#token, modifier not); :not-in, any code of the value sets.
    return { kind: 'not', condition: alternatives.length === 1 ? (alternatives[0] as Condition) : { kind: 'or', any: alternatives } };
  }
  return alternatives.length === 1 ? (alternatives[0] as Condition) : { kind: 'or', any: alternatives };
}

/** A string or presence condition that also reads the rows of the parameters covered (`also`, qualified). */
function withCovered(condition: Condition, also: readonly string[]): Condition {
  if (also.length === 0) return condition;
  switch (condition.kind) {
    case 'string':
    case 'present':
      return { ...condition, also };
    case 'not':
      return { kind: 'not', condition: withCovered(condition.condition, also) };
    case 'and':
      return { kind: 'and', all: condition.all.map((c) => withCovered(c, also)) };
    default:
      return condition;
  }
}

function parseValue(
  definition: SearchParameterDefinition, param: string, name: string, modifier: string | undefined,
  value: string, ctx: ParameterContext, resourceType: string,
): Condition {
  if (value === '') invalid(name, value, 'empty value');
  switch (definition.type) {
    case 'string': return parseString(param, name, modifier, value, definition.type);
    case 'token': return parseTokenValue(param, name, modifier, value, ctx.tokenFoldsCase(resourceType, rowName(param)), ctx);
    case 'date': return parseDate(param, name, modifier, value, ctx, definition.type);
    case 'number': return parseNumber(param, name, modifier, value);
    case 'quantity': return parseQuantityValue(param, name, modifier, value);
    case 'reference': return parseReferenceValue(definition, param, name, modifier, value, ctx);
    case 'uri': {
      // A composite's component is one index row of its group: matched as written.
      const canonicals = !param.includes('$') && (ctx.uriReadsCanonicals?.(resourceType, definition.code) ?? false);
      return parseUri(param, name, modifier, value, canonicals, canonicalVersionParam(definition, param, resourceType, ctx));
    }
    case 'composite': return parseComposite(definition, resourceType, name, modifier, value, ctx);
    case 'special':
      throw fail('search.unsupported-modifier', { name, modifier: modifier ?? '', paramType: 'special' });
  }
}

/**
 * The normalised form of a text to match; blank text would match every value, so it is refused like an empty one.
 * `normalize`: normalizeString for string values and :text, normalizeText for _text and _content (indexing/values.ts).
 */
function normalizedText(name: string, value: string, cut = false, normalize = normalizeString): string {
  const text = normalize(cut ? indexedPart(unescapeValue(value)) : unescapeValue(value));
  if (text === '') invalid(name, value, 'blank value');
  return text;
}

/**
 * String rows keep the first MAX_INDEXED_STRING characters of a value (see
 * indexing/README.md): a longer value is compared on that part, as it was indexed.
 */
function indexedPart(text: string): string {
  return text.length > MAX_INDEXED_STRING ? text.slice(0, MAX_INDEXED_STRING) : text;
}

function parseString(param: string, name: string, modifier: string | undefined, value: string, type: string): Condition {
  if (modifier === undefined) return { kind: 'string', param, match: 'prefix', value: normalizedText(name, value, true) };
  if (modifier === 'exact') return { kind: 'string', param, match: 'exact', value: indexedPart(unescapeValue(value)) };
  if (modifier === 'contains') return { kind: 'string', param, match: 'contains', value: normalizedText(name, value) };
  if (modifier === 'text') {
    // R4 defines :text for tokens only; the Annuaire Santé guide offers it on name, family and given ("contains, exact et
    // text"), as R5 does on strings: each word of the value is found in the text, in any order.
    const words = unescapeValue(value).split(/\s+/).filter((w) => w !== '').map((w): Condition => ({ kind: 'string', param, match: 'contains', value: normalizedText(name, w) }));
    if (words.length === 0) invalid(name, value, 'empty value');
    return words.length === 1 ? (words[0] as Condition) : { kind: 'and', all: words };
  }
  return unsupportedModifier(name, modifier, type);
}

/** The name index rows carry for a qualified parameter: "Patient.email" → "email", "Observation.combo$0" → "combo$0". */
function rowName(param: string): string {
  return param.slice(param.indexOf('.') + 1);
}

/** A mime type or its first segment (text/xml, image), with no system: what :below means on a mime-type token. */
const MIME_TYPE = /^(application|audio|font|image|message|model|multipart|text|video)(\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*)?$/i;

/**
 * :below on a mime type (search.html#mimetype): `contenttype:below=text/xml`
 * finds text/xml and text/xml with parameters (text/xml; charset=UTF-8);
 * `contenttype:below=image`, every image/ type (as R5 words it).
 */
function mimeTypeBelow(param: string, value: string, foldsCase: boolean): Condition {
  const type = foldsCase ? value.toLowerCase() : value;
  if (!type.includes('/')) return { kind: 'token', param, codePrefix: `${type}/` };
  return { kind: 'or', any: [{ kind: 'token', param, code: type }, { kind: 'token', param, codePrefix: `${type};` }] };
}

/**
 * `foldsCase`: the parameter matches case-insensitively (string-typed values
 * and ContactPoints, http://hl7.org/fhir/R4/search.html#token: "If the
 * underlying data type is string then the search is not case sensitive"),
 * its values stored lower-cased: the code searched is lower-cased too.
 */
function parseTokenValue(param: string, name: string, modifier: string | undefined, value: string, foldsCase: boolean, ctx: ParameterContext): Condition {
  if (modifier === 'text') return { kind: 'token', param, textPrefix: normalizedText(name, value) };
  if (modifier === 'below' && MIME_TYPE.test(value)) return mimeTypeBelow(param, value, foldsCase);
  if (modifier === 'in' || modifier === 'not-in' || modifier === 'below' || modifier === 'above') {
    return parseTerminologyToken(param, name, modifier, value, foldsCase, ctx);
  }
  if (modifier === 'of-type') {
    const parts = splitUnescaped(value, '|').map(unescapeValue);
    if (parts.length !== 3 || parts.some((p) => p === '')) invalid(name, value, 'expected system|code|value');
    return { kind: 'token', param, ofType: `${parts[0]}|${parts[1]}`, code: parts[2] as string };
  }
  if (modifier !== undefined && modifier !== 'not') return unsupportedModifier(name, modifier, 'token');
  const token = parseToken(value);
  if (token.code === undefined && token.system === undefined) invalid(name, value, 'expected [system|]code');
  if (token.code === undefined && token.system === null) invalid(name, value, 'expected [system|]code');
  return {
    kind: 'token',
    param,
    ...(token.system !== undefined ? { system: token.system } : {}),
    ...(token.code !== undefined ? { code: foldsCase ? token.code.toLowerCase() : token.code } : {}),
  };
}

/**
 * :in/:not-in (a ValueSet), :below/:above (system|code): the codes they stand
 * for, one IN list per system (:not-in is negated by parseParameter).
 */
function parseTerminologyToken(param: string, name: string, modifier: TerminologyModifier | 'not-in', value: string, foldsCase: boolean, ctx: ParameterContext): Condition {
  const found = ctx.tokenCodes?.({ modifier: modifier === 'not-in' ? 'in' : modifier, value: unescapeValue(value), name });
  if (found === undefined) return unsupportedModifier(name, modifier, 'token');
  const any = found.filter((s) => s.codes.length > 0).map((s): Condition => ({
    kind: 'token', param, system: s.system, codes: foldsCase ? s.codes.map((c) => c.toLowerCase()) : s.codes,
  }));
  return any.length === 1 ? (any[0] as Condition) : { kind: 'or', any };
}

/**
 * ap: the search range widened by 10% of its distance from now (search.html#prefix), at least a day.
 * Whole milliseconds, as dates are stored (a fraction is refused by a BIGINT column).
 */
function widen(low: number, high: number, now: number): [number, number] {
  const gap = Math.max(Math.abs(now - low), Math.abs(now - high)) * 0.1;
  const margin = Math.ceil(Math.max(gap, 86_400_000));
  return [low - margin, high + margin];
}

function parseDate(param: string, name: string, modifier: string | undefined, value: string, ctx: ParameterContext, type: string): Condition {
  if (modifier !== undefined) return unsupportedModifier(name, modifier, type);
  const { low, high, prefix } = dateSearchRange(name, value, ctx);
  return { kind: 'range', table: 'date', param, prefix, low, high };
}

/**
 * A time without a time zone ("you SHOULD provide a time zone if the time part is present", search.html#date) is
 * read in the server's zone (ctx.timeZone): "Where both search parameters and resource element date times do not
 * have time zones, the servers local time zone should be assumed". Stored dateTimes with a time always carry one
 * (R4's dateTime requires it).
 */
function dateSearchRange(name: string, value: string, ctx: Pick<ParameterContext, 'now' | 'timeZone'>): { low: number; high: number; prefix: RangePrefix } {
  const { now } = ctx;
  const { prefix, rest } = splitPrefix(value);
  // A '+' of a time zone often arrives decoded as a space from a form or a careless client.
  const range = dateRange(unescapeValue(rest).replace(' ', '+'), ctx.timeZone);
  if (!range) invalid(name, value, 'expected a date such as 2024, 2024-05, 2024-05-17 or 2024-05-17T10:00:00Z');
  if (prefix === 'ap') {
    const [low, high] = widen(range.low, range.high, now);
    return { low, high, prefix };
  }
  return { low: range.low, high: range.high, prefix };
}

/** The largest double below x: the closed form, as storage compares, of a range open at x. */
function justBelow(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + (x > 0 ? -1n : 1n));
  return view.getFloat64(0);
}

function numberSearchRange(name: string, value: string, text: string, prefix: RangePrefix): { low: number; high: number } {
  const range = numberRange(text);
  if (!range) invalid(name, value, 'expected a number');
  // gt, lt, ge, le, sa, eb compare with the value itself; eq, ne and ap use its implicit precision.
  if (RANGE_PREFIXES_EXACT.includes(prefix)) return { low: range.value, high: range.value };
  if (prefix === 'ap') return range.approximate;
  // "100" is the range [99.5, 100.5): the upper bound is excluded (search.html#number).
  // Given with more digits than a double holds (1000000000000000000, 66.899999999999991),
  // the range rounds to the value itself: excluding that bound would exclude the value.
  return { low: range.low, high: range.high > range.value ? justBelow(range.high) : range.high };
}

function parseNumber(param: string, name: string, modifier: string | undefined, value: string): Condition {
  if (modifier !== undefined) return unsupportedModifier(name, modifier, 'number');
  const { prefix, rest } = splitPrefix(value);
  const { low, high } = numberSearchRange(name, value, rest, prefix);
  return { kind: 'range', table: 'number', param, prefix, low, high };
}

function parseQuantityValue(param: string, name: string, modifier: string | undefined, value: string): Condition {
  if (modifier !== undefined) return unsupportedModifier(name, modifier, 'quantity');
  const { prefix, rest } = splitPrefix(value);
  const quantity = parseQuantity(rest);
  if (!quantity) invalid(name, value, 'expected number|system|code');
  const { low, high } = numberSearchRange(name, value, quantity.number, prefix);
  const asWritten: Condition = {
    kind: 'range', table: 'quantity', param, prefix, low, high,
    ...(quantity.system !== undefined ? { system: quantity.system } : {}),
    ...(quantity.code !== undefined ? { code: quantity.code } : {}),
  };
  const canonical = quantity.system === undefined || quantity.system === UCUM_SYSTEM ? inCanonicalUnit(param, prefix, low, high, quantity.code) : [];
  return canonical.length === 0 ? asWritten : { kind: 'or', any: [asWritten, ...canonical] };
}

/**
 * A UCUM quantity searched in its canonical unit too (search.html#quantity:
 * "any value where the units can be converted to a value in mg"): the values
 * stored in that unit, and the canonical rows of those stored in another
 * commensurable one (indexing/ucum.ts). None when the code has no canonical form.
 */
function inCanonicalUnit(param: string, prefix: RangePrefix, low: number, high: number, code: string | undefined): Condition[] {
  const unit = code === undefined ? undefined : canonicalUnit(code);
  if (!unit) return [];
  const range = { kind: 'range', table: 'quantity', prefix, low: toCanonical(low, unit), high: toCanonical(high, unit), system: UCUM_SYSTEM, code: unit.code } as const;
  const storedCanonical: Condition = { ...range, param: canonicalParam(param) };
  return unit.code === code ? [storedCanonical] : [{ ...range, param }, storedCanonical];
}

function parseReferenceValue(
  definition: SearchParameterDefinition, param: string, name: string, modifier: string | undefined,
  value: string, ctx: ParameterContext,
): Condition {
  const text = unescapeValue(value);
  if (modifier === 'identifier') {
    const token = parseToken(value);
    if (token.code === undefined) invalid(name, value, 'expected system|value');
    return {
      kind: 'reference', param, identifierValue: token.code,
      ...(token.system !== undefined ? { identifierSystem: token.system } : {}),
    };
  }
  if (modifier === 'below' && /^[a-z][a-z0-9+.-]*:/i.test(text)) {
    // A canonical URL: every version, or with |v the version v and those below it (1 → 1.0, 1.1; search.html#versions).
    const canonical = parseCanonical(text);
    return { kind: 'reference', param, url: canonical.url, ...(canonical.version !== null ? { versionBelow: canonical.version } : {}) };
  }
  let typeFilter: string | undefined;
  if (modifier !== undefined) {
    if (!ctx.schema.isResourceType(modifier)) return unsupportedModifier(name, modifier, 'reference');
    if (definition.target && !definition.target.includes(modifier)) {
      invalid(name, value, `${modifier} is not a target of ${definition.code}`);
    }
    typeFilter = modifier;
  }
  if (/^[A-Za-z0-9\-.]{1,64}$/.test(text)) {
    // A bare id: any of the parameter's target types (or the one the modifier names).
    return {
      kind: 'reference', param, targetId: text,
      ...(typeFilter ? { targetTypes: [typeFilter] } : definition.target ? { targetTypes: definition.target } : {}),
    };
  }
  const parsed = parseReference(text, ctx.baseUrl);
  if (parsed?.targetType && parsed.targetId) {
    if (typeFilter && parsed.targetType !== typeFilter) invalid(name, value, `the reference is not to a ${typeFilter}`);
    return { kind: 'reference', param, targetTypes: [parsed.targetType], targetId: parsed.targetId };
  }
  // An absolute URL of another server, versioned as the index keeps it (url without /_history/n, and n).
  if (parsed?.url && parsed.version !== null && !text.includes('|')) {
    return { kind: 'reference', param, url: parsed.url, version: parsed.version };
  }
  // A URN, an unversioned absolute URL, or a canonical url|version.
  const canonical = parseCanonical(text);
  return {
    kind: 'reference', param, url: canonical.url,
    ...(canonical.version !== null ? { version: canonical.version } : {}),
  };
}

/** The branches of a union expression ("A.url | B.url"). */
function branches(expression: string | undefined): string[] {
  return (expression ?? '').split('|').map((branch) => branch.trim());
}

/**
 * The parameter holding the version of a canonical resource, when `param` is
 * that resource's own url (ValueSet.url): then "url|version" is a search on
 * both. Undefined for other uri parameters, whose values keep a "|" as written
 * (_profile, instantiates-uri), and for a component of a composite.
 */
function canonicalVersionParam(
  definition: SearchParameterDefinition, param: string, resourceType: string, ctx: ParameterContext,
): VersionParam | undefined {
  if (param !== qualifiedParam(resourceType, definition.code)) return undefined;
  if (!branches(definition.expression).includes(`${resourceType}.url`)) return undefined;
  const version = ctx.schema.searchParameter(resourceType, 'version');
  if (version?.type !== 'token' || !branches(version.expression).includes(`${resourceType}.version`)) return undefined;
  return { param: qualifiedParam(resourceType, version.code), foldsCase: ctx.tokenFoldsCase(resourceType, version.code) };
}

/** The token parameter of a canonical resource's version, and whether it matches case-insensitively (a string: it does). */
interface VersionParam {
  readonly param: string;
  readonly foldsCase: boolean;
}

/**
 * Uri (http://hl7.org/fhir/R4/search.html#uri): exact, :below or :above
 * (uri-conditions.ts: path segments, and the versions of values of canonical
 * elements, `canonicals`). On a
 * canonical resource's url, "url|version" finds that url at that version
 * (the resource's `version` element; an empty version is the url alone).
 */
function parseUri(
  param: string, name: string, modifier: string | undefined, value: string, canonicals: boolean, versionParam?: VersionParam,
): Condition {
  const text = unescapeValue(value);
  if (modifier === undefined) {
    const [head = '', ...tail] = splitUnescaped(value, '|');
    if (versionParam === undefined || tail.length === 0) return canonicals ? uriEquals(param, text) : { kind: 'uri', param, values: [text] };
    const url: Condition = { kind: 'uri', param, values: [unescapeValue(head)] };
    const version = unescapeValue(tail.join('|'));
    if (version === '') return url;
    const code = versionParam.foldsCase ? version.toLowerCase() : version;
    return { kind: 'and', all: [url, { kind: 'token', param: versionParam.param, code }] };
  }
  if (modifier === 'below' || modifier === 'above') {
    const condition = modifier === 'below' ? uriBelow(param, text, canonicals) : uriAbove(param, text, canonicals);
    if (condition === 'not-a-url') invalid(name, value, `:${modifier} applies to URLs (scheme://authority/path), not to URNs (search.html#uri)`);
    if (condition === 'too-many-segments') invalid(name, value, `:above reads at most ${MAX_URI_SEGMENTS} path segments`);
    return condition;
  }
  return unsupportedModifier(name, modifier, 'uri');
}

/** "code-value-quantity=http://loinc.org|8480-6$gt100" (search.html#composite). */
function parseComposite(
  definition: SearchParameterDefinition, resourceType: string, name: string, modifier: string | undefined,
  value: string, ctx: ParameterContext,
): Condition {
  if (modifier !== undefined) return unsupportedModifier(name, modifier, 'composite');
  const components = definition.component ?? [];
  const parts = splitUnescaped(value, '$');
  if (parts.length !== components.length) invalid(name, value, `expected ${components.length} parts separated by $`);
  const indexedTypes = ctx.compositeTypes?.(resourceType, definition.code);
  const conditions = components.map((component, index) => {
    const componentDefinition = ctx.schema.searchParameterByUrl(component.definition);
    if (!componentDefinition) invalid(name, value, 'unknown component');
    const type = indexedTypes?.[index] ?? componentDefinition.type;
    const param = `${resourceType}.${definition.code}$${index}`;
    return parseValue({ ...componentDefinition, type }, param, name, undefined, parts[index] as string, ctx, resourceType);
  });
  return compositeOf(conditions);
}

/**
 * The composite of `components`, where a component that is an OR of values
 * (a quantity also in canonical units) makes an OR of composites, one per
 * value: each composite matches its values within one group of rows.
 */
function compositeOf(components: readonly Condition[]): Condition {
  const index = components.findIndex((c) => c.kind === 'or');
  const alternatives = index < 0 ? undefined : components[index];
  if (alternatives?.kind !== 'or') return { kind: 'composite', components };
  return { kind: 'or', any: alternatives.any.map((a) => compositeOf(components.map((c, i) => (i === index ? a : c)))) };
}

function parseMissing(definition: SearchParameterDefinition, param: string, name: string, value: string): Condition {
  if (value !== 'true' && value !== 'false') invalid(name, value, 'expected true or false');
  const table = TABLE_OF_TYPE[definition.type];
  if (!table) return unsupportedModifier(name, 'missing', definition.type);
  const present: Condition = { kind: 'present', table, param };
  return value === 'true' ? { kind: 'not', condition: present } : present;
}

/**
 * :missing on a composite (search.html#modifiers: :missing applies to every
 * parameter type): a composite value is present when its first component's
 * rows are, the indexer keeping only groups where every component has a value.
 */
function parseCompositeMissing(
  definition: SearchParameterDefinition, resourceType: string, param: string, name: string, value: string, ctx: ParameterContext,
): Condition {
  const first = definition.component?.[0];
  const type = ctx.compositeTypes?.(resourceType, definition.code)[0] ?? (first ? ctx.schema.searchParameterByUrl(first.definition)?.type : undefined);
  if (type === undefined) return unsupportedModifier(name, 'missing', 'composite');
  return parseMissing({ ...definition, type }, `${param}$0`, name, value);
}

function parseText(code: string, name: string, modifier: string | undefined, value: string): Condition {
  if (modifier !== undefined) return unsupportedModifier(name, modifier, 'string');
  const field = code === '_text' ? 'narrative' : 'content';
  const any = orValues(value).map((v): Condition => ({ kind: 'text', field, value: normalizedText(name, v, false, normalizeText) }));
  return any.length === 1 ? (any[0] as Condition) : { kind: 'or', any };
}

/** :missing on an element every resource has (_id, _lastUpdated): true matches none, false all. */
function parseAlwaysPresent(name: string, value: string): Condition {
  if (value !== 'true' && value !== 'false') invalid(name, value, 'expected true or false');
  return value === 'true' ? { kind: 'or', any: [] } : { kind: 'not', condition: { kind: 'or', any: [] } };
}

function parseIdParameter(name: string, modifier: string | undefined, value: string): Condition {
  // Every resource has an id.
  if (modifier === 'missing') return parseAlwaysPresent(name, value);
  const ids = orValues(value).map(unescapeValue);
  if (modifier === 'not') return { kind: 'not', condition: { kind: 'id', ids } };
  if (modifier !== undefined) return unsupportedModifier(name, modifier, 'token');
  return { kind: 'id', ids };
}

function parseLastUpdated(name: string, modifier: string | undefined, value: string, ctx: ParameterContext): Condition {
  // Every resource has a meta.lastUpdated, as it has an id.
  if (modifier === 'missing') return parseAlwaysPresent(name, value);
  if (modifier !== undefined) return unsupportedModifier(name, modifier, 'date');
  const any = orValues(value).map((v): Condition => {
    const { low, high, prefix } = dateSearchRange(name, v, ctx);
    return { kind: 'lastUpdated', prefix, low, high };
  });
  return any.length === 1 ? (any[0] as Condition) : { kind: 'or', any };
}

/** _list=id: members of that List (search.html#list); it takes no modifier. */
function parseList(name: string, modifier: string | undefined, value: string): Condition {
  if (modifier !== undefined) return unsupportedModifier(name, modifier, 'special');
  const ids = orValues(value).map(unescapeValue);
  // Functional lists (list.html#current: $current-problems, $current-medications…) are the server's own notion of
  // a patient's current lists; Socle keeps none, and says so rather than answering from a guess.
  const functional = ids.find((id) => id.startsWith('$'));
  if (functional !== undefined) throw fail('search.functional-list-unsupported', { name, list: functional });
  if (ids.some((id) => !/^[A-Za-z0-9\-.]{1,64}$/.test(id))) invalid(name, value, 'expected a List id');
  return { kind: 'reverse', sourceType: 'List', param: 'List.item', where: [{ kind: 'id', ids }] };
}

/**
 * Chained parameters: "subject:Patient.name=x", "subject.organization.name=x"
 * (search.html#chaining). Without a type modifier every target type that has
 * the chained parameter is tried (OR).
 */
function parseChain(resourceType: string, head: string, rest: string, value: string, ctx: ParameterContext, depth: number): Condition {
  const fullName = `${head}.${rest}`;
  if (depth >= MAX_CHAIN_DEPTH) throw fail('search.chain-too-deep', { name: fullName, max: MAX_CHAIN_DEPTH });
  const { code, modifier } = splitModifier(head);
  const definition = ctx.schema.searchParameter(resourceType, code);
  if (!definition) throw new UnknownParameter(fullName);
  if (definition.type !== 'reference') throw fail('search.chain-invalid', { name: fullName, reason: `${code} is not a reference parameter` });
  let targets = definition.target ?? ctx.schema.resourceTypes;
  if (modifier !== undefined) {
    if (!ctx.schema.isResourceType(modifier) || !targets.includes(modifier)) {
      throw fail('search.chain-invalid', { name: fullName, reason: `${modifier} is not a target of ${code}` });
    }
    targets = [modifier];
  }
  const nextCode = splitModifier(rest.split('.')[0] as string).code;
  const usable = targets.filter((t) => (nextCode === '_has' ? hasCanPointTo(rest, t, ctx) : ['_id', '_lastUpdated'].includes(nextCode) || ctx.schema.searchParameter(t, nextCode)));
  if (usable.length === 0) throw new UnknownParameter(fullName);
  const any = usable.map((targetType): Condition => {
    const canonical = canonicalKeys(targetType, ctx);
    return {
      kind: 'chain',
      param: `${resourceType}.${code}`,
      targetType,
      where: [parseParameter(targetType, rest, value, ctx, depth + 1)],
      ...(canonical ? { canonical } : {}),
    };
  });
  return any.length === 1 ? (any[0] as Condition) : { kind: 'or', any };
}

/** Whether the reference a "_has:Type:reference:…" names can point to `target` (an untyped chain keeps only those targets). */
function hasCanPointTo(has: string, target: string, ctx: ParameterContext): boolean {
  const [, sourceType = '', referenceCode = ''] = has.split(':');
  const reference = ctx.schema.isResourceType(sourceType) ? ctx.schema.searchParameter(sourceType, referenceCode) : undefined;
  // An unknown type or reference: kept, so that parseHas reports the mistake.
  return reference?.type !== 'reference' || !reference.target || reference.target.includes(target);
}

/** "_has:Observation:patient:code=1234-5" and nested _has (search.html#has). */
function parseHas(resourceType: string, name: string, value: string, ctx: ParameterContext, depth: number): Condition {
  const parts = name.split(':');
  const [, sourceType, referenceCode] = parts;
  const rest = parts.slice(3).join(':');
  if (!sourceType || !referenceCode || rest === '') {
    throw fail('search.chain-invalid', { name, reason: 'expected _has:Type:reference:parameter' });
  }
  if (depth >= MAX_CHAIN_DEPTH) throw fail('search.chain-too-deep', { name, max: MAX_CHAIN_DEPTH });
  if (!ctx.schema.isResourceType(sourceType)) throw fail('search.chain-invalid', { name, reason: `unknown type ${sourceType}` });
  const reference = ctx.schema.searchParameter(sourceType, referenceCode);
  if (!reference || reference.type !== 'reference') {
    throw fail('search.chain-invalid', { name, reason: `${sourceType}.${referenceCode} is not a reference parameter` });
  }
  if (reference.target && !reference.target.includes(resourceType)) {
    throw fail('search.chain-invalid', { name, reason: `${sourceType}.${referenceCode} cannot point to ${resourceType}` });
  }
  const canonical = canonicalKeys(resourceType, ctx);
  return {
    kind: 'reverse',
    sourceType,
    param: `${sourceType}.${referenceCode}`,
    where: [parseParameter(sourceType, rest, value, ctx, depth + 1)],
    ...(canonical ? { canonical } : {}),
  };
}

/**
 * How references name a canonical resource type by canonical URL
 * (references.html#canonical, search.html#versions): its `url` and `version`
 * parameters, when they read the resource's own url and version. Undefined
 * for other types, which references name by type and id only.
 */
function canonicalKeys(resourceType: string, ctx: ParameterContext): CanonicalKeys | undefined {
  const url = ctx.schema.searchParameter(resourceType, 'url');
  if (url?.type !== 'uri' || !branches(url.expression).includes(`${resourceType}.url`)) return undefined;
  const version = ctx.schema.searchParameter(resourceType, 'version');
  const versioned = version?.type === 'token' && branches(version.expression).includes(`${resourceType}.version`);
  return { urlParam: qualifiedParam(resourceType, 'url'), ...(versioned ? { versionParam: qualifiedParam(resourceType, 'version') } : {}) };
}
