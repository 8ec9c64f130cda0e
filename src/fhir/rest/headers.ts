/**
 * HTTP header semantics of the FHIR REST API (http://hl7.org/fhir/R4/http.html):
 * ETag as W/"versionId", If-Match, Prefer, If-None-Exist, X-Security-Context.
 */
import { fail } from '../../core/errors.js';
import type { StoredVersion } from '../../storage/contract.js';
import { localLiteral, localReference, onOwnBase } from './local-reference.js';

export function etag(versionId: number): string {
  return `W/"${versionId}"`;
}

/** Accepts W/"3", "3", W/3 and 3 (clients differ), and * for any current version (RFC 7232 §3.1). */
export function parseIfMatch(value: string): number | '*' {
  if (value.trim() === '*') return '*';
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(value);
  if (!match) throw fail('version.if-match-invalid', { value });
  return Number(match[1]);
}

export function versionHeaders(version: StoredVersion, baseUrl: string, withLocation: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    etag: etag(version.versionId),
    'last-modified': new Date(version.lastUpdated).toUTCString(),
  };
  if (withLocation) {
    const location = `${baseUrl}/${version.resourceType}/${version.id}/_history/${version.versionId}`;
    headers.location = location;
    headers['content-location'] = location;
  }
  return headers;
}

export interface Preferences {
  readonly return?: 'minimal' | 'representation' | 'OperationOutcome';
  readonly handling?: 'strict' | 'lenient';
}

/** The Prefer header (RFC 7240) as FHIR uses it. */
export function parsePrefer(header: string | undefined): Preferences {
  const prefs: { return?: Preferences['return']; handling?: Preferences['handling'] } = {};
  for (const part of (header ?? '').split(/[,;]/)) {
    const [name, raw] = part.split('=').map((s) => s.trim());
    const value = raw?.replace(/^"|"$/g, '');
    if (name === 'return' && (value === 'minimal' || value === 'representation' || value === 'OperationOutcome')) prefs.return = value;
    if (name === 'handling' && (value === 'strict' || value === 'lenient')) prefs.handling = value;
  }
  return prefs;
}

/**
 * Where the query of "Patient?name=x" starts: after the first "?" that follows a
 * path. A "?" after a "=" or "&" is inside a query already ("name=what?"), which
 * RFC 3986 §3.4 lets a query hold unencoded. -1 when `text` is all query.
 */
function queryStart(text: string): number {
  const question = text.indexOf('?');
  return question >= 0 && !/[=&]/.test(text.slice(0, question)) ? question + 1 : -1;
}

/** Query string pairs of "Patient?identifier=a|b&name=x" (conditional operations, If-None-Exist). */
export function parseCriteria(criteria: string): [string, string][] {
  const start = queryStart(criteria);
  const query = start >= 0 ? criteria.slice(start) : criteria;
  const pairs: [string, string][] = [];
  for (const [name, value] of new URLSearchParams(query)) pairs.push([name, value]);
  return pairs;
}

/**
 * X-Security-Context of a raw Binary upload (http.html, Binary resources): a
 * reference to another resource, relative or absolute, that becomes
 * Binary.securityContext. The server then applies that resource's access rules
 * to the Binary (binary.html#security), which it can only do for a resource it
 * holds: a reference on another server, to no resource type, or that is no
 * reference at all is refused (400), since storing it would leave the Binary
 * guarded by rules nobody can evaluate. A reference on the server's own base is
 * kept relative, as the server's other references are.
 */
export function parseSecurityContext(value: string, baseUrl: string, isResourceType: (type: string) => boolean): string {
  const trimmed = value.trim();
  const target = localLiteral(trimmed, baseUrl);
  if (!target || !isResourceType(target.type)) {
    throw fail('binary.security-context-invalid', { value }, { expression: ['http.X-Security-Context'] });
  }
  return localReference(trimmed, baseUrl) as string;
}

/**
 * The search of a conditional create (http.html#ccreate): If-None-Exist, or
 * Bundle.entry.request.ifNoneExist, holds the query part of a search on the
 * type being created, "[search parameters]". Clients also send it as
 * "[type]?[search parameters]", which names the same search, so that form is
 * accepted, for the created type only. An absolute URL on the server's own
 * base is read the same way, as a conditional reference in a transaction
 * written "[base]/[type]?[criteria]" is (http.html#trules): it names this
 * server, so reading it otherwise would only make one search depend on how the
 * client spelled the address. An absolute URL on any other base, or a search
 * on another type, is refused (400): the server can only search itself, and
 * running that query here would decide the create on resources the client
 * never asked about. Returns the query part.
 */
export function ifNoneExistQuery(value: string, type: string, baseUrl: string, expression = 'http.If-None-Exist'): string {
  const trimmed = value.trim();
  const onBase = onOwnBase(trimmed, baseUrl);
  const local = localReference(trimmed, baseUrl);
  if (local !== undefined) {
    const start = queryStart(local);
    // The query part alone, as R4 writes it.
    if (start < 0 && onBase === undefined) return local;
    const prefix = local.slice(0, Math.max(start - 1, 0));
    if (start >= 0 && (prefix === type || (prefix === '' && onBase === undefined))) return local.slice(start);
  }
  throw fail('conditional.criteria-invalid', { value, type }, { expression: [expression] });
}
