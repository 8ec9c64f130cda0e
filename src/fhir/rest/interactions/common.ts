/** Steps shared by the interactions: body checks, validation, conditional matching, write responses. */
import { fail, validationFailure } from '../../../core/errors.js';
import { informationOutcome } from '../../../core/operation-outcome.js';
import type { StoredVersion, StoreReader } from '../../../storage/contract.js';
import { parseSearch } from '../../search/parse-search.js';
import { parameterContext, type EngineDeps } from '../context.js';
import { parseCriteria, parsePrefer, versionHeaders } from '../headers.js';
import type { JsonResource } from '../resource-version.js';
import type { FhirRequest, FhirResponse } from '../types.js';

/** The body must be a resource of the type the URL names (http.html#create, #update). */
export function requireResource(body: unknown, type: string): JsonResource {
  if (body === undefined || body === null) throw fail('body.missing');
  if (typeof body !== 'object' || Array.isArray(body) || typeof (body as { resourceType?: unknown }).resourceType !== 'string') {
    throw fail('body.not-a-resource');
  }
  const resource = body as JsonResource;
  if (resource.resourceType !== type) throw fail('type.mismatch', { actual: resource.resourceType, expected: type });
  return resource;
}

export function validateOrThrow(deps: EngineDeps, resource: JsonResource, type: string): void {
  const result = deps.validate(resource, type);
  if (!result.valid) throw validationFailure(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'));
}

/**
 * Resources matching conditional criteria (http.html#cond-update), at most two:
 * enough to tell none, one and several apart. Unknown parameters are errors here,
 * whatever Prefer says: ignoring one could match the wrong resource.
 */
export async function findMatches(deps: EngineDeps, reader: StoreReader, type: string, criteria: string, baseUrl: string): Promise<StoredVersion[]> {
  const pairs = parseCriteria(criteria).filter(([name]) => !['_count', '_sort', '_summary', '_elements', '_total'].includes(name));
  if (pairs.length === 0) throw fail('conditional.no-criteria');
  const search = parseSearch([type], pairs, { ...parameterContext(deps, baseUrl), strict: true, defaultCount: 2, maxCount: 2 });
  const page = await reader.search({ resourceTypes: [type], where: search.where, sort: [], count: 2, total: 'none' });
  return page.rows;
}

export function conditionalKey(type: string, criteria: string): string {
  const sorted = parseCriteria(criteria).map(([k, v]) => `${k}=${v}`).sort().join('&');
  return `${type}?${sorted}`;
}

/** The answer to a write, shaped by Prefer: return (http.html#ops). */
export function writeResponse(
  request: FhirRequest, version: StoredVersion, status: number, interaction: string,
  bodyText: string | null,
): FhirResponse {
  const headers = versionHeaders(version, request.baseUrl, status === 201 || interaction !== 'delete');
  const preference = parsePrefer(request.headers.prefer).return;
  if (preference === 'minimal' || bodyText === null) return { status, headers, interaction };
  if (preference === 'OperationOutcome') {
    const message = status === 201 ? 'ok.created' : interaction === 'create' ? 'ok.found' : 'ok.updated';
    return { status, headers, interaction, body: { kind: 'json', value: informationOutcome(message, {}, request.language) } };
  }
  return { status, headers, interaction, body: { kind: 'text', text: bodyText } };
}
