/**
 * A whole search query (http://hl7.org/fhir/R4/search.html) into what the
 * search runner needs: conditions, sort, paging, includes and presentation.
 * Unknown parameters are refused (Prefer: handling=strict) or left out and
 * reported (handling=lenient, the default: search.html#errors).
 */
import { fail } from '../../core/errors.js';
import { qualifiedParam, type Condition, type SortKey } from '../../storage/query.js';
import type { SearchParamType } from '../definitions/model.js';
import { canonicalParam } from '../indexing/ucum.js';
import { decodeCursor, type PageCursor } from './cursor.js';
import { parseParameter, UnknownParameter, type ParameterContext } from './parse-parameter.js';

export type SummaryMode = 'true' | 'text' | 'data' | 'count' | 'false';

export interface IncludeSpec {
  readonly reverse: boolean;
  readonly iterate: boolean;
  /** The type holding the reference parameter ("*" only with param "*"). */
  readonly sourceType: string;
  /** The reference parameter code, or "*" for all of them. */
  readonly param: string;
  readonly targetType?: string;
  /** The text as the client wrote it, for the self link. */
  readonly text: string;
}

export interface ParsedSearch {
  readonly resourceTypes: readonly string[];
  readonly where: readonly Condition[];
  readonly sort: readonly SortKey[];
  readonly count: number;
  /** undefined: the server's default policy. */
  readonly total?: 'none' | 'estimate' | 'accurate';
  readonly summary?: SummaryMode;
  readonly elements?: readonly string[];
  readonly includes: readonly IncludeSpec[];
  readonly cursor?: PageCursor;
  /** The parameters applied, as received: the self link and page links repeat them. */
  readonly applied: readonly (readonly [string, string])[];
  /** Parameters left out in lenient mode. */
  readonly ignored: readonly string[];
  /** _sort keys left out in lenient mode (no such parameter, or one that cannot sort): "code" as written. */
  readonly ignoredSort: readonly string[];
}

export interface SearchOptions extends ParameterContext {
  readonly strict: boolean;
  readonly defaultCount: number;
  readonly maxCount: number;
}

/** Parameters that shape the result rather than select resources. */
const RESULT_PARAMETERS = new Set([
  '_count', '_sort', '_include', '_revinclude', '_total', '_summary', '_elements', '_cursor', '_format', '_pretty', '_contained', '_containedType',
]);

const SORTABLE: ReadonlySet<SearchParamType> = new Set(['string', 'token', 'date', 'number', 'quantity', 'reference', 'uri']);

/**
 * Values one search may compare at most: every comma-separated value, every
 * parameter and every _id, in chains and _has too. Each becomes a term of the
 * query (a branch of a UNION, a bound parameter): SQLite refuses a UNION of more
 * than 500 branches (SQLITE_MAX_COMPOUND_SELECT), PostgreSQL a nesting deeper
 * than its stack, and both slow down well before.
 */
export const MAX_SEARCH_VALUES = 500;

/**
 * An _id list is one IN predicate, not a branch per id: it counts as one value
 * up to this many ids (well within PostgreSQL's 65,535 bound parameters), so
 * that a client fetching a few thousand resources by id is served.
 */
export const MAX_SEARCH_IDS = 10_000;

/** How many values a condition compares. */
function valueCount(condition: Condition): number {
  switch (condition.kind) {
    case 'id': return condition.ids.length > MAX_SEARCH_IDS ? condition.ids.length : 1;
    case 'type': return 0;
    case 'chain':
    case 'reverse': return Math.max(1, condition.where.reduce((n, c) => n + valueCount(c), 0));
    case 'or': return condition.any.reduce((n, c) => n + valueCount(c), 0);
    case 'and': return condition.all.reduce((n, c) => n + valueCount(c), 0);
    case 'not': return valueCount(condition.condition);
    default: return 1;
  }
}

function control(name: string, value: string, expected: string): never {
  throw fail('search.invalid-control', { name, value, expected });
}

function parseCount(value: string, options: SearchOptions): number {
  if (!/^\d+$/.test(value)) control('_count', value, 'a whole number');
  return Math.min(Number(value), options.maxCount);
}

/**
 * The sort keys, and the _sort text the links repeat: a key naming no sortable parameter is refused under
 * handling=strict, else left out of both and handed to `ignore`, as an unknown parameter is (search.html#errors).
 */
function parseSort(value: string, types: readonly string[], options: SearchOptions, ignore: (term: string) => void): { keys: SortKey[]; text: string } {
  // A key named again cannot change the order: dropped, so that the keys (and the cursor's comparisons, which grow
  // as their square) stay bounded by the parameters of the type.
  const seen = new Set<string>();
  const terms = value.split(',').filter((term) => {
    const code = term.startsWith('-') ? term.slice(1) : term;
    if (term === '' || seen.has(code)) return false;
    seen.add(code);
    return true;
  });
  const kept: string[] = [];
  const keys = terms.flatMap((term): SortKey[] => {
    const key = sortKey(term, types, options);
    if (key === undefined) {
      const code = term.startsWith('-') ? term.slice(1) : term;
      if (options.strict) throw fail('search.invalid-sort', { name: code, type: types.join(',') || '*' });
      ignore(term);
      return [];
    }
    kept.push(term);
    return [key];
  });
  return { keys, text: kept.join(',') };
}

/** The sort key `term` names ("-date"), or undefined when no sortable parameter of every type has that code. */
function sortKey(term: string, types: readonly string[], options: SearchOptions): SortKey | undefined {
  const descending = term.startsWith('-');
  const code = descending ? term.slice(1) : term;
  if (code === '_id') return { by: 'id', descending };
  if (code === '_lastUpdated') return { by: 'lastUpdated', descending };
  // Across several types (_type=Patient,Practitioner&_sort=family), a parameter every one of them defines with the
  // same type sorts them together: the sort value of each resource is read from its own type's rows.
  const definitions = types.map((type) => options.schema.searchParameter(type, code));
  const [type] = types;
  const definition = definitions[0];
  if (type === undefined || !definition || !SORTABLE.has(definition.type) || definitions.some((d) => d?.type !== definition.type)) return undefined;
  const also = types.flatMap((t, i) => [
    ...(i > 0 ? [qualifiedParam(t, code)] : []),
    ...(definition.type === 'string' ? options.coveredParams(t, code).map((c) => qualifiedParam(t, c)) : []),
  ]);
  // A quantity sorts by its value in canonical UCUM units where it has one (indexing/ucum.ts), so that 400 mg comes
  // before 5 g; a resource without such rows sorts by its values as written.
  const preferred = definition.type === 'quantity' ? types.map((t) => canonicalParam(qualifiedParam(t, code))) : [];
  return {
    by: { table: definition.type as 'string', param: qualifiedParam(type, code), ...(also.length > 0 ? { also } : {}), ...(preferred.length > 0 ? { preferred } : {}) },
    descending,
  };
}

function parseInclude(name: string, value: string, options: SearchOptions): IncludeSpec {
  const [base, modifier] = name.split(':');
  const reverse = base === '_revinclude';
  const iterate = modifier === 'iterate' || modifier === 'recurse';
  if (modifier !== undefined && !iterate) throw fail('search.invalid-include', { value: `${name}=${value}`, reason: `unknown modifier ${modifier}` });
  if (value === '*') return { reverse, iterate, sourceType: '*', param: '*', text: value };
  const [sourceType = '', param = '', targetType] = value.split(':');
  if (!options.schema.isResourceType(sourceType)) throw fail('search.invalid-include', { value, reason: `unknown type ${sourceType}` });
  if (param !== '*') {
    const definition = options.schema.searchParameter(sourceType, param);
    if (!definition || definition.type !== 'reference') {
      throw fail('search.invalid-include', { value, reason: `${sourceType}.${param} is not a reference parameter` });
    }
  }
  if (targetType !== undefined && !options.schema.isResourceType(targetType)) {
    throw fail('search.invalid-include', { value, reason: `unknown type ${targetType}` });
  }
  return { reverse, iterate, sourceType, param, ...(targetType !== undefined ? { targetType } : {}), text: value };
}

/**
 * A cursor fits the sort it was made for: one value per key, each of the
 * key's kind, so that a forged one never reaches SQL with a value the column
 * cannot compare (PostgreSQL would refuse "abc" for a BIGINT). Whole numbers
 * may come back from storage as text (BIGINT): they are read as numbers.
 */
function checkCursor(cursor: PageCursor, sort: readonly SortKey[]): PageCursor {
  if (cursor.values.length !== sort.length) throw fail('search.invalid-cursor');
  const values = cursor.values.map((value, index) => {
    const by = (sort[index] as SortKey).by;
    if (value === null) return null;
    if (by === 'lastUpdated' || (by !== 'id' && by.table === 'date')) {
      const whole = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
      if (!Number.isSafeInteger(whole)) throw fail('search.invalid-cursor');
      return whole;
    }
    if (by !== 'id' && (by.table === 'number' || by.table === 'quantity')) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('search.invalid-cursor');
      return value;
    }
    if (typeof value !== 'string') throw fail('search.invalid-cursor');
    return value;
  });
  return { ...cursor, values };
}

function conditionFor(types: readonly string[], name: string, value: string, options: SearchOptions): Condition {
  // Parameters of Resource itself (_id, _tag…) mean the same on every type: parse them once.
  const shared = name.startsWith('_') && !name.startsWith('_has');
  if (types.length === 1 || shared) {
    const condition = parseParameter(types[0] as string, name, value, options);
    return types.length === 1 || types.length === options.schema.resourceTypes.length
      ? condition
      : { kind: 'and', all: [{ kind: 'type', types }, condition] };
  }
  // Several types: each parses the parameter on its own terms; all must know it (search.html#_type).
  const perType = types.map((type): Condition => ({
    kind: 'and',
    all: [{ kind: 'type', types: [type] }, parseParameter(type, name, value, options)],
  }));
  return { kind: 'or', any: perType };
}

/**
 * `types` is the searched type, or for a system-wide search the _type list
 * (all types when absent).
 */
export function parseSearch(types: readonly string[], query: readonly (readonly [string, string])[], options: SearchOptions): ParsedSearch {
  let resourceTypes = types;
  const systemWide = types.length === 0;
  const where: Condition[] = [];
  const applied: (readonly [string, string])[] = [];
  const ignored: string[] = [];
  const ignoredSort: string[] = [];
  const includes: IncludeSpec[] = [];
  let sort: SortKey[] = [];
  let count = options.defaultCount;
  let total: ParsedSearch['total'];
  let summary: SummaryMode | undefined;
  let elements: string[] | undefined;
  let cursor: PageCursor | undefined;

  if (systemWide) {
    const typeValues = query.filter(([name]) => name === '_type').flatMap(([, value]) => value.split(',')).filter((type) => type !== '');
    for (const type of typeValues) {
      // A bad parameter value (400), not a path naming no type (404): the request itself is well addressed.
      if (!options.schema.isResourceType(type)) throw fail('search.invalid-control', { name: '_type', value: type, expected: 'an R4 resource type' });
    }
    resourceTypes = typeValues;
    if (typeValues.length > 0) applied.push(['_type', typeValues.join(',')]);
  }
  const conditionTypes = resourceTypes.length > 0 ? resourceTypes : options.schema.resourceTypes;

  const unsupported = (name: string): void => {
    if (options.strict) throw fail('search.unknown-parameter', { type: resourceTypes.join(',') || '*', name });
    ignored.push(name);
  };
  for (const [name, value] of query) {
    // "Empty parameters are not an error - they are just ignored by the server" (search.html#errors).
    if (value === '') continue;
    // No stored text holds NUL (PostgreSQL refuses it in text): refused before it reaches storage.
    if (value.includes('\u0000')) throw fail('search.invalid-value', { name, value: value.replace(/\u0000/g, '\\0'), reason: 'NUL character' });
    const base = name.split(':')[0] as string;
    if (name === '_type' && systemWide) continue;
    if (RESULT_PARAMETERS.has(base)) {
      // Only _include and _revinclude take a modifier (:iterate); "_sort:desc" (DSTU2) would otherwise sort ascending
      // without a word. An unsupported modifier is refused (search.html#modifiers).
      if (name !== base && base !== '_include' && base !== '_revinclude') control(name, value, `${base} without a modifier`);
      switch (base) {
        case '_count': count = parseCount(value, options); break;
        case '_sort': {
          const parsed = parseSort(value, resourceTypes, options, (term) => ignoredSort.push(term));
          sort = parsed.keys;
          // The links repeat the keys applied only; none left, no _sort at all.
          if (parsed.text === '') continue;
          applied.push([name, parsed.text]);
          continue;
        }
        case '_include':
        case '_revinclude':
          // _revinclude=* names no source type: nothing the server could include.
          if (base === '_revinclude' && value === '*') { unsupported(name); continue; }
          includes.push(parseInclude(name, value, options));
          break;
        case '_total':
          if (value !== 'none' && value !== 'estimate' && value !== 'accurate') control('_total', value, 'none, estimate or accurate');
          total = value;
          break;
        case '_summary':
          if (!['true', 'text', 'data', 'count', 'false'].includes(value)) control('_summary', value, 'true, text, data, count or false');
          summary = value as SummaryMode;
          break;
        case '_elements':
          elements = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
          // R4 names root elements ("subject"); a type prefix ("Observation.subject") is accepted as later releases and
          // HAPI FHIR do, and names that element on that type only (summary.ts). A deeper path would be silently empty.
          for (const element of elements) {
            const [head = '', rest, more] = element.split('.');
            if (rest !== undefined && (more !== undefined || rest === '' || !options.schema.isResourceType(head))) {
              control('_elements', element, 'element names of the resource, optionally prefixed by its type (subject, Observation.subject)');
            }
          }
          break;
        case '_cursor': cursor = decodeCursor(value); continue;
        case '_contained':
        case '_containedType':
          // Contained resources are never searched on their own: only the defaults are honoured.
          if (value !== (base === '_contained' ? 'false' : 'container')) unsupported(name);
          continue;
        default: continue; // _format, _pretty: presentation the HTTP layer handles.
      }
      applied.push([name, value]);
      continue;
    }
    // Named queries: none is defined, and one the server does not know SHALL be refused (search.html#query).
    if (base === '_query') throw fail('search.invalid-control', { name, value, expected: 'no named query: this server defines none' });
    try {
      if (systemWide && !name.startsWith('_') && resourceTypes.length === 0) throw new UnknownParameter(name);
      where.push(conditionFor(conditionTypes, name, value, options));
      applied.push([name, value]);
    } catch (error) {
      if (!(error instanceof UnknownParameter)) throw error;
      unsupported(name);
    }
  }
  const values = where.reduce((n, c) => n + valueCount(c), 0);
  if (values > MAX_SEARCH_VALUES) throw fail('search.too-many-values', { count: values, limit: MAX_SEARCH_VALUES });
  if (summary === 'text' && includes.length > 0) {
    // "_include and _revinclude parameters cannot be mixed with _summary=text" (search.html#summary).
    control('_summary', 'text', 'no _include or _revinclude alongside _summary=text');
  }
  if (summary === 'count') count = 0;
  if (cursor) cursor = checkCursor(cursor, sort);
  return {
    resourceTypes,
    where,
    sort,
    count,
    ...(total !== undefined ? { total } : {}),
    ...(summary !== undefined ? { summary } : {}),
    ...(elements !== undefined ? { elements } : {}),
    includes,
    ...(cursor !== undefined ? { cursor } : {}),
    applied,
    ignored,
    ignoredSort,
  };
}
