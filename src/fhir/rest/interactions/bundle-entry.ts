/**
 * One entry of a batch or transaction Bundle: its request as the engine's own
 * FhirRequest, and its answer as a response entry
 * (http://hl7.org/fhir/R4/http.html#transaction-response, bundle.html#Bundle.entry.response).
 */
import { STATUS_CODES } from 'node:http';
import { fail, type FhirError } from '../../../core/errors.js';
import type { Language } from '../../../core/i18n/translate.js';
import { newId } from '../../../core/ids.js';
import { operationOutcome } from '../../../core/operation-outcome.js';
import type { StoredVersion } from '../../../storage/contract.js';
import { ifNoneExistQuery } from '../headers.js';
import { callerOf } from '../operation-access.js';
import type { FhirMethod, FhirRequest, FhirResponse } from '../types.js';
import type { WriteOptions } from './write.js';
import { parseJson, stringifyJson } from '../../../core/json/decimal-json.js';

export interface EntryRequest {
  readonly index: number;
  readonly fullUrl?: string;
  readonly request: FhirRequest;
  /** "Type/id" the entry creates, changes or deletes, once settled (a resource is changed once per Bundle). */
  target?: string;
  options: WriteOptions;
}

const METHODS: readonly FhirMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The processing order of http.html#trules, which batches follow too (http.html#brules). */
export const ORDER: Readonly<Record<FhirMethod, number>> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

export function entryInvalid(index: number, reason: string): FhirError {
  return fail('bundle.entry-invalid', { index, reason }, { expression: [`Bundle.entry[${index}]`] });
}

/** Splits an entry's request.url, relative or absolute on this server, into path and query. */
function splitUrl(url: string, baseUrl: string, index: number): { path: string; query: [string, string][] } {
  let relative = url;
  if (/^https?:\/\//.test(url)) {
    if (!url.startsWith(`${baseUrl}/`)) throw entryInvalid(index, `request.url ${url} is not on this server`);
    relative = url.slice(baseUrl.length + 1);
  }
  relative = relative.replace(/^\//, '');
  const question = relative.indexOf('?');
  const path = question < 0 ? relative : relative.slice(0, question);
  const query: [string, string][] = [];
  if (question >= 0) for (const [k, v] of new URLSearchParams(relative.slice(question + 1))) query.push([k, v]);
  return { path, query };
}

const JSON_PATCH = 'application/json-patch+json';

/**
 * What a PATCH entry's resource is (http.html#transaction, #patch): a
 * Parameters resource is a FHIRPath Patch, sent on as FHIR JSON; a Binary
 * carries a JSON Patch (anything else is taken for one and refused by it).
 */
function patchContentType(resource: unknown): string {
  return (resource as { resourceType?: unknown } | undefined)?.resourceType === 'Parameters' ? 'application/fhir+json' : JSON_PATCH;
}

/** The JSON Patch a PATCH entry's Binary carries, or its resource as it is. */
function patchBody(resource: unknown, index: number): unknown {
  const binary = resource as { resourceType?: string; contentType?: string; data?: string } | undefined;
  if (binary?.resourceType === 'Binary' && typeof binary.data === 'string') {
    try {
      return parseJson(Buffer.from(binary.data, 'base64').toString('utf8'));
    } catch {
      throw entryInvalid(index, 'the Binary of a PATCH entry must hold a JSON Patch');
    }
  }
  return resource;
}

export function bundleEntries(bundle: Record<string, unknown>): unknown[] {
  const entries = bundle.entry;
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) throw fail('body.not-a-resource');
  return entries;
}

/**
 * The ifNoneExist of a create entry, checked and reduced to its query part
 * here, so that a transaction settles its creates on the very search create()
 * would run (headers.ts, ifNoneExistQuery). On any other entry it means
 * nothing and is passed on as written.
 */
function conditionalCreateQuery(value: string, method: FhirMethod, path: string, baseUrl: string, index: number): string {
  if (method !== 'POST' || path.includes('/') || path.startsWith('$')) return value;
  return ifNoneExistQuery(value, path, baseUrl, `Bundle.entry[${index}].request.ifNoneExist`);
}

export function parseEntry(raw: unknown, index: number, parent: FhirRequest): EntryRequest {
  const entry = raw as { fullUrl?: unknown; resource?: unknown; request?: Record<string, unknown>; response?: unknown } | null;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw entryInvalid(index, 'an entry must be a JSON object');
  const request = entry.request;
  if (!request || typeof request !== 'object') throw entryInvalid(index, 'request is missing');
  // bdl-4: entry.response belongs to batch-response and transaction-response Bundles only.
  if (entry.response !== undefined) throw entryInvalid(index, 'response is only allowed in a response Bundle');
  const method = request.method;
  if (typeof method !== 'string' || !METHODS.includes(method as FhirMethod)) throw entryInvalid(index, `unknown method ${String(method)}`);
  if (typeof request.url !== 'string' || request.url === '') throw entryInvalid(index, 'request.url is missing');
  const { path, query } = splitUrl(request.url, parent.baseUrl, index);
  const header = (name: string): string | undefined => (typeof request[name] === 'string' ? (request[name] as string) : undefined);
  const isPatch = method === 'PATCH';
  const headers = {
    ...(isPatch ? { contentType: patchContentType(entry.resource) } : {}),
    ...(header('ifMatch') ? { ifMatch: header('ifMatch') } : {}),
    ...(header('ifNoneMatch') ? { ifNoneMatch: header('ifNoneMatch') } : {}),
    ...(header('ifModifiedSince') ? { ifModifiedSince: header('ifModifiedSince') } : {}),
    ...(header('ifNoneExist') ? { ifNoneExist: conditionalCreateQuery(header('ifNoneExist') as string, method as FhirMethod, path, parent.baseUrl, index) } : {}),
    ...(parent.headers.prefer ? { prefer: parent.headers.prefer } : {}),
    ...(parent.headers.accept ? { accept: parent.headers.accept } : {}),
  };
  const body = isPatch ? patchBody(entry?.resource, index) : entry?.resource;
  if (typeof entry.fullUrl === 'string') checkFullUrlAgrees(entry.fullUrl, entry.resource, index);
  return {
    index,
    ...(typeof entry?.fullUrl === 'string' ? { fullUrl: entry.fullUrl } : {}),
    // Each entry is the caller's own request: checked and audited as such.
    request: { method: method as FhirMethod, path, query, headers, ...(body !== undefined ? { body } : {}), baseUrl: parent.baseUrl, language: parent.language, ...callerOf(parent) },
    options: {},
  };
}

/**
 * Bundle.entry.fullUrl: "fullUrl SHALL NOT disagree with the id in the
 * resource" (bundle.html, Bundle.entry.fullUrl): a RESTful fullUrl
 * ([base]/Type/id, possibly with _history) names the resource's type and id.
 * A urn:uuid or urn:oid fullUrl names a resource yet without its id.
 */
function checkFullUrlAgrees(fullUrl: string, resource: unknown, index: number): void {
  const { resourceType, id } = (resource ?? {}) as { resourceType?: unknown; id?: unknown };
  if (typeof id !== 'string' || typeof resourceType !== 'string' || fullUrl.startsWith('urn:')) return;
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(fullUrl);
  if (!match) return;
  if (match[1] !== resourceType || match[2] !== id) {
    throw entryInvalid(index, `fullUrl ${fullUrl} disagrees with the resource's id ${resourceType}/${id}`);
  }
}

export function typeOf(path: string): string {
  return path.split('/')[0] ?? '';
}

/**
 * The resource type a PATCH entry's JSON Patch applies to; undefined for other
 * entries, FHIRPath Patches included: their Parameters are a resource, whose
 * links (valueReference, valueUri…) are found as in any other resource.
 */
export function patchedType(entry: EntryRequest): string | undefined {
  return entry.request.method === 'PATCH' && entry.request.headers.contentType === JSON_PATCH ? typeOf(entry.request.path) : undefined;
}

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

/**
 * The version the response's ETag names: its meta.lastUpdated is the exact
 * instant of response.lastModified, which the HTTP Last-Modified header
 * rounds to the second.
 */
function versionOf(response: FhirResponse): StoredVersion | undefined {
  const [version, ...others] = response.touched ?? [];
  return version !== undefined && others.length === 0 && response.headers.etag === `W/"${version.versionId}"` ? version : undefined;
}

/**
 * HEAD is GET without the representation (RFC 9110 §9.3.2), as an entry's
 * method too (R4's http-verb value set lists it for Bundle.entry.request.method):
 * the answer keeps its status, ETag and Last-Modified, not the resource.
 */
export function withoutBodyForHead(entry: EntryRequest, response: FhirResponse): FhirResponse {
  if (entry.request.method !== 'HEAD' || response.body === undefined) return response;
  const { body: _body, ...rest } = response;
  return rest;
}

export function responseEntry(response: FhirResponse): string {
  const parts: Record<string, string> = { status: statusLine(response.status) };
  if (response.headers.location) parts.location = response.headers.location;
  if (response.headers.etag) parts.etag = response.headers.etag;
  const version = versionOf(response);
  if (version) parts.lastModified = new Date(version.lastUpdated).toISOString();
  else if (response.headers['last-modified']) parts.lastModified = new Date(response.headers['last-modified']).toISOString();
  const body = response.body;
  if (body?.kind === 'text') return `{"resource":${body.text},"response":${JSON.stringify(parts)}}`;
  if (body?.kind === 'json') {
    const value = body.value as { resourceType?: string };
    // An OperationOutcome the server says about the entry (an error, a deletion, Prefer: return=OperationOutcome)
    // is the response's outcome, not a resource (Bundle.entry.response.outcome; http.html#ops); an operation's
    // own result ($validate's verdict) stays its resource.
    const isOperationResult = response.interaction.startsWith('operation');
    if (value.resourceType === 'OperationOutcome' && (response.status >= 300 || !isOperationResult)) {
      return `{"response":${stringifyJson({ ...parts, outcome: value })}}`;
    }
    return `{"resource":${stringifyJson(value)},"response":${JSON.stringify(parts)}}`;
  }
  return `{"response":${JSON.stringify(parts)}}`;
}

/** A batch entry that failed: its own status and OperationOutcome (http.html#brules). */
export function failedEntry(error: FhirError, language: Language): string {
  return `{"response":${JSON.stringify({ status: statusLine(error.status), outcome: operationOutcome(error.issues, language) })}}`;
}

/** The response Bundle; no entry element when there are none (json.html: an array is never empty). */
export function bundleText(type: 'batch-response' | 'transaction-response', entries: readonly string[], now: number): string {
  const entry = entries.length > 0 ? `,"entry":[${entries.join(',')}]` : '';
  return `{"resourceType":"Bundle","id":"${newId()}","meta":{"lastUpdated":"${new Date(now).toISOString()}"},"type":"${type}"${entry}}`;
}
