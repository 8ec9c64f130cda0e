/**
 * Runs a parsed search and assembles the searchset Bundle
 * (http://hl7.org/fhir/R4/bundle.html#searchset). Stored JSON is spliced into
 * the Bundle text as it is, without parsing, unless a subset is asked for.
 */
import { randomUUID } from 'node:crypto';
import type { Issue } from '../../core/errors.js';
import { operationOutcome } from '../../core/operation-outcome.js';
import type { Language } from '../../core/i18n/translate.js';
import type { StoredVersion, StoreReader } from '../../storage/contract.js';
import { qualifiedParam, type SearchPage, type SearchPlan } from '../../storage/query.js';
import type { FhirSchema } from '../definitions/schema.js';
import { refuseAmbiguousIds } from './ambiguous-ids.js';
import { encodeCursor } from './cursor.js';
import type { IncludeSpec, ParsedSearch } from './parse-search.js';
import { applySubset, needsSubset } from './summary.js';
import { parseJson, stringifyJson } from '../../core/json/decimal-json.js';

/** Included resources per page, all rounds together: a bound on the cost of one request. */
export const MAX_INCLUDES = 1000;
/**
 * Rounds of includes: the first, then :iterate rounds over what the previous
 * one added, until nothing new comes (search.html#include leaves the depth to
 * the server). Enough for the hierarchies clients walk (Organization partof,
 * Location partof, Observation has-member); MAX_INCLUDES bounds the cost.
 */
const MAX_INCLUDE_ROUNDS = 12;

export interface SearchTarget {
  /** The link base of this search: ".../fhir/Patient", ".../fhir", ".../fhir/Patient/123/Observation". */
  readonly selfBase: string;
  /** The FHIR base, for fullUrls. */
  readonly baseUrl: string;
  readonly language: Language;
  /** Conditions added by the route (a compartment) or the access policy, not shown in links. */
  readonly extraWhere?: SearchPlan['where'];
  /** Drops included resources the requester may not see (_include and _revinclude are not filtered by extraWhere). */
  readonly keepIncluded?: (rows: readonly StoredVersion[]) => Promise<StoredVersion[]>;
  /** Told the matches and included resources of the page (for the audit trail). */
  readonly onRows?: (rows: StoredVersion[]) => void;
  /** The rows as the Bundle shows them: a Binary with its payload (binary.html#rest; interactions/common.ts withBinaryData). */
  readonly shown?: (rows: readonly StoredVersion[]) => Promise<StoredVersion[]>;
  /**
   * The included rows as the modules let past versions be shown: a versioned
   * reference includes the version it names (identity withholds the INS of a
   * Patient no longer QUAL, as vread and history do).
   */
  readonly shownIncluded?: (rows: readonly StoredVersion[]) => Promise<readonly StoredVersion[]>;
  /**
   * The matches as the modules let this search show them (a PDQm query naming
   * identifier domains), with the warnings they note for the Bundle's
   * OperationOutcome entry; may refuse the search.
   */
  readonly shownMatches?: (rows: readonly StoredVersion[]) => Promise<{ readonly rows: readonly StoredVersion[]; readonly issues: readonly Issue[] }>;
}

function queryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%3A/g, ':')}=${encodeURIComponent(v)}`).join('&');
}

function link(relation: string, base: string, pairs: readonly (readonly [string, string])[]): string {
  const query = queryString(pairs);
  return JSON.stringify({ relation, url: query === '' ? base : `${base}?${query}` });
}

function referenceParams(schema: FhirSchema, type: string): string[] {
  return [...schema.searchParameters(type).values()].filter((p) => p.type === 'reference').map((p) => qualifiedParam(type, p.code));
}

/** A canonical resource type: one whose instances are named by their `url` (references.html#canonical). */
function isCanonicalType(schema: FhirSchema, type: string): boolean {
  return schema.searchParameter(type, 'url')?.type === 'uri';
}

/** The canonical resource types the reference parameters may point to (by canonical URL). */
function canonicalTargets(schema: FhirSchema, type: string, params: readonly string[]): string[] {
  const targets = new Set<string>();
  for (const param of params) {
    const code = param.slice(param.indexOf('.') + 1);
    for (const target of schema.searchParameter(type, code)?.target ?? []) if (isCanonicalType(schema, target)) targets.add(target);
  }
  return [...targets];
}

/** The canonical URL and version of the targets that are canonical resources, for reverse includes by URL. */
function canonicalsOf(schema: FhirSchema, targets: readonly StoredVersion[]): { url: string; version?: string; resourceType: string; id: string }[] {
  const canonicals: { url: string; version?: string; resourceType: string; id: string }[] = [];
  for (const target of targets) {
    if (target.content === null || !isCanonicalType(schema, target.resourceType)) continue;
    const { url, version } = parseJson(target.content) as { url?: unknown; version?: unknown };
    if (typeof url !== 'string' || url === '') continue;
    canonicals.push({ url, ...(typeof version === 'string' ? { version } : {}), resourceType: target.resourceType, id: target.id });
  }
  return canonicals;
}

async function resolveIncludes(
  reader: StoreReader, schema: FhirSchema, matches: readonly StoredVersion[], specs: readonly IncludeSpec[],
): Promise<StoredVersion[]> {
  const seen = new Set(matches.map((m) => m.rid));
  const included: StoredVersion[] = [];
  let sources: readonly StoredVersion[] = matches;
  for (let round = 0; round < MAX_INCLUDE_ROUNDS && sources.length > 0 && included.length < MAX_INCLUDES; round += 1) {
    const found: StoredVersion[] = [];
    for (const spec of specs) {
      if (round > 0 && !spec.iterate) continue;
      const limit = MAX_INCLUDES - included.length - found.length;
      if (limit <= 0) break;
      if (!spec.reverse) {
        const types = spec.sourceType === '*' ? [...new Set(sources.map((s) => s.resourceType))] : [spec.sourceType];
        for (const type of types) {
          const typed = sources.filter((s) => s.resourceType === type);
          const params = spec.param === '*' ? referenceParams(schema, type) : [qualifiedParam(type, spec.param)];
          const canonicalTypes = canonicalTargets(schema, type, params);
          found.push(...(await reader.includes({
            sources: typed, params, ...(spec.targetType ? { targetType: spec.targetType } : {}), ...(canonicalTypes.length > 0 ? { canonicalTypes } : {}), limit,
          })));
        }
      } else if (spec.sourceType !== '*') {
        // A target type ("Observation:subject:Group") keeps the references to resources of that type (search.html#revinclude).
        const targets = spec.targetType ? sources.filter((s) => s.resourceType === spec.targetType) : sources;
        if (targets.length === 0) continue;
        const params = spec.param === '*' ? referenceParams(schema, spec.sourceType) : [qualifiedParam(spec.sourceType, spec.param)];
        const canonicals = canonicalsOf(schema, targets);
        found.push(...(await reader.revIncludes({ targets, sourceType: spec.sourceType, params, ...(canonicals.length > 0 ? { canonicals } : {}), limit })));
      }
    }
    const fresh = found.filter((v) => !seen.has(v.rid) && (seen.add(v.rid), true));
    included.push(...fresh);
    sources = fresh;
  }
  return included.slice(0, MAX_INCLUDES);
}

function entryText(schema: FhirSchema, version: StoredVersion, mode: 'match' | 'include', search: ParsedSearch, baseUrl: string): string {
  let resource = version.content ?? '{}';
  // "The list of elements does not apply to included resources" (search.html#elements); _summary does.
  const subset = mode === 'include' ? { ...(search.summary !== undefined ? { summary: search.summary } : {}) } : search;
  if (needsSubset(subset)) {
    resource = stringifyJson(applySubset(schema, parseJson(resource) as Record<string, unknown>, subset));
  }
  return `{"fullUrl":${JSON.stringify(`${baseUrl}/${version.resourceType}/${version.id}`)},"resource":${resource},"search":{"mode":"${mode}"}}`;
}

function pageLinks(page: SearchPage, search: ParsedSearch, target: SearchTarget): string[] {
  const links = [link('self', target.selfBase, search.cursor ? [...search.applied, ['_cursor', encodeCursor(search.cursor)]] : search.applied)];
  if (search.cursor) links.push(link('first', target.selfBase, search.applied));
  const last = page.rows.length - 1;
  if (page.hasNext && last >= 0) {
    const cursor = encodeCursor({ values: page.sortValues[last] ?? [], rid: (page.rows[last] as StoredVersion).rid, direction: 'next', maxRid: page.maxRid });
    links.push(link('next', target.selfBase, [...search.applied, ['_cursor', cursor]]));
  }
  if (page.hasPrevious && page.rows.length > 0) {
    const cursor = encodeCursor({ values: page.sortValues[0] ?? [], rid: (page.rows[0] as StoredVersion).rid, direction: 'previous', maxRid: page.maxRid });
    links.push(link('previous', target.selfBase, [...search.applied, ['_cursor', cursor]]));
  }
  return links;
}

export async function runSearch(reader: StoreReader, schema: FhirSchema, search: ParsedSearch, target: SearchTarget, now: number): Promise<string> {
  // A bare id naming resources of several types is refused rather than answered for all of them (search.html#reference).
  // Checked on the first page: the next pages carry the same criteria (search.html#paging).
  if (!search.cursor) await refuseAmbiguousIds(reader, search.where, schema.resourceTypes, target.keepIncluded ? { visible: target.keepIncluded } : {});
  // Without _total, the total is given when it costs little (see storage's choose-driver).
  const total = search.total ?? 'estimate';
  const page = await reader.search({
    resourceTypes: search.resourceTypes,
    where: [...(target.extraWhere ?? []), ...search.where],
    sort: search.sort,
    count: search.count,
    // _count=0 "shall be treated the same as _summary=count": the total is the answer (search.html#count).
    total: search.summary === 'count' || search.count === 0 ? 'accurate' : total,
    ...(search.cursor ? { cursor: search.cursor, maxRid: search.cursor.maxRid } : {}),
  });
  const shownMatches = target.shownMatches ? await target.shownMatches(page.rows) : { rows: page.rows, issues: [] };
  const matches = [...shownMatches.rows];
  const found = search.includes.length > 0 && page.rows.length > 0 ? await resolveIncludes(reader, schema, page.rows, search.includes) : [];
  const kept = target.keepIncluded ? await target.keepIncluded(found) : found;
  const included = target.shownIncluded && kept.length > 0 ? [...(await target.shownIncluded(kept))] : kept;
  target.onRows?.([...matches, ...included]);
  const rows = target.shown ? await target.shown([...matches, ...included]) : [...matches, ...included];
  const entries = [
    ...rows.map((row, i) => entryText(schema, row, i < matches.length ? 'match' : 'include', search, target.baseUrl)),
  ];
  if (search.ignored.length > 0 || search.ignoredSort.length > 0 || shownMatches.issues.length > 0) {
    const outcome = operationOutcome(
      [
        ...shownMatches.issues,
        ...search.ignored.map((name) => ({ severity: 'warning' as const, type: 'not-supported' as const, message: 'search.unknown-parameter-ignored' as const, params: { name } })),
        ...search.ignoredSort.map((name) => ({ severity: 'warning' as const, type: 'not-supported' as const, message: 'search.sort-ignored' as const, params: { name } })),
      ],
      target.language,
    );
    entries.push(`{"resource":${JSON.stringify(outcome)},"search":{"mode":"outcome"}}`);
  }
  const parts = [
    '"resourceType":"Bundle"',
    `"id":"${randomUUID()}"`,
    `"meta":{"lastUpdated":"${new Date(now).toISOString()}"}`,
    '"type":"searchset"',
  ];
  if (page.total !== undefined) parts.push(`"total":${page.total}`);
  parts.push(`"link":[${pageLinks(page, search, target).join(',')}]`);
  if (entries.length > 0) parts.push(`"entry":[${entries.join(',')}]`);
  return `{${parts.join(',')}}`;
}
