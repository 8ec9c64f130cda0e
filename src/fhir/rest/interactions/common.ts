/** Steps shared by the interactions: body checks, validation, conditional matching, write responses, Binary in its FHIR form. */
import { fail, validationFailure } from '../../../core/errors.js';
import { informationOutcome, operationOutcome } from '../../../core/operation-outcome.js';
import { warningsOf } from '../write-hooks.js';
import type { StoredVersion, StoreReader } from '../../../storage/contract.js';
import type { Condition } from '../../../storage/query.js';
import { refuseAmbiguousIds } from '../../search/ambiguous-ids.js';
import { parseSearch } from '../../search/parse-search.js';
import { markSubsetted } from '../../search/summary.js';
import { parameterContext, type EngineDeps } from '../context.js';
import { parseCriteria, parsePrefer, versionHeaders } from '../headers.js';
import type { JsonResource } from '../resource-version.js';
import type { FhirRequest, FhirResponse } from '../types.js';

/** The body must be a resource of the type the URL names (http.html#create, #update). */
export function requireResource(body: unknown, type: string): JsonResource {
  if (body === undefined || body === null) throw fail('body.missing');
  if (typeof body !== 'object' || Array.isArray(body) || typeof (body as { resourceType?: unknown }).resourceType !== 'string') {
    throw fail('body.not-a-resource');
  }
  const resource = body as JsonResource;
  if (resource.resourceType !== type) throw fail('type.mismatch', { actual: resource.resourceType, expected: type });
  return resource;
}

export function validateOrThrow(deps: EngineDeps, resource: JsonResource, type: string): void {
  const result = deps.validate(resource, type);
  if (!result.valid) throw validationFailure(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'));
}

/**
 * Resources matching conditional criteria (http.html#cond-update), at most two:
 * enough to tell none, one and several apart. Unknown parameters are errors here,
 * whatever Prefer says: ignoring one could match the wrong resource.
 */
export async function findMatches(
  deps: EngineDeps, reader: StoreReader, type: string, criteria: string, baseUrl: string, extraWhere: readonly Condition[] = [],
): Promise<StoredVersion[]> {
  // Only filtering parameters find a resource (http.html#trules); those shaping results are left out.
  const pairs = parseCriteria(criteria).filter(([name]) => !RESULT_PARAMETERS.has(name));
  if (pairs.length === 0) throw fail('conditional.no-criteria');
  const search = parseSearch([type], pairs, { ...parameterContext(deps, baseUrl), strict: true, defaultCount: 2, maxCount: 2 });
  // Criteria that select nothing (a search ignores an empty parameter) would make the operation unconditional.
  if (search.where.length === 0) throw fail('conditional.no-criteria');
  // "subject=123" naming Patient/123 and Group/123 would match both: refused, as a search refuses it.
  await refuseAmbiguousIds(reader, search.where, deps.schema.resourceTypes, { reach: extraWhere });
  const page = await reader.search({ resourceTypes: [type], where: [...search.where, ...extraWhere], sort: [], count: 2, total: 'none' });
  return page.rows;
}

const RESULT_PARAMETERS: ReadonlySet<string> = new Set(['_count', '_sort', '_summary', '_elements', '_total', '_include', '_revinclude']);

export function conditionalKey(type: string, criteria: string): string {
  const sorted = parseCriteria(criteria).map(([k, v]) => `${k}=${v}`).sort().join('&');
  return `${type}?${sorted}`;
}

/** The answer to a write, shaped by Prefer: return (http.html#ops). */
export function writeResponse(
  request: FhirRequest, version: StoredVersion, status: number, interaction: string,
  bodyText: string | null,
): FhirResponse {
  const headers = versionHeaders(version, request.baseUrl, status === 201 || interaction !== 'delete');
  const preference = parsePrefer(request.headers.prefer).return;
  if (preference === 'minimal' || bodyText === null) return { status, headers, interaction };
  if (preference === 'OperationOutcome') {
    const message = status === 201 ? 'ok.created' : interaction === 'create' ? 'ok.found' : 'ok.updated';
    // With what the write was accepted with (warnings its rules noted: an INS with an INSEE pseudo-month…).
    const outcome = operationOutcome([{ severity: 'information', type: 'informational', message, params: {} }, ...warningsOf(request)], request.language);
    return { status, headers, interaction, body: { kind: 'json', value: outcome } };
  }
  const text = version.resourceType === 'Binary' ? binaryWritten(request, status, interaction, bodyText) : bodyText;
  return { status, headers, interaction, body: { kind: 'text', text } };
}

/**
 * A Binary's stored JSON (which never holds its payload, see resource-version.ts)
 * in its FHIR form: the payload as base64 `data` (binary.html#rest), as read
 * gives it; or, when the payload is left out, marked SUBSETTED in meta.tag so
 * that nobody takes it for the whole (search.html#summary).
 */
export function binaryWithData(content: string, payload: Buffer | 'left-out'): string {
  const resource = JSON.parse(content) as Record<string, unknown>;
  if (payload === 'left-out') {
    markSubsetted(resource);
  } else if (payload.length > 0) {
    resource.data = payload.toString('base64');
  }
  return JSON.stringify(resource);
}

/**
 * The payload a write request carried, when it is at hand without reading
 * storage: Binary.data of its JSON body, or a raw upload held in memory (the
 * HTTP layer keeps one when the answer is to carry it). 'unknown' for a raw
 * upload read from elsewhere; undefined when the request carried none.
 */
function requestPayload(request: FhirRequest): Buffer | 'unknown' | undefined {
  const body = request.body as { resourceType?: unknown; data?: unknown } | undefined;
  if (body?.resourceType === 'Binary' && typeof body.data === 'string') return Buffer.from(body.data, 'base64');
  if (request.binary) return Array.isArray(request.binary.chunks) ? Buffer.concat(request.binary.chunks as Buffer[]) : 'unknown';
  return undefined;
}

/** The body of a write that answers a Binary: with the payload it wrote, or SUBSETTED when that payload is not at hand. */
function binaryWritten(request: FhirRequest, status: number, interaction: string, bodyText: string): string {
  // A conditional create that found its resource (200) and a patch answer a payload the request did not carry.
  const carried = interaction === 'patch' || (interaction === 'create' && status === 200) ? 'unknown' : requestPayload(request);
  if (carried === undefined) return bodyText;
  return binaryWithData(bodyText, carried === 'unknown' ? 'left-out' : carried);
}

async function readPayload(reader: StoreReader, version: StoredVersion, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of reader.readBinary(version.rid, version.versionId)) {
    size += chunk.length;
    // Leaving the loop closes the stream: the rest is not read.
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Versions to show in a Bundle (search, history), each Binary with its payload
 * inlined as `data`: "The Binary resource is always represented in the native
 * FHIR format when wrapped in a Bundle" (binary.html#rest). Payloads are
 * inlined in order while their sum stays within `limit` bytes (SOCLE_MAX_BODY,
 * the bound of a read); the others are marked SUBSETTED. Without a Binary the
 * rows come back as they are: other types pay nothing.
 */
export async function withBinaryData(reader: StoreReader, rows: readonly StoredVersion[], limit: number): Promise<StoredVersion[]> {
  if (!rows.some((row) => row.resourceType === 'Binary' && row.content !== null)) return rows as StoredVersion[];
  let left = limit;
  const shown: StoredVersion[] = [];
  for (const row of rows) {
    if (row.resourceType !== 'Binary' || row.content === null) {
      shown.push(row);
      continue;
    }
    const payload = await readPayload(reader, row, left);
    if (payload) left -= payload.length;
    shown.push({ ...row, content: binaryWithData(row.content, payload ?? 'left-out') });
  }
  return shown;
}
