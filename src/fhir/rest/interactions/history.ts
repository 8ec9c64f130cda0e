/**
 * history at instance, type and system level (http://hl7.org/fhir/R4/http.html#history),
 * newest first, with _since and _count, paged by keyset like search.
 */
import { randomUUID } from 'node:crypto';
import { fail } from '../../../core/errors.js';
import type { StoredVersion, StoreReader } from '../../../storage/contract.js';
import type { HistoryCursor } from '../../../storage/query.js';
import { dateRange } from '../../indexing/values.js';
import { hiddenResource, mayKnow, visibleOnly } from '../access-guard.js';
import type { EngineDeps } from '../context.js';
import { etag } from '../headers.js';
import type { FhirRequest, FhirResponse } from '../types.js';

interface HistoryPaging extends HistoryCursor {
  readonly until: number;
}

function encode(cursor: HistoryPaging): string {
  return Buffer.from(JSON.stringify([cursor.lastUpdated, cursor.rid, cursor.versionId, cursor.until])).toString('base64url');
}

function decode(text: string): HistoryPaging {
  try {
    const [lastUpdated, rid, versionId, until] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (![lastUpdated, rid, versionId, until].every((n) => Number.isSafeInteger(n))) throw new Error('shape');
    return { lastUpdated, rid, versionId, until } as HistoryPaging;
  } catch {
    throw fail('search.invalid-cursor');
  }
}

const STATUS: Record<StoredVersion['method'], string> = { POST: '201 Created', PUT: '200 OK', PATCH: '200 OK', DELETE: '204 No Content' };

function entry(version: StoredVersion, baseUrl: string): string {
  const fullUrl = `${baseUrl}/${version.resourceType}/${version.id}`;
  const url = version.method === 'POST' ? version.resourceType : `${version.resourceType}/${version.id}`;
  const method = version.method === 'PATCH' ? 'PUT' : version.method;
  const response = { status: version.versionId === 1 && version.method !== 'DELETE' ? '201 Created' : STATUS[version.method], etag: etag(version.versionId), lastModified: new Date(version.lastUpdated).toISOString() };
  const resource = version.content !== null ? `"resource":${version.content},` : '';
  return `{"fullUrl":${JSON.stringify(fullUrl)},${resource}"request":${JSON.stringify({ method, url })},"response":${JSON.stringify(response)}}`;
}

export async function history(
  deps: EngineDeps, reader: StoreReader, request: FhirRequest, type?: string, id?: string,
): Promise<FhirResponse> {
  const { guard } = deps;
  guard.require(request, id !== undefined ? 'r' : 's', type);
  if (type !== undefined && id !== undefined) {
    const current = await reader.readCurrent(type, id);
    if (!current) throw fail('resource.not-found', { type, id });
    if (!(await mayKnow(guard, reader, request, current))) throw hiddenResource(type, id, current);
  }
  const param = (name: string): string | undefined => request.query.find(([n]) => n === name)?.[1];
  const sinceText = param('_since');
  let since: number | undefined;
  if (sinceText !== undefined) {
    const range = dateRange(sinceText.replace(' ', '+'));
    if (!range) throw fail('history.invalid-since', { value: sinceText });
    since = range.low;
  }
  const countText = param('_count');
  if (countText !== undefined && !/^\d+$/.test(countText)) throw fail('search.invalid-control', { name: '_count', value: countText, expected: 'a whole number' });
  const count = Math.min(countText !== undefined ? Number(countText) : deps.defaultPageSize, deps.maxPageSize);
  const cursorText = param('_cursor');
  const cursor = cursorText !== undefined ? decode(cursorText) : undefined;
  const until = cursor?.until ?? deps.clock.now();
  const page = await reader.history({
    ...(type !== undefined ? { resourceType: type } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(since !== undefined ? { since } : {}),
    until,
    count,
    ...(cursor ? { after: cursor } : {}),
  });
  // Versions the principal may not see are left out (a page may then be shorter than _count);
  // the total would count them, so a restricted principal gets none.
  const restricted = guard.restricted(request);
  const rows = restricted ? await visibleOnly(guard, request, page.rows) : page.rows;
  const selfBase = [request.baseUrl, type, id, '_history'].filter((s) => s !== undefined).join('/');
  const kept = request.query.filter(([n]) => n === '_since' || n === '_count');
  const query = (pairs: readonly (readonly [string, string])[]): string =>
    pairs.length === 0 ? selfBase : `${selfBase}?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  const links = [{ relation: 'self', url: query(request.query.filter(([n]) => n === '_since' || n === '_count' || n === '_cursor')) }];
  const last = page.rows[page.rows.length - 1];
  if (page.hasNext && last) {
    links.push({ relation: 'next', url: query([...kept, ['_cursor', encode({ lastUpdated: last.lastUpdated, rid: last.rid, versionId: last.versionId, until })]]) });
  }
  const parts = [
    '"resourceType":"Bundle"', `"id":"${randomUUID()}"`, `"meta":{"lastUpdated":"${new Date(deps.clock.now()).toISOString()}"}`, '"type":"history"',
  ];
  if (page.total !== undefined && !restricted) parts.push(`"total":${page.total}`);
  parts.push(`"link":${JSON.stringify(links)}`);
  if (rows.length > 0) parts.push(`"entry":[${rows.map((v) => entry(v, request.baseUrl)).join(',')}]`);
  return {
    status: 200, headers: {}, interaction: id ? 'history-instance' : type ? 'history-type' : 'history-system',
    body: { kind: 'text', text: `{${parts.join(',')}}` }, touched: rows,
  };
}
