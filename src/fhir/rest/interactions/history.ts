/**
 * history at instance, type and system level (http://hl7.org/fhir/R4/http.html#history),
 * newest first, with _since, _at and _count, paged by keyset like search.
 */
import { randomUUID } from 'node:crypto';
import { fail } from '../../../core/errors.js';
import type { StoredVersion, StoreReader } from '../../../storage/contract.js';
import type { HistoryCursor, HistoryQuery } from '../../../storage/query.js';
import { dateRange, type DateRange } from '../../indexing/values.js';
import { hiddenResource, mayKnow, visibleOnly } from '../access-guard.js';
import type { EngineDeps } from '../context.js';
import { etag, parsePrefer } from '../headers.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { shownVersions } from '../write-hooks.js';
import { withBinaryData } from './common.js';

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

/** The history parameters (http.html#history, _list aside) and those of every interaction (_format, _pretty); _cursor pages. */
const PARAMETERS = new Set(['_count', '_since', '_at', '_cursor', '_format', '_pretty']);

/** Rows an _at walk reads at most per request: it may answer a page shorter than _count, with a next link. */
const AT_SCAN_LIMIT = 2000;

/** Unknown parameters are ignored, or refused with Prefer: handling=strict (search.html#errors, as search does). */
function checkParameters(request: FhirRequest): void {
  if (parsePrefer(request.headers.prefer).handling !== 'strict') return;
  const unknown = request.query.find(([name]) => !PARAMETERS.has(name));
  if (unknown) throw fail('history.unknown-parameter', { name: unknown[0] });
}

/**
 * An instant or a date of any precision; a space stands for the + of an unencoded time zone offset. A time without
 * a zone is a wall-clock time of the server's zone, as in a date search (search.html#date, which _at refers to).
 */
function periodOf(text: string | undefined, key: 'history.invalid-since' | 'history.invalid-at', zone: string | undefined): DateRange | undefined {
  if (text === undefined) return undefined;
  const range = dateRange(text.replace(' ', '+'), zone);
  if (!range) throw fail(key, { value: text });
  return range;
}

interface HistoryWalk {
  readonly rows: StoredVersion[];
  readonly hasNext: boolean;
  /** The last version read, kept or not: where the next page starts. */
  readonly last: StoredVersion | undefined;
  readonly total?: number;
}

/** A version is current from its lastUpdated until its successor's (if any): during `period` when that span meets it. */
async function currentDuring(
  reader: StoreReader, version: StoredVersion, period: DateRange, successorTimes: ReadonlyMap<number, number>,
): Promise<boolean> {
  if (version.lastUpdated >= period.low) return true;
  const successor = successorTimes.get(version.rid) ?? (await reader.readVersion(version.resourceType, version.id, version.versionId + 1))?.lastUpdated;
  return successor === undefined || successor > period.low;
}

/**
 * _at (http.html#history): "Only include resource versions that were current at
 * some point during the time period specified". The walk starts at the period's
 * end (later versions cannot qualify) and keeps the versions written during the
 * period and those current when it began. Before the period, an instance has at
 * most one such version; a type or the system may have one per resource, so the
 * walk reads at most AT_SCAN_LIMIT rows per page.
 */
async function walkAt(reader: StoreReader, query: HistoryQuery, period: DateRange): Promise<HistoryWalk> {
  const rows: StoredVersion[] = [];
  // Newest first: the version of a resource read just before another is its successor.
  const successorTimes = new Map<number, number>();
  let { after } = query;
  let last: StoredVersion | undefined;
  let hasNext = true;
  let scanned = 0;
  while (hasNext && rows.length < query.count && scanned < AT_SCAN_LIMIT) {
    const page = await reader.history({ ...query, count: query.count - rows.length, ...(after ? { after } : {}) });
    hasNext = page.hasNext;
    for (const version of page.rows) {
      scanned += 1;
      last = version;
      if (await currentDuring(reader, version, period, successorTimes)) rows.push(version);
      successorTimes.set(version.rid, version.lastUpdated);
      // An instance's older versions were all superseded before the period began.
      if (query.id !== undefined && version.lastUpdated < period.low) {
        hasNext = false;
        break;
      }
    }
    if (last) after = { lastUpdated: last.lastUpdated, rid: last.rid, versionId: last.versionId };
  }
  return { rows, hasNext, last };
}

/**
 * The status the write of a version answered: 201 when it created the resource,
 * at its first version or bringing it back after a deletion (http.html#update:
 * a PUT on a deleted resource creates it again), else the method's.
 */
function statusOf(version: StoredVersion): string {
  if (version.method === 'DELETE') return STATUS.DELETE;
  return version.versionId === 1 || version.followsDeletion === true ? '201 Created' : STATUS[version.method];
}

/** The entry of one version: its method as written, PATCH included (R4 HTTPVerb). */
function entry(version: StoredVersion, baseUrl: string): string {
  const fullUrl = `${baseUrl}/${version.resourceType}/${version.id}`;
  const url = version.method === 'POST' ? version.resourceType : `${version.resourceType}/${version.id}`;
  const { method } = version;
  const response = { status: statusOf(version), etag: etag(version.versionId), lastModified: new Date(version.lastUpdated).toISOString() };
  const resource = version.content !== null ? `"resource":${version.content},` : '';
  return `{"fullUrl":${JSON.stringify(fullUrl)},${resource}"request":${JSON.stringify({ method, url })},"response":${JSON.stringify(response)}}`;
}

export async function history(
  deps: EngineDeps, reader: StoreReader, request: FhirRequest, type?: string, id?: string,
): Promise<FhirResponse> {
  const { guard } = deps;
  guard.require(request, id !== undefined ? 'r' : 's', type);
  checkParameters(request);
  if (type !== undefined && id !== undefined) {
    const current = await reader.readCurrent(type, id);
    if (!current) throw fail('resource.not-found', { type, id });
    if (!(await mayKnow(guard, reader, request, current))) throw hiddenResource(type, id, current);
  }
  const param = (name: string): string | undefined => request.query.find(([n]) => n === name)?.[1];
  const since = periodOf(param('_since'), 'history.invalid-since', deps.timeZone)?.low;
  const at = periodOf(param('_at'), 'history.invalid-at', deps.timeZone);
  const countText = param('_count');
  if (countText !== undefined && !/^\d+$/.test(countText)) throw fail('search.invalid-control', { name: '_count', value: countText, expected: 'a whole number' });
  const count = Math.min(countText !== undefined ? Number(countText) : deps.defaultPageSize, deps.maxPageSize);
  const cursorText = param('_cursor');
  const cursor = cursorText !== undefined ? decode(cursorText) : undefined;
  const until = cursor?.until ?? deps.clock.now();
  const historyQuery: HistoryQuery = {
    ...(type !== undefined ? { resourceType: type } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(since !== undefined ? { since } : {}),
    until: at ? Math.min(until, at.high) : until,
    count,
    ...(cursor ? { after: cursor } : {}),
  };
  let page: HistoryWalk;
  if (at && count > 0) {
    page = await walkAt(reader, historyQuery, at);
  } else {
    // The storage total counts every version in range: with _at it would count some left out.
    const { rows, hasNext, total } = await reader.history(historyQuery);
    page = { rows, hasNext, last: rows[rows.length - 1], ...(total !== undefined && !at ? { total } : {}) };
  }
  // Versions the principal may not see are left out (a page may then be shorter than _count);
  // the total would count them, so a restricted principal gets none.
  const restricted = guard.restricted(request);
  const rows = restricted ? await visibleOnly(guard, request, page.rows) : page.rows;
  const selfBase = [request.baseUrl, type, id, '_history'].filter((s) => s !== undefined).join('/');
  const kept = request.query.filter(([n]) => n === '_since' || n === '_at' || n === '_count');
  const query = (pairs: readonly (readonly [string, string])[]): string =>
    pairs.length === 0 ? selfBase : `${selfBase}?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  const links = [{ relation: 'self', url: query(request.query.filter(([n]) => n === '_since' || n === '_at' || n === '_count' || n === '_cursor')) }];
  const { last } = page;
  if (page.hasNext && last) {
    links.push({ relation: 'next', url: query([...kept, ['_cursor', encode({ lastUpdated: last.lastUpdated, rid: last.rid, versionId: last.versionId, until })]]) });
  }
  const parts = [
    '"resourceType":"Bundle"', `"id":"${randomUUID()}"`, `"meta":{"lastUpdated":"${new Date(deps.clock.now()).toISOString()}"}`, '"type":"history"',
  ];
  if (page.total !== undefined && !restricted) parts.push(`"total":${page.total}`);
  parts.push(`"link":${JSON.stringify(links)}`);
  // A Binary appears with its payload, as it was in that version (binary.html#rest).
  // A module may withhold part of a past version (identity: the INS of an identity no longer QUAL).
  const shown = await withBinaryData(reader, await shownVersions({ deps, reader, request }, rows), deps.maxBody);
  if (shown.length > 0) parts.push(`"entry":[${shown.map((v) => entry(v, request.baseUrl)).join(',')}]`);
  return {
    status: 200, headers: {}, interaction: id ? 'history-instance' : type ? 'history-type' : 'history-system',
    body: { kind: 'text', text: `{${parts.join(',')}}` }, touched: rows,
  };
}
