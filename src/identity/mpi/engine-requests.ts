/**
 * Inner requests an MPI operation sends through the engine (ctx.dispatch or
 * the engine's dispatch inside one write unit), so that validation, indexing,
 * write hooks, the access guard and the audit trail apply to them as to any
 * client request. They carry the caller's identity, language and base URL.
 */
import { isFhirError } from '../../core/errors.js';
import type { FhirRequest } from '../../fhir/rest/types.js';
import type { FhirMethod } from '../../fhir/rest/types.js';
import { responseJson, type Json } from './parameters.js';

export type Send = (request: FhirRequest) => Promise<{ status: number; body?: { kind: string; text?: string; value?: unknown } }>;

export function innerRequest(parent: FhirRequest, method: FhirMethod, path: string, query: [string, string][] = [], body?: unknown, ifMatch?: string): FhirRequest {
  return {
    method,
    path,
    query,
    headers: { ...(body !== undefined ? { contentType: 'application/fhir+json' } : {}), ...(ifMatch ? { ifMatch } : {}) },
    ...(body !== undefined ? { body } : {}),
    baseUrl: parent.baseUrl,
    language: parent.language,
    ...(parent.principal ? { principal: parent.principal } : {}),
    ...(parent.clientAddress ? { clientAddress: parent.clientAddress } : {}),
    ...(parent.requestId ? { requestId: parent.requestId } : {}),
  };
}

/** Every resource a search returns, following `next` links (bounded by `limit`). */
export async function searchAll(send: Send, parent: FhirRequest, path: string, query: [string, string][], limit = 10_000): Promise<Json[]> {
  const found: Json[] = [];
  let page: [string, string][] | undefined = query;
  while (page && found.length < limit) {
    const bundle = responseJson(await send(innerRequest(parent, 'GET', path, page)));
    const entries = Array.isArray(bundle.entry) ? (bundle.entry as Json[]) : [];
    for (const entry of entries) {
      const mode = (entry.search as Json | undefined)?.mode;
      if (entry.resource && (mode === undefined || mode === 'match')) found.push(entry.resource as Json);
    }
    const next = (Array.isArray(bundle.link) ? (bundle.link as Json[]) : []).find((l) => l.relation === 'next')?.url;
    page = typeof next === 'string' ? [...new URL(next).searchParams] : undefined;
  }
  return found;
}

/** One resource ("Type/id"), or undefined when absent or deleted (the engine throws 404 or 410 for those). */
export async function readResource(send: Send, parent: FhirRequest, path: string): Promise<Json | undefined> {
  try {
    const response = await send(innerRequest(parent, 'GET', path));
    return response.status === 200 ? responseJson(response) : undefined;
  } catch (error) {
    if (isFhirError(error) && (error.status === 404 || error.status === 410)) return undefined;
    throw error;
  }
}

export function readPatient(send: Send, parent: FhirRequest, id: string): Promise<Json | undefined> {
  return readResource(send, parent, `Patient/${id}`);
}
