/**
 * HTTP header semantics of the FHIR REST API (http://hl7.org/fhir/R4/http.html):
 * ETag as W/"versionId", If-Match, Prefer.
 */
import { fail } from '../../core/errors.js';
import type { StoredVersion } from '../../storage/contract.js';

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

/** Query string pairs of "Patient?identifier=a|b&name=x" (conditional operations, If-None-Exist). */
export function parseCriteria(criteria: string): [string, string][] {
  const query = criteria.includes('?') ? criteria.slice(criteria.indexOf('?') + 1) : criteria;
  const pairs: [string, string][] = [];
  for (const [name, value] of new URLSearchParams(query)) pairs.push([name, value]);
  return pairs;
}
