/**
 * How an export reads: ordinary searches dispatched through the engine as
 * the job's requester, page after page along their `next` links
 * (search.html#paging). The access guard narrows them and the audit trail
 * records each page exactly as for the requester's own searches; nothing
 * here reads the store directly.
 */
import { parseJson } from '../../core/json/decimal-json.js';
import { storeAccess } from '../rest/context.js';
import type { FhirEngine } from '../rest/engine.js';
import type { FhirRequest } from '../rest/types.js';
import type { ExportJob } from './export-job.js';

export type JsonResource = Record<string, unknown> & { resourceType: string; id: string };

type Query = readonly (readonly [string, string])[];

interface SearchBundle {
  entry?: { resource?: JsonResource; search?: { mode?: string } }[];
  link?: { relation?: string; url?: string }[];
}

/** A request of the job: the requester's, strict about parameters (an ignored filter would export more than asked). */
export function jobRequest(job: ExportJob, path: string, query: Query): FhirRequest {
  return {
    method: 'GET', path, query, headers: { prefer: 'handling=strict' }, baseUrl: job.baseUrl, language: job.language,
    ...(job.owner ? { principal: job.owner } : {}),
    ...(job.clientAddress ? { clientAddress: job.clientAddress } : {}),
    ...(job.requestId ? { requestId: job.requestId } : {}),
  };
}

/** The path and query of a next link, which the engine wrote against the job's base. */
function nextOf(bundle: SearchBundle, baseUrl: string): { path: string; query: [string, string][] } | undefined {
  const url = bundle.link?.find((l) => l.relation === 'next')?.url;
  if (!url?.startsWith(`${baseUrl}/`)) return undefined;
  const rest = url.slice(baseUrl.length + 1);
  const question = rest.indexOf('?');
  const path = question < 0 ? rest : rest.slice(0, question);
  return { path, query: question < 0 ? [] : [...new URLSearchParams(rest.slice(question + 1))] };
}

/**
 * The matches of a search, a page at a time. A refused or failing search
 * throws the engine's FhirError (the caller writes it to the error file).
 */
export async function* searchPages(engine: FhirEngine, job: ExportJob, path: string, query: Query, signal: AbortSignal): AsyncGenerator<JsonResource[]> {
  let next: { path: string; query: Query } | undefined = { path, query };
  while (next) {
    signal.throwIfAborted();
    const response = await engine.dispatch(jobRequest(job, next.path, next.query), storeAccess(engine.deps.store));
    const bundle = (response.body?.kind === 'text' ? parseJson(response.body.text) : {}) as SearchBundle;
    yield (bundle.entry ?? []).filter((e) => e.search?.mode !== 'outcome' && e.resource !== undefined).map((e) => e.resource as JsonResource);
    next = nextOf(bundle, job.baseUrl);
    // Other requests get their turn between two pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
