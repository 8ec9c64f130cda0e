/**
 * create, update, patch and delete, plain and conditional
 * (http://hl7.org/fhir/R4/http.html#create, #update, #patch, #delete, #cond-update).
 * Everything that does not depend on the stored state (validation, indexing)
 * happens before the write unit starts, so that units stay short.
 */
import fastJsonPatch from 'fast-json-patch';
import { dropEmptiedArrays } from './json-patch-empties.js';
import { keepNarrativeSafe } from './patch-narrative.js';
import { fail } from '../../../core/errors.js';
import { informationOutcome } from '../../../core/operation-outcome.js';
import { newId, isValidId } from '../../../core/ids.js';
import { decimalText, noteDecimal, parseJson } from '../../../core/json/decimal-json.js';
import type { BinaryPayload, StoredVersion, StoreReader, WriteTransaction } from '../../../storage/contract.js';
import { schemaIndex } from '../../validation/element-index.js';
import { hiddenResource, mayKnow } from '../access-guard.js';
import type { DataAccess, EngineDeps } from '../context.js';
import { etag, ifNoneExistQuery, parseIfMatch, parsePrefer, parseSecurityContext } from '../headers.js';
import { analyseResource, deletionVersion, newVersion, sameContent, type AnalysedResource, type JsonResource } from '../resource-version.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { warnFor, type WriteHook, type WriteInteraction } from '../write-hooks.js';
import { conditionalKey, findMatches, requireResource, validateOrThrow, writeResponse } from './common.js';
import { conditionalReferenceAdded } from './bundle-references.js';
import { withCarriedLabels } from './carried-labels.js';
import { applyFhirPathPatch } from './fhirpath-patch.js';
import { binaryJson } from './read.js';

/** Options a transaction Bundle passes: ids it assigned up front, conditions it already resolved. */
export interface WriteOptions {
  readonly assignedId?: string;
  readonly conditionResolved?: boolean;
  /** What a conditional create's If-None-Exist found when the transaction resolved it: answered, never written. */
  readonly found?: StoredVersion;
}

/**
 * A validated resource on its way to storage. Its search index is computed
 * before the write unit starts, unless a module's write hook may still change
 * it (identity-vigilance reshapes every Patient): indexing it twice would be
 * wasted.
 */
export interface PendingWrite {
  readonly resource: JsonResource;
  readonly binary?: BinaryPayload;
  readonly analysed?: AnalysedResource;
}

/** The write hooks that may reshape or refuse a resource of `type` (also run by $validate). */
export function hooksFor(deps: EngineDeps, type: string): WriteHook[] {
  return deps.writeHooks.filter((h) => h.beforeWrite && h.types.includes(type));
}

export function pendingWrite(deps: EngineDeps, resource: JsonResource, baseUrl: string, binary?: BinaryPayload): PendingWrite {
  if (hooksFor(deps, resource.resourceType).length > 0) return { resource, ...(binary ? { binary } : {}) };
  return { resource, ...(binary ? { binary } : {}), analysed: analyseResource(deps, resource, baseUrl, binary) };
}

/**
 * Runs the modules' write hooks for this type (write-hooks.ts), inside the
 * transaction; a resource they changed is validated again. Then the profiles
 * it declares (profile-check.ts): they depend on the StructureDefinitions
 * stored, so they are read in the write's unit. Returns the resource to
 * store, indexed.
 */
async function applyWriteHooks(
  deps: EngineDeps, tx: WriteTransaction, request: FhirRequest, interaction: WriteInteraction,
  pending: PendingWrite, id: string, current: StoredVersion | undefined,
): Promise<AnalysedResource> {
  const type = pending.resource.resourceType;
  const hooks = hooksFor(deps, type);
  if (hooks.length === 0) {
    await deps.profiles?.checkWrite(pending.resource, tx, request.baseUrl);
    return pending.analysed ?? analyseResource(deps, pending.resource, request.baseUrl, pending.binary);
  }
  const context = { deps, tx, request, interaction, type, id, current: parsedCurrent(current), warn: warnFor(request) };
  let resource = pending.resource;
  for (const hook of hooks) resource = await hook.beforeWrite!(resource, context);
  if (resource !== pending.resource) validateOrThrow(deps, resource, type);
  // The profiles the resource declares as it will be stored (a hook may add one), read in this transaction.
  await deps.profiles?.checkWrite(resource, tx, request.baseUrl);
  return analyseResource(deps, resource, request.baseUrl, pending.binary);
}

export function parsedCurrent(current: StoredVersion | undefined): JsonResource | undefined {
  return current && !current.deleted && current.content !== null ? (parseJson(current.content) as JsonResource) : undefined;
}

function checkIfMatch(request: FhirRequest, current: StoredVersion | undefined, type: string, id: string): void {
  if (request.headers.ifMatch === undefined) return;
  const expected = parseIfMatch(request.headers.ifMatch);
  if (!current || current.deleted || (expected !== '*' && current.versionId !== expected)) {
    throw fail('version.mismatch', { type, id, current: current && !current.deleted ? current.versionId : '-', expected });
  }
}

/**
 * Serialises the writers of one resource before its current version is read:
 * concurrent updates then apply one after the other, as on SQLite, instead of
 * colliding and exhausting their retries (409) on PostgreSQL. The same lock
 * that a transaction Bundle or a bulk PUT takes up front for all its resources
 * (lockResources): taken again there, it is already held, and each resource
 * costs one lock, not two.
 */
export function lockResource(tx: WriteTransaction, type: string, id: string): Promise<void> {
  return tx.lockResources([`${type}/${id}`]);
}

/** A current version the principal may not see is treated as absent (404), never disclosed. */
async function hiddenAsAbsent(deps: EngineDeps, tx: WriteTransaction, request: FhirRequest, current: StoredVersion | undefined, type: string, id: string): Promise<void> {
  if (current && !(await mayKnow(deps.guard, tx, request, current))) throw hiddenResource(type, id, current);
}

/**
 * The Binary a raw upload stands for (binary.html#rest): its content type, and
 * the X-Security-Context header as its securityContext (http.html, Binary resources).
 */
function rawBinary(deps: EngineDeps, request: FhirRequest, id?: string): JsonResource | undefined {
  if (!request.binary) return undefined;
  const context = request.headers.securityContext;
  return {
    resourceType: 'Binary',
    ...(id !== undefined ? { id } : {}),
    contentType: request.binary.contentType,
    ...(context !== undefined ? { securityContext: { reference: parseSecurityContext(context, request.baseUrl, (t) => deps.schema.isResourceType(t)) } } : {}),
  };
}

export async function create(deps: EngineDeps, access: DataAccess, request: FhirRequest, type: string, options: WriteOptions = {}): Promise<FhirResponse> {
  const resource = requireResource(request.body ?? rawBinary(deps, request), type);
  const id = options.assignedId ?? newId();
  // The server assigns ids: a client id in a create is ignored (http.html#create).
  const withId: JsonResource = { ...resource, id };
  deps.guard.require(request, 'c', type);
  validateOrThrow(deps, withId, type);
  await deps.guard.checkWrite(request, withId);
  const pending = pendingWrite(deps, withId, request.baseUrl, request.binary);
  const ifNoneExist = options.conditionResolved ? undefined : request.headers.ifNoneExist;
  const criteria = ifNoneExist !== undefined ? ifNoneExistQuery(ifNoneExist, type, request.baseUrl) : undefined;
  const result = await access.write(async (tx): Promise<{ existing: StoredVersion } | { created: StoredVersion }> => {
    let found = options.found;
    if (found === undefined && criteria !== undefined) {
      await tx.lock(conditionalKey(type, criteria));
      const matches = await findMatches(deps, tx, type, criteria, request.baseUrl);
      if (matches.length > 1) throw fail('conditional.multiple-matches', { criteria, count: matches.length });
      found = matches[0];
    }
    if (found !== undefined) {
      // The existing resource is returned: only when the principal may see it.
      if (!(await mayKnow(deps.guard, tx, request, found))) throw fail('auth.write-outside-reach', { type });
      return { existing: found };
    }
    const hooked = await applyWriteHooks(deps, tx, request, 'create', pending, id, undefined);
    return { created: await tx.writeVersion(newVersion(hooked, id, 1, deps.clock.now(), 'POST')) };
  });
  if ('existing' in result) {
    // Conditional create found its resource: 200 and nothing written (http.html#ccreate).
    return { ...writeResponse(request, result.existing, 200, 'create', result.existing.content), touched: [result.existing] };
  }
  return { ...writeResponse(request, result.created, 201, 'create', result.created.content), touched: [result.created] };
}

/**
 * Whether a stored Binary version has payload bytes: its JSON content never
 * holds them, so a PUT of the same JSON without `data` replaces the payload
 * with none rather than being taken for "nothing changed".
 */
async function holdsPayload(reader: StoreReader, version: StoredVersion): Promise<boolean> {
  if (version.resourceType !== 'Binary') return false;
  for await (const chunk of reader.readBinary(version.rid, version.versionId)) if (chunk.length > 0) return true;
  return false;
}

/** The write with the current version's tags and security labels it left out (carried-labels.ts), re-indexed if it gained any. */
function carryLabels(deps: EngineDeps, request: FhirRequest, given: PendingWrite, current: StoredVersion | undefined): PendingWrite {
  const resource = withCarriedLabels(given.resource, current);
  if (resource === given.resource) return given;
  const carried = { resource, ...(given.binary ? { binary: given.binary } : {}) };
  return given.analysed ? { ...carried, analysed: analyseResource(deps, resource, request.baseUrl, given.binary) } : carried;
}

/** The shared tail of update and patch (and of bulk-put.ts): If-Match, no-op detection, the new version. */
export async function writeUpdate(
  deps: EngineDeps, tx: WriteTransaction, request: FhirRequest, given: PendingWrite, type: string, id: string,
  current: StoredVersion | undefined, method: 'PUT' | 'PATCH',
): Promise<{ version: StoredVersion; status: number }> {
  checkIfMatch(request, current, type, id);
  const analysed = await applyWriteHooks(deps, tx, request, method === 'PATCH' ? 'patch' : 'update', carryLabels(deps, request, given, current), id, current);
  if (current && !current.deleted && sameContent(current.content, analysed.resource, id) && !analysed.binary
    && !(method === 'PUT' && (await holdsPayload(tx, current)))) {
    // Nothing changed: no new version (as HAPI and Medplum do).
    return { version: current, status: 200 };
  }
  const versionId = (current?.versionId ?? 0) + 1;
  const version = await tx.writeVersion(newVersion(analysed, id, versionId, deps.clock.now(), method));
  return { version, status: current && !current.deleted ? 200 : 201 };
}

export async function update(
  deps: EngineDeps, access: DataAccess, request: FhirRequest, type: string, id: string,
): Promise<FhirResponse> {
  const resource = requireResource(request.body ?? rawBinary(deps, request, id), type);
  if (!isValidId(id)) throw fail('id.invalid', { id });
  if (resource.id === undefined) throw fail('id.missing-in-update', { urlId: id });
  if (resource.id !== id) throw fail('id.mismatch', { bodyId: String(resource.id), urlId: id });
  deps.guard.require(request, 'u', type);
  validateOrThrow(deps, resource, type);
  const pending = pendingWrite(deps, resource, request.baseUrl, request.binary);
  const { version, status } = await access.write(async (tx) => {
    await lockResource(tx, type, id);
    const current = await tx.readCurrent(type, id);
    // Hidden first (404, as if absent), then whether the new content is the principal's to write (403).
    await hiddenAsAbsent(deps, tx, request, current, type, id);
    // If-None-Match: * makes the PUT a create only (RFC 9110 §13.1.2): no current representation may exist.
    if (request.headers.ifNoneMatch?.trim() === '*' && current && !current.deleted) throw fail('version.exists', { type, id });
    await deps.guard.checkWrite(request, resource);
    return writeUpdate(deps, tx, request, pending, type, id, current, 'PUT');
  });
  return { ...writeResponse(request, version, status, 'update', version.content), touched: [version] };
}

/** PUT Type?criteria (http.html#cond-update). */
export async function conditionalUpdate(
  deps: EngineDeps, access: DataAccess, request: FhirRequest, type: string, criteria: string, options: WriteOptions = {},
): Promise<FhirResponse> {
  const resource = requireResource(request.body, type);
  if (resource.id !== undefined && !isValidId(String(resource.id))) throw fail('id.invalid', { id: String(resource.id) });
  deps.guard.require(request, 'u', type);
  const { version, status } = await access.write(async (tx) => {
    let id: string;
    let current: StoredVersion | undefined;
    if (options.assignedId !== undefined) {
      id = options.assignedId;
      current = await tx.readCurrent(type, id);
    } else {
      await tx.lock(conditionalKey(type, criteria));
      const matches = await findMatches(deps, tx, type, criteria, request.baseUrl);
      if (matches.length > 1) throw fail('conditional.multiple-matches', { criteria, count: matches.length });
      current = matches[0];
      // A match the principal may not see: refused as a conditional create is, without naming it (no id in the answer).
      if (current && !(await mayKnow(deps.guard, tx, request, current))) throw fail('auth.write-outside-reach', { type });
      if (current && resource.id !== undefined && resource.id !== current.id) {
        throw fail('conditional.id-mismatch', { found: current.id, bodyId: String(resource.id) });
      }
      id = current?.id ?? (resource.id as string | undefined) ?? newId();
      if (!current && resource.id !== undefined) current = await idFreeForConditionalUpdate(tx, type, id);
    }
    await hiddenAsAbsent(deps, tx, request, current, type, id);
    const withId: JsonResource = { ...resource, id };
    validateOrThrow(deps, withId, type);
    await deps.guard.checkWrite(request, withId);
    return writeUpdate(deps, tx, request, pendingWrite(deps, withId, request.baseUrl), type, id, current, 'PUT');
  });
  return { ...writeResponse(request, version, status, 'update', version.content), touched: [version] };
}

/**
 * A conditional update that matched nothing creates the resource under the
 * body's id ("No matches, id provided: … Update as Create", http.html#cond-update),
 * but must not replace another resource already there, which the criteria
 * did not select: 409, as R5 spells out ("id provided and already exist").
 * A deleted one may be brought back. Returns that deleted version, if any.
 */
export async function idFreeForConditionalUpdate(tx: WriteTransaction, type: string, id: string): Promise<StoredVersion | undefined> {
  const existing = await tx.readCurrent(type, id);
  if (existing && !existing.deleted) throw fail('conditional.id-exists', { type, id });
  return existing;
}

/** A move into one of its own children (RFC 6902 §4.4), which fast-json-patch would turn into a cyclic document. */
function movesIntoItself(operation: unknown): boolean {
  const { op, from, path } = (operation ?? {}) as { op?: unknown; from?: unknown; path?: unknown };
  return op === 'move' && typeof from === 'string' && typeof path === 'string' && path.startsWith(`${from}/`);
}

function applyJsonPatch(content: string, operations: unknown): JsonResource {
  if (!Array.isArray(operations)) throw fail('patch.invalid', { reason: 'the body must be a JSON array of operations (RFC 6902)' });
  if (operations.some(movesIntoItself)) throw fail('patch.invalid', { reason: 'a value cannot be moved into one of its children (RFC 6902 §4.4)' });
  const document = parseJson(content) as JsonResource;
  let patched: unknown;
  try {
    // validate() reports its own errors but rethrows others (a TypeError after the root was removed): both are the client's.
    const problem = fastJsonPatch.validate(operations as fastJsonPatch.Operation[], document);
    if (problem) throw problem;
    patched = fastJsonPatch.applyPatch(document, operations as fastJsonPatch.Operation[], true, true).newDocument;
  } catch (error) {
    // The engine's own limits are not the client's to read about: a value nested too deeply to copy is said so.
    if (error instanceof RangeError) throw fail('patch.invalid', { reason: 'a value is nested too deeply' });
    const { name, message } = error as Error;
    throw fail('patch.invalid', { reason: `${name}: ${message.split('\n')[0] ?? 'patch failed'}` });
  }
  // A patch of the root ("") may leave anything: only an object can still be the resource.
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
    throw fail('patch.invalid', { reason: 'the patched document is not a resource' });
  }
  for (const operation of operations as fastJsonPatch.Operation[]) keepWrittenDecimal(patched, operation);
  dropEmptiedArrays(patched, operations as fastJsonPatch.Operation[]);
  return patched as JsonResource;
}

/**
 * A number an add or replace put in place keeps the form it was written in
 * the patch (1.50): notes within a complex value travel with it, a bare
 * number's note is set where the operation's path put it.
 */
function keepWrittenDecimal(document: object, operation: fastJsonPatch.Operation): void {
  if ((operation.op !== 'add' && operation.op !== 'replace') || typeof operation.value !== 'number') return;
  const text = decimalText(operation, 'value');
  if (text === undefined) return;
  const tokens = operation.path.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path: object[] = [document];
  for (const token of tokens.slice(0, -1)) {
    const next = (path[path.length - 1] as Record<string, unknown>)[token];
    if (typeof next !== 'object' || next === null) return;
    path.push(next);
  }
  const holder = path[path.length - 1] as Record<string, unknown> | unknown[];
  const last = tokens[tokens.length - 1] ?? '';
  const key = Array.isArray(holder) && last === '-' ? holder.length - 1 : last;
  if ((holder as Record<string, unknown>)[key] === operation.value) noteDecimal(path, key, text);
}

/** The two patch formats served (http.html#patch): JSON Patch (RFC 6902) and FHIRPath Patch (fhirpatch.html). */
type PatchFormat = 'json-patch' | 'fhirpath-patch';

/**
 * The format of a PATCH body, from its media type: application/json-patch+json
 * is JSON Patch; a Parameters resource in FHIR JSON (application/fhir+json, or
 * plain application/json) is FHIRPath Patch. Anything else is refused before
 * the resource is read.
 */
function patchFormat(request: FhirRequest): PatchFormat {
  const contentType = request.headers.contentType ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/json-patch+json') return 'json-patch';
  const body = request.body as { resourceType?: unknown } | undefined;
  const isParameters = typeof body === 'object' && body !== null && !Array.isArray(body) && body.resourceType === 'Parameters';
  if ((mediaType === 'application/fhir+json' || mediaType === 'application/json') && isParameters) return 'fhirpath-patch';
  throw fail('patch.unsupported-type', { contentType: contentType || '-' });
}

function applyPatch(deps: EngineDeps, format: PatchFormat, document: string, body: unknown): JsonResource {
  return format === 'json-patch' ? applyJsonPatch(document, body) : applyFhirPathPatch(schemaIndex(deps.schema), document, body);
}

/** PATCH with a JSON Patch or a FHIRPath Patch (http.html#patch). */
export async function patch(
  deps: EngineDeps, access: DataAccess, request: FhirRequest, type: string, id: string | undefined, criteria?: string,
): Promise<FhirResponse> {
  const format = patchFormat(request);
  deps.guard.require(request, 'u', type);
  const { version, status } = await access.write(async (tx) => {
    let current: StoredVersion | undefined;
    if (id !== undefined) {
      await lockResource(tx, type, id);
      current = await tx.readCurrent(type, id);
    } else {
      // The criteria's lock first, as a conditional update and delete take it: conditional patches on the same
      // criteria then apply one after the other, each to the version the previous one wrote, instead of
      // colliding on it (run again, or refused once the retries run out). In a transaction it is held already.
      await tx.lock(conditionalKey(type, criteria ?? ''));
      const matches = await findMatches(deps, tx, type, criteria ?? '', request.baseUrl);
      if (matches.length > 1) throw fail('conditional.multiple-matches', { criteria: criteria ?? '', count: matches.length });
      current = matches[0];
    }
    if (!current) throw fail('resource.not-found', { type, id: id ?? criteria ?? '' });
    if (!(await mayKnow(deps.guard, tx, request, current))) throw hiddenResource(type, id ?? criteria ?? '', current);
    if (current.deleted || current.content === null) throw fail('resource.deleted', { type, id: current.id });
    // A Binary is patched in its FHIR form, data included: its payload is kept unless the patch changes it.
    const document = current.resourceType === 'Binary' ? await binaryJson(tx, current, deps.maxBody) : current.content;
    const patched = applyPatch(deps, format, document, request.body);
    if (patched.resourceType !== type || patched.id !== current.id) {
      throw fail('patch.invalid', { reason: 'a patch cannot change resourceType or id' });
    }
    // A conditional reference a FHIRPath Patch wrote as a string passed the checks on its body as text:
    // refused outside a transaction as any other, and inside one, where nothing resolved it, not stored as written.
    const added = conditionalReferenceAdded(deps.schema, parseJson(document), patched, request.baseUrl);
    if (added !== undefined) {
      throw access.inTransaction ? fail('bundle.unresolved-reference', { reference: added }) : fail('reference.conditional-outside-transaction', { reference: added });
    }
    keepNarrativeSafe(parseJson(document) as Record<string, unknown>, patched as unknown as Record<string, unknown>);
    validateOrThrow(deps, patched, type);
    await deps.guard.checkWrite(request, patched);
    return writeUpdate(deps, tx, request, pendingWrite(deps, patched, request.baseUrl), type, current.id, current, 'PATCH');
  });
  return { ...writeResponse(request, version, status, 'patch', version.content), touched: [version] };
}

async function deleteCurrent(deps: EngineDeps, tx: WriteTransaction, request: FhirRequest, current: StoredVersion): Promise<StoredVersion> {
  const type = current.resourceType;
  for (const hook of deps.writeHooks) {
    if (!hook.beforeDelete || !hook.types.includes(type)) continue;
    await hook.beforeDelete({ deps, tx, request, interaction: 'delete', type, id: current.id, current: parsedCurrent(current), warn: warnFor(request) });
  }
  return tx.writeVersion(deletionVersion(current.resourceType, current.id, current.versionId + 1, deps.clock.now()));
}

/**
 * "200 OK if the response contains a payload, or a 204 No Content with no
 * response payload" (http.html#delete): the informational OperationOutcome,
 * unless the client asked for none (Prefer: return=minimal, http.html#ops).
 */
function deleteAnswer(request: FhirRequest, headers: Record<string, string>, outcome: () => unknown): FhirResponse {
  if (parsePrefer(request.headers.prefer).return === 'minimal') return { status: 204, headers, interaction: 'delete' };
  return { status: 200, headers, interaction: 'delete', body: { kind: 'json', value: outcome() } };
}

function deletedResponse(request: FhirRequest, type: string, id: string, version: StoredVersion | undefined): FhirResponse {
  return deleteAnswer(request, version ? { etag: etag(version.versionId) } : {}, () => informationOutcome('resource.deleted-ok', { type, id }, request.language));
}

/**
 * DELETE Type/id: a deletion version; a read answers 410 afterwards. A
 * resource that never existed is no error: "upon successful deletion, or if
 * the resource does not exist at all", 200 with an OperationOutcome
 * (http.html#delete).
 */
export async function remove(deps: EngineDeps, access: DataAccess, request: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  deps.guard.require(request, 'd', type);
  const version = await access.write(async (tx) => {
    await lockResource(tx, type, id);
    const current = await tx.readCurrent(type, id);
    if (!current) return undefined;
    if (!(await mayKnow(deps.guard, tx, request, current))) throw hiddenResource(type, id, current);
    checkIfMatch(request, current, type, id);
    // Deleting a deleted resource changes nothing.
    if (current.deleted) return current;
    return deleteCurrent(deps, tx, request, current);
  });
  if (!version) return nothingToDelete(request);
  return { ...deletedResponse(request, type, id, version), touched: [version] };
}

function nothingToDelete(request: FhirRequest): FhirResponse {
  return deleteAnswer(request, {}, () => informationOutcome('resource.nothing-to-delete', {}, request.language));
}

/** DELETE Type?criteria: none deletes nothing, one is deleted, several are refused (412). */
export async function conditionalDelete(
  deps: EngineDeps, access: DataAccess, request: FhirRequest, type: string, criteria: string,
): Promise<FhirResponse> {
  deps.guard.require(request, 'd', type);
  const result = await access.write(async (tx) => {
    await tx.lock(conditionalKey(type, criteria));
    const matches = await findMatches(deps, tx, type, criteria, request.baseUrl);
    if (matches.length > 1) throw fail('conditional.multiple-matches', { criteria, count: matches.length });
    const [match] = matches;
    // A match the principal may not see is as if there were none.
    if (!match || !(await mayKnow(deps.guard, tx, request, match))) return undefined;
    return deleteCurrent(deps, tx, request, match);
  });
  if (!result) return nothingToDelete(request);
  return { ...deletedResponse(request, type, result.id, result), touched: [result] };
}

