/**
 * Terminology resources stored in Socle, read through the engine as the
 * caller's own requests (`ValueSet?url=…`, `CodeSystem/[id]`), so that the
 * access guard and the audit trail apply to them as to any read: a caller who
 * may not search CodeSystems gets the same 403 here.
 */
import type { FhirRequest, FhirResponse } from '../rest/types.js';
import type { TerminologyResource, TerminologyType } from './types.js';

export type Send = (request: FhirRequest) => Promise<FhirResponse>;

/** The stored resource of a type with this canonical url (and version), if any. */
export type StoredReader = (type: TerminologyType, url: string, version?: string) => Promise<TerminologyResource | undefined>;

function innerGet(parent: FhirRequest, path: string, query: [string, string][]): FhirRequest {
  return {
    method: 'GET',
    path,
    query,
    headers: {},
    baseUrl: parent.baseUrl,
    language: parent.language,
    ...(parent.principal ? { principal: parent.principal } : {}),
    ...(parent.clientAddress ? { clientAddress: parent.clientAddress } : {}),
    ...(parent.requestId ? { requestId: parent.requestId } : {}),
  };
}

/** A value escaped for a search parameter (search.html#escaping). */
function escapeSearchValue(value: string): string {
  return value.replace(/[\\,|$]/g, (c) => `\\${c}`);
}

function bodyJson(response: FhirResponse): Record<string, unknown> {
  const body = response.body;
  if (body?.kind === 'text') return JSON.parse(body.text) as Record<string, unknown>;
  if (body?.kind === 'json') return body.value as Record<string, unknown>;
  return {};
}

/**
 * Reads by canonical url: the stored resource with that url (and version
 * when given); of several versions, the one updated last. An empty url is no
 * url: as a search parameter it would be ignored, and any stored resource
 * (of that version) would answer.
 */
export function storedReader(send: Send, parent: FhirRequest): StoredReader {
  return async (type, url, version) => {
    if (url === '') return undefined;
    const query: [string, string][] = [['url', escapeSearchValue(url)], ['_sort', '-_lastUpdated'], ['_count', '1']];
    if (version !== undefined) query.push(['version', escapeSearchValue(version)]);
    const bundle = bodyJson(await send(innerGet(parent, type, query)));
    const entries = Array.isArray(bundle.entry) ? (bundle.entry as { resource?: TerminologyResource; search?: { mode?: string } }[]) : [];
    return entries.find((e) => e.resource?.resourceType === type && (e.search?.mode ?? 'match') === 'match')?.resource;
  };
}

/** The stored resources of a search (one page of at most `count`: callers bound what they read). */
export async function searchStored(send: Send, parent: FhirRequest, type: TerminologyType, query: [string, string][], count = 100): Promise<TerminologyResource[]> {
  const bundle = bodyJson(await send(innerGet(parent, type, [...query.map(([k, v]): [string, string] => [k, escapeSearchValue(v)]), ['_count', String(count)]])));
  const entries = Array.isArray(bundle.entry) ? (bundle.entry as { resource?: TerminologyResource; search?: { mode?: string } }[]) : [];
  return entries.flatMap((e) => (e.resource?.resourceType === type && (e.search?.mode ?? 'match') === 'match' ? [e.resource] : []));
}

/** One stored resource by id: the engine's read (404, 410 or hidden as a read says). */
export async function readStored(send: Send, parent: FhirRequest, type: TerminologyType, id: string): Promise<TerminologyResource> {
  return bodyJson(await send(innerGet(parent, `${type}/${id}`, []))) as unknown as TerminologyResource;
}
