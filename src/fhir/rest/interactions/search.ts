/**
 * search at type, system and compartment level, by GET or POST _search
 * (http://hl7.org/fhir/R4/http.html#search, search.html).
 */
import { fail, type Issue } from '../../../core/errors.js';
import { qualifiedParam, type Condition } from '../../../storage/query.js';
import type { StoredVersion, StoreReader } from '../../../storage/contract.js';
import { parseSearchWithTerminology } from '../../search/terminology-modifiers.js';
import { runSearch } from '../../search/run-search.js';
import type { ParsedSearch } from '../../search/parse-search.js';
import { visibleOnly } from '../access-guard.js';
import { withChainReach } from '../chain-reach.js';
import { parameterContext, type EngineDeps } from '../context.js';
import { parsePrefer } from '../headers.js';
import { withBinaryData } from './common.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { shownMatches, shownVersions } from '../write-hooks.js';

/** The form-encoded body of POST _search joins the URL's parameters (search.html#Introduction). */
function searchParameters(request: FhirRequest): (readonly [string, string])[] {
  const pairs = [...request.query];
  if (request.method === 'POST' && typeof request.body === 'string') {
    for (const [name, value] of new URLSearchParams(request.body)) pairs.push([name, value]);
  } else if (request.method === 'POST' && request.body !== undefined) {
    // Search parameters come in a form, never in JSON: ignoring a JSON body would answer an unfiltered search.
    throw fail('media.unsupported', { contentType: request.headers.contentType ?? '-' });
  }
  return pairs;
}

/** Resources of the Patient compartment of `patientId` (compartmentdefinition-patient.html). */
export function patientCompartment(deps: EngineDeps, patientId: string, types: readonly string[]): Condition {
  const any: Condition[] = [];
  for (const type of types) {
    if (type === 'Patient') {
      any.push({ kind: 'and', all: [{ kind: 'type', types: ['Patient'] }, { kind: 'id', ids: [patientId] }] });
    }
    const params = deps.schema.patientCompartmentParams(type);
    if (params.length === 0) continue;
    const refs = params.map((code): Condition => ({ kind: 'reference', param: qualifiedParam(type, code), targetTypes: ['Patient'], targetId: patientId }));
    any.push({ kind: 'and', all: [{ kind: 'type', types: [type] }, { kind: 'or', any: refs }] });
  }
  return { kind: 'or', any };
}

/**
 * Runs a parsed search with the caller's access: scopes first (403), then the
 * principal's reach as conditions, so that hidden resources are left out by
 * the database and totals and pages agree with what is shown; included
 * resources filtered, past versions shown as modules allow. The one place
 * these steps live, for searches and for $everything.
 */
export async function guardedSearch(
  deps: EngineDeps, reader: StoreReader, request: FhirRequest, parsed: ParsedSearch,
  target: {
    readonly selfBase: string;
    readonly extraWhere: readonly Condition[];
    /** Types an included resource may have (Patient/$everything's _type); absent, any. */
    readonly includedTypes?: readonly string[];
  },
): Promise<{ text: string; touched: StoredVersion[] }> {
  const { guard } = deps;
  guard.require(request, 's', parsed.resourceTypes.length === 1 ? parsed.resourceTypes[0] : undefined);
  const reach = await guard.searchConditions(request, parsed.resourceTypes);
  const where = await withChainReach(guard, request, parsed.where);
  let touched: StoredVersion[] = [];
  const { includedTypes } = target;
  const ofTypes = (rows: readonly StoredVersion[]): StoredVersion[] => (includedTypes ? rows.filter((r) => includedTypes.includes(r.resourceType)) : [...rows]);
  const restricted = guard.restricted(request);
  const text = await runSearch(reader, deps.schema, where === parsed.where ? parsed : { ...parsed, where }, {
    selfBase: target.selfBase, baseUrl: request.baseUrl, language: request.language,
    extraWhere: [...target.extraWhere, ...(reach ?? [])],
    ...(restricted || includedTypes
      ? { keepIncluded: async (rows: readonly StoredVersion[]) => (restricted ? visibleOnly(guard, request, ofTypes(rows)) : ofTypes(rows)) }
      : {}),
    onRows: (rows) => {
      touched = rows;
    },
    shown: (rows) => withBinaryData(reader, rows, deps.maxBody),
    shownIncluded: (rows) => shownVersions({ deps, reader, request }, rows),
    ...(parsed.resourceTypes.length === 1 ? { shownMatches: (rows: readonly StoredVersion[]) => matchesShown(deps, reader, request, parsed, rows) } : {}),
  }, deps.clock.now());
  return { text, touched };
}

/** The matches of a one-type search as the modules' hooks show them, with the warnings they noted. */
async function matchesShown(
  deps: EngineDeps, reader: StoreReader, request: FhirRequest, parsed: ParsedSearch, rows: readonly StoredVersion[],
): Promise<{ rows: readonly StoredVersion[]; issues: readonly Issue[] }> {
  const issues: Issue[] = [];
  const context = { deps, reader, request, parameters: parsed.applied, warn: (noted: readonly Issue[]) => void issues.push(...noted) };
  return { rows: await shownMatches(context, parsed.resourceTypes[0]!, rows), issues };
}

export async function search(
  deps: EngineDeps, reader: StoreReader, request: FhirRequest, type: string | undefined,
  compartment?: { readonly type: string; readonly id: string; readonly target: string },
): Promise<FhirResponse> {
  let types: string[] = type ? [type] : [];
  let extraWhere: Condition[] = [];
  let selfBase = type ? `${request.baseUrl}/${type}` : request.baseUrl;
  if (compartment) {
    if (compartment.type !== 'Patient') throw fail('route.not-found', { path: `/${compartment.type}/${compartment.id}/${compartment.target}` });
    const inCompartment = [...deps.schema.resourceTypes].filter((t) => t === 'Patient' || deps.schema.patientCompartmentParams(t).length > 0);
    types = compartment.target === '*' ? inCompartment : [compartment.target];
    if (!inCompartment.includes(compartment.target) && compartment.target !== '*') throw fail('route.not-found', { path: `/Patient/${compartment.id}/${compartment.target}` });
    extraWhere = [patientCompartment(deps, compartment.id, types)];
    selfBase = `${request.baseUrl}/Patient/${compartment.id}/${compartment.target}`;
  }
  const strict = parsePrefer(request.headers.prefer).handling === 'strict';
  const { tokenTerminology } = deps;
  const parsed = await parseSearchWithTerminology(compartment?.target === '*' ? [] : types, searchParameters(request), {
    ...parameterContext(deps, request.baseUrl), strict, defaultCount: deps.defaultPageSize, maxCount: deps.maxPageSize,
  }, tokenTerminology && ((uses) => tokenTerminology(uses, request, reader)));
  const effective = compartment?.target === '*' ? { ...parsed, resourceTypes: parsed.resourceTypes.length > 0 ? parsed.resourceTypes : types } : parsed;
  const { text, touched } = await guardedSearch(deps, reader, request, effective, { selfBase, extraWhere });
  return { status: 200, headers: {}, interaction: type ? 'search-type' : 'search-system', body: { kind: 'text', text }, touched };
}
