/**
 * Parses the path below the FHIR base into the target of an interaction
 * (http://hl7.org/fhir/R4/http.html#general).
 */
import { fail } from '../../core/errors.js';
import { isValidId } from '../../core/ids.js';
import type { FhirSchema } from '../definitions/schema.js';

export interface FhirRoute {
  readonly type?: string;
  readonly id?: string;
  readonly versionId?: string;
  /** "_history", "_search", "metadata" or an operation name without "$". */
  readonly action?: string;
  readonly operation?: string;
  /** Compartment search: /Patient/123/Observation or /Patient/123/* */
  readonly compartmentType?: string;
}

export function parseRoute(path: string, schema: FhirSchema): FhirRoute {
  const segments = path.split('/').filter((s) => s !== '').map(decodeSegment);
  const [first, second, third, fourth, fifth] = segments;
  if (segments.length > 5) throw fail('route.not-found', { path: `/${path}` });
  if (first === undefined) return {};
  if (first === 'metadata' && segments.length === 1) return { action: 'metadata' };
  if (first.startsWith('$')) return segments.length === 1 ? { operation: first.slice(1) } : routeNotFound(path);
  if (first === '_history' && segments.length === 1) return { action: '_history' };
  if (first === '_search' && segments.length === 1) return { action: '_search' };
  if (!schema.isResourceType(first)) throw fail('type.unknown', { type: first });
  const type = first;
  if (second === undefined) return { type };
  if (second === '_history' && segments.length === 2) return { type, action: '_history' };
  if (second === '_search' && segments.length === 2) return { type, action: '_search' };
  if (second.startsWith('$') && segments.length === 2) return { type, operation: second.slice(1) };
  // The id datatype (datatypes.html#id): anything else cannot name a resource here, so the request is malformed.
  if (!isValidId(second)) throw fail('id.invalid', { id: second });
  const id = second;
  if (third === undefined) return { type, id };
  if (third === '_history') {
    if (fourth === undefined) return { type, id, action: '_history' };
    // An operation on one version, e.g. Patient/1/_history/2/$meta (resource-operation-meta.html).
    if (fifth !== undefined) return fifth.startsWith('$') ? { type, id, versionId: fourth, operation: fifth.slice(1) } : routeNotFound(path);
    return { type, id, versionId: fourth };
  }
  if (third.startsWith('$') && segments.length === 3) return { type, id, operation: third.slice(1) };
  if (segments.length === 3 && (third === '*' || schema.isResourceType(third))) return { type, id, compartmentType: third };
  if (segments.length === 3) throw fail('type.unknown', { type: third });
  return routeNotFound(path);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function routeNotFound(path: string): never {
  throw fail('route.not-found', { path: `/${path}` });
}
