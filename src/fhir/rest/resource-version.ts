/**
 * Turns a validated resource into what storage writes: the JSON text with
 * server-set meta (versionId, lastUpdated: http://hl7.org/fhir/R4/resource.html#Meta),
 * its search index, its shard key, and for a Binary its payload kept out of the JSON.
 */
import { carryDecimals, decimalText, parseJson, stringifyJson } from '../../core/json/decimal-json.js';
import type { BinaryPayload, NewVersion, WriteMethod } from '../../storage/contract.js';
import type { IndexSet } from '../indexing/index-set.js';
import type { EngineDeps } from './context.js';

export type JsonResource = Record<string, unknown> & { resourceType: string; id?: string };

/** What can be computed before the write unit starts (it does not depend on the version). */
export interface AnalysedResource {
  readonly resource: JsonResource;
  readonly index: IndexSet;
  readonly shardKey: string;
  readonly binary?: BinaryPayload;
}

/**
 * The patient whose compartment holds the resource (the first compartment
 * parameter pointing to a Patient), the Patient's own id, or the resource's id:
 * the key Citus would distribute the row on.
 */
function shardKeyOf(deps: EngineDeps, resource: JsonResource, index: IndexSet): string {
  const id = resource.id ?? '';
  if (resource.resourceType === 'Patient') return id;
  const params = deps.schema.patientCompartmentParams(resource.resourceType);
  for (const param of params) {
    const hit = index.reference.find((r) => r.param === param && r.targetType === 'Patient' && r.targetId);
    if (hit?.targetId) return hit.targetId;
  }
  return id;
}

/** `baseUrl`: the base the request arrived on, whose absolute references are local. */
export function analyseResource(deps: EngineDeps, resource: JsonResource, baseUrl: string, binary?: BinaryPayload): AnalysedResource {
  let stored = resource;
  let payload = binary;
  if (resource.resourceType === 'Binary' && typeof resource.data === 'string') {
    // Binary.data lives in binary_chunks, not in the JSON: it may be large.
    const bytes = Buffer.from(resource.data, 'base64');
    payload = { size: bytes.length, chunks: [bytes] };
    const { data: _data, ...rest } = resource;
    stored = rest as JsonResource;
  }
  const index = deps.indexer.index(stored, baseUrl);
  return { resource: stored, index, shardKey: shardKeyOf(deps, stored, index), ...(payload ? { binary: payload } : {}) };
}

/** The resource's JSON with id and meta first, as the server sets them. */
export function finalContent(resource: JsonResource, id: string, versionId: number, lastUpdated: number): { json: JsonResource; text: string } {
  const { resourceType, id: _id, meta, ...rest } = resource;
  const json = {
    resourceType,
    id,
    meta: { ...((meta as Record<string, unknown> | undefined) ?? {}), versionId: String(versionId), lastUpdated: new Date(lastUpdated).toISOString() },
    ...rest,
  } as JsonResource;
  carryDecimals(resource, json);
  return { json, text: stringifyJson(json) };
}

export function newVersion(
  analysed: AnalysedResource, id: string, versionId: number, lastUpdated: number, method: WriteMethod,
): NewVersion {
  const { text } = finalContent(analysed.resource, id, versionId, lastUpdated);
  return {
    resourceType: analysed.resource.resourceType,
    id,
    versionId,
    lastUpdated,
    method,
    content: text,
    shardKey: analysed.shardKey === '' ? id : analysed.shardKey,
    index: analysed.index,
    ...(analysed.binary ? { binary: analysed.binary } : {}),
  };
}

/** A deletion marker: no content, no index. */
export function deletionVersion(resourceType: string, id: string, versionId: number, lastUpdated: number): NewVersion {
  // The shard key stays the current row's: a deletion lives where the resource was.
  return { resourceType, id, versionId, lastUpdated, method: 'DELETE', content: null, shardKey: null, index: null };
}

/** Two contents are the same resource when only meta.versionId and meta.lastUpdated differ. */
export function sameContent(storedText: string | null, candidate: JsonResource, id: string): boolean {
  if (storedText === null) return false;
  const stored = parseJson(storedText) as JsonResource;
  const strip = (r: JsonResource): string => {
    const { meta, ...rest } = r;
    const { versionId: _v, lastUpdated: _l, ...metaRest } = (meta as Record<string, unknown> | undefined) ?? {};
    const comparable = { ...rest, id, ...(Object.keys(metaRest).length > 0 ? { meta: metaRest } : {}) };
    carryDecimals(r, comparable);
    return stableStringify(comparable);
  };
  return strip(stored) === strip(candidate);
}

/** Key order ignored, decimals as written (1.5 and 1.50 differ: their precision does). */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((member, i) => memberText(value, i, member)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${memberText(value, k, v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function memberText(holder: object, key: string | number, value: unknown): string {
  return (typeof value === 'number' ? decimalText(holder, key) : undefined) ?? stableStringify(value);
}
