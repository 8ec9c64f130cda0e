/**
 * read and vread (http://hl7.org/fhir/R4/http.html#read, #vread), with
 * conditional read (If-None-Match, If-Modified-Since) and Binary served as
 * raw bytes in its own content type (binary.html#rest).
 */
import { fail, type FhirError } from '../../../core/errors.js';
import type { StoredVersion, StoreReader } from '../../../storage/contract.js';
import { applySubset, needsSubset } from '../../search/summary.js';
import { subsetOf } from './read-subset.js';
import { hiddenResource, mayKnow } from '../access-guard.js';
import type { EngineDeps } from '../context.js';
import { versionHeaders } from '../headers.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { operationDefinition } from '../operation-definition.js';
import { SOFTWARE_VERSION } from './capabilities.js';
import { shownVersions } from '../write-hooks.js';
import { parseJson, stringifyJson } from '../../../core/json/decimal-json.js';

/** A FHIR format is asked for explicitly; otherwise a Binary is served raw. */
export function wantsFhirFormat(request: FhirRequest): boolean {
  const format = request.query.find(([name]) => name === '_format')?.[1];
  if (format) return /json|xml/.test(format);
  const accept = request.headers.accept ?? '';
  return /application\/(fhir\+)?json|application\/fhir\+xml/.test(accept);
}

/** A Binary version as FHIR JSON, its payload inlined as base64 data (up to maxBody bytes). */
export async function binaryJson(reader: StoreReader, version: StoredVersion, maxBody: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of reader.readBinary(version.rid, version.versionId)) {
    size += chunk.length;
    if (size > maxBody) throw fail('binary.too-large', { limit: maxBody });
    chunks.push(chunk);
  }
  const resource = JSON.parse(version.content ?? '{}') as Record<string, unknown>;
  if (size > 0) resource.data = Buffer.concat(chunks).toString('base64');
  return JSON.stringify(resource);
}

export async function respondWithVersion(deps: EngineDeps, reader: StoreReader, request: FhirRequest, version: StoredVersion, interaction: string): Promise<FhirResponse> {
  const headers = versionHeaders(version, request.baseUrl, false);
  if (version.resourceType === 'Binary' && !wantsFhirFormat(request)) {
    const resource = JSON.parse(version.content ?? '{}') as { contentType?: string; securityContext?: { reference?: string } };
    const binaryHeaders: Record<string, string> = { ...headers };
    if (resource.securityContext?.reference) binaryHeaders['x-security-context'] = resource.securityContext.reference;
    return {
      status: 200,
      headers: binaryHeaders,
      interaction,
      body: { kind: 'binary', contentType: resource.contentType ?? 'application/octet-stream', stream: reader.readBinary(version.rid, version.versionId) },
    };
  }
  let text = version.resourceType === 'Binary' ? await binaryJson(reader, version, deps.maxBody) : (version.content as string);
  const subset = subsetOf(request);
  if (needsSubset(subset)) text = stringifyJson(applySubset(deps.schema, parseJson(text) as Record<string, unknown>, subset));
  return { status: 200, headers, interaction, body: { kind: 'text', text } };
}

/** 304 when the client's copy is current (http.html#cread). */
function notModified(request: FhirRequest, version: StoredVersion): boolean {
  const { ifNoneMatch, ifModifiedSince } = request.headers;
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === `"${version.versionId}"`);
  }
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have second precision.
    return Number.isFinite(since) && Math.floor(version.lastUpdated / 1000) * 1000 <= since;
  }
  return false;
}

/** When the definitions were built: they change only with the code, so with the process. */
const DEFINITIONS_BUILT_AT = Date.now();

/**
 * The OperationDefinition of an operation Socle defines itself
 * (operation-definition.ts): read-only (the engine refuses writes to its id),
 * version 1, not found by searches, as HAPI serves its own.
 */
function ownDefinition(deps: EngineDeps, request: FhirRequest, type: string, id: string): StoredVersion | undefined {
  if (type !== 'OperationDefinition') return undefined;
  const described = deps.operations.describedBy(id);
  if (!described) return undefined;
  const definition = operationDefinition(described.declarations, described.description, request.baseUrl, SOFTWARE_VERSION);
  const meta = { versionId: '1', lastUpdated: new Date(DEFINITIONS_BUILT_AT).toISOString() };
  const content = JSON.stringify({ resourceType: type, id, meta, ...definition });
  return { rid: 0, resourceType: type, id, versionId: 1, lastUpdated: DEFINITIONS_BUILT_AT, deleted: false, method: 'PUT', content };
}

/**
 * 410 for a deletion version, with its ETag and Last-Modified: the version
 * and the instant of the deletion (http.html#read: "the server SHOULD return
 * … ETag … Last-Modified"; a deletion is a version like any other, #history).
 */
function gone(request: FhirRequest, version: StoredVersion): FhirError {
  return fail('resource.deleted', { type: version.resourceType, id: version.id }, { headers: versionHeaders(version, request.baseUrl, false) });
}

export async function read(deps: EngineDeps, reader: StoreReader, request: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  deps.guard.require(request, 'r', type);
  const own = ownDefinition(deps, request, type, id);
  // Never 304: its content changes with the code while its version stays 1, so a client's ETag says nothing.
  if (own) return respondWithVersion(deps, reader, request, own, 'read');
  const version = await reader.readCurrent(type, id);
  // A resource the principal may not see answers exactly as an absent one.
  if (!version) throw fail('resource.not-found', { type, id });
  if (!(await mayKnow(deps.guard, reader, request, version))) throw hiddenResource(type, id, version);
  if (version.deleted) throw gone(request, version);
  if (notModified(request, version)) return { status: 304, headers: versionHeaders(version, request.baseUrl, false), interaction: 'read', touched: [version] };
  return { ...(await respondWithVersion(deps, reader, request, version, 'read')), touched: [version] };
}

export async function vread(deps: EngineDeps, reader: StoreReader, request: FhirRequest, type: string, id: string, versionText: string): Promise<FhirResponse> {
  deps.guard.require(request, 'r', type);
  // The version as the server writes it (1, 2, …): "01" names no version (vread answers meta.versionId = [vid]).
  const versionId = /^[1-9]\d*$/.test(versionText) ? Number(versionText) : NaN;
  const own = versionId === 1 ? ownDefinition(deps, request, type, id) : undefined;
  if (own) return respondWithVersion(deps, reader, request, own, 'vread');
  const version = Number.isSafeInteger(versionId) ? await reader.readVersion(type, id, versionId) : undefined;
  if (!version || !(await mayKnow(deps.guard, reader, request, version))) throw fail('resource.version-not-found', { type, id, version: versionText });
  if (version.deleted) throw gone(request, version);
  // A module may withhold part of a past version (identity: the INS of an identity no longer QUAL).
  const [shown = version] = await shownVersions({ deps, reader, request }, [version]);
  return { ...(await respondWithVersion(deps, reader, request, shown, 'vread')), touched: [version] };
}
