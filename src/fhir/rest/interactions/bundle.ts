/**
 * batch and transaction Bundles (http://hl7.org/fhir/R4/http.html#transaction).
 * A transaction is one storage unit: all entries commit together or none does.
 * Its entries run in the order the specification sets (DELETE, POST, PUT and
 * PATCH, then GET), after the identities of created and conditionally matched
 * resources are settled and references to them (urn:uuid fullUrls and
 * conditional references) rewritten. Batch entries are independent units.
 */
import { STATUS_CODES } from 'node:http';
import { fail, FhirError, isFhirError, type Issue } from '../../../core/errors.js';
import { operationOutcome } from '../../../core/operation-outcome.js';
import { newId } from '../../../core/ids.js';
import type { WriteTransaction } from '../../../storage/contract.js';
import type { EngineDeps } from '../context.js';
import { storeAccess, transactionAccess, type DataAccess } from '../context.js';
import type { FhirMethod, FhirRequest, FhirResponse } from '../types.js';
import { callerOf } from '../operation-access.js';
import { conditionalKey, findMatches } from './common.js';
import type { WriteOptions } from './write.js';

/** Bundle invariants that judge one entry at a time (bundle.html#invs): in a batch, that entry alone fails. */
const ENTRY_INVARIANTS = new Set(['bdl-2', 'bdl-3', 'bdl-4', 'bdl-5', 'bdl-8']);

/**
 * Sorts the validation issues of a posted Bundle: those about the Bundle itself,
 * and (for a batch) those about one entry's envelope, by entry index. Issues
 * inside entry.resource are left to the entry's own interaction.
 */
export function splitBundleIssues(issues: readonly Issue[], perEntry: boolean): { own: Issue[]; byEntry: Map<number, Issue[]> } {
  const own: Issue[] = [];
  const byEntry = new Map<number, Issue[]>();
  for (const issue of issues) {
    if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
    const expression = issue.expression ?? [];
    if (expression.some((e) => /^Bundle\.entry\[\d+\]\.resource\b/.test(e))) continue;
    if (!perEntry) {
      own.push(issue);
      continue;
    }
    const index = expression.map((e) => /^Bundle\.entry\[(\d+)\]/.exec(e)?.[1]).find((i) => i !== undefined);
    if (index !== undefined) byEntry.set(Number(index), [...(byEntry.get(Number(index)) ?? []), issue]);
    else if (!ENTRY_INVARIANTS.has(String(issue.params?.key))) own.push(issue);
  }
  return { own, byEntry };
}

export type Dispatch = (request: FhirRequest, access: DataAccess, options?: WriteOptions) => Promise<FhirResponse>;

interface EntryRequest {
  readonly index: number;
  readonly fullUrl?: string;
  readonly request: FhirRequest;
  /** Type and id targeted once resolved (for the "same resource twice" rule). */
  target?: string;
  /** "Type/id" of the resource a conditional create found: the entry answers 200 and writes nothing. */
  existing?: string;
  options: WriteOptions;
}

const METHODS: readonly FhirMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ORDER: Record<FhirMethod, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

function entryInvalid(index: number, reason: string): FhirError {
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

/** A PATCH entry carries its JSON Patch as a Binary (http.html#transaction, patch). */
function patchBody(resource: unknown, index: number): unknown {
  const binary = resource as { resourceType?: string; contentType?: string; data?: string } | undefined;
  if (binary?.resourceType === 'Binary' && typeof binary.data === 'string') {
    try {
      return JSON.parse(Buffer.from(binary.data, 'base64').toString('utf8'));
    } catch {
      throw entryInvalid(index, 'the Binary of a PATCH entry must hold a JSON Patch');
    }
  }
  return resource;
}

function bundleEntries(bundle: Record<string, unknown>): unknown[] {
  const entries = bundle.entry;
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) throw fail('body.not-a-resource');
  return entries;
}

function parseEntry(raw: unknown, index: number, parent: FhirRequest): EntryRequest {
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
    ...(isPatch ? { contentType: 'application/json-patch+json' } : {}),
    ...(header('ifMatch') ? { ifMatch: header('ifMatch') } : {}),
    ...(header('ifNoneMatch') ? { ifNoneMatch: header('ifNoneMatch') } : {}),
    ...(header('ifModifiedSince') ? { ifModifiedSince: header('ifModifiedSince') } : {}),
    ...(header('ifNoneExist') ? { ifNoneExist: header('ifNoneExist') } : {}),
    ...(parent.headers.prefer ? { prefer: parent.headers.prefer } : {}),
    ...(parent.headers.accept ? { accept: parent.headers.accept } : {}),
  };
  const body = isPatch ? patchBody(entry?.resource, index) : entry?.resource;
  return {
    index,
    ...(typeof entry?.fullUrl === 'string' ? { fullUrl: entry.fullUrl } : {}),
    // Each entry is the caller's own request: checked and audited as such.
    request: { method: method as FhirMethod, path, query, headers, ...(body !== undefined ? { body } : {}), baseUrl: parent.baseUrl, language: parent.language, ...callerOf(parent) },
    options: {},
  };
}

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

function responseEntry(response: FhirResponse): string {
  const parts: Record<string, string> = { status: statusLine(response.status) };
  if (response.headers.location) parts.location = response.headers.location;
  if (response.headers.etag) parts.etag = response.headers.etag;
  if (response.headers['last-modified']) parts.lastModified = new Date(response.headers['last-modified']).toISOString();
  const body = response.body;
  if (body?.kind === 'text') return `{"resource":${body.text},"response":${JSON.stringify(parts)}}`;
  if (body?.kind === 'json') {
    const value = body.value as { resourceType?: string };
    if (value.resourceType === 'OperationOutcome' && response.status >= 300) return `{"response":${JSON.stringify({ ...parts, outcome: value })}}`;
    return `{"resource":${JSON.stringify(value)},"response":${JSON.stringify(parts)}}`;
  }
  return `{"response":${JSON.stringify(parts)}}`;
}

function bundleText(type: 'batch-response' | 'transaction-response', entries: readonly string[], now: number): string {
  return `{"resourceType":"Bundle","id":"${newId()}","meta":{"lastUpdated":"${new Date(now).toISOString()}"},"type":"${type}","entry":[${entries.join(',')}]}`;
}

/** The base of a RESTful fullUrl: "http://x/fhir/Patient/1" → "http://x/fhir". */
function restBase(fullUrl: string | undefined): string | undefined {
  return fullUrl === undefined ? undefined : /^(https?:\/\/.+)\/[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.exec(fullUrl)?.[1];
}

/**
 * Replaces, anywhere in a resource, each Reference.reference and each url (an
 * Attachment.url pointing at a Binary of the Bundle) that names an entry of `map`:
 * literally, or as a relative reference resolved against the base of the entry's
 * own fullUrl (bundle.html#references; http.html#trules: "Servers SHALL replace
 * all matching links in the bundle").
 */
function rewriteReferences(value: unknown, map: ReadonlyMap<string, string>, base: string | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) rewriteReferences(item, map, base);
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const [key, inner] of Object.entries(object)) {
      if ((key === 'reference' || key === 'url') && typeof inner === 'string') {
        const relative = base !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(inner) ? map.get(`${base}/${inner}`) : undefined;
        const replacement = map.get(inner) ?? relative;
        if (replacement !== undefined) object[key] = replacement;
      } else if (typeof inner === 'object') {
        rewriteReferences(inner, map, base);
      }
    }
  }
}

function collectReferences(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'reference' && typeof inner === 'string') out.add(inner);
      else if (typeof inner === 'object') collectReferences(inner, out);
    }
  }
}

/**
 * A urn:uuid or urn:oid reference is a placeholder for an entry of the same
 * Bundle (bundle.html#references); one no fullUrl declares cannot be stored as is.
 */
function checkNoPlaceholderLeft(entries: readonly EntryRequest[]): void {
  for (const entry of entries) {
    const references = new Set<string>();
    collectReferences(entry.request.body, references);
    for (const reference of references) {
      if (/^urn:(uuid|oid):/.test(reference)) {
        throw fail('bundle.unresolved-reference', { reference }, { expression: [`Bundle.entry[${entry.index}].resource`] });
      }
    }
  }
}

function typeOf(path: string): string {
  return path.split('/')[0] ?? '';
}

/** Settles who each entry targets, before anything is written (http.html#trules). */
async function resolveIdentities(deps: EngineDeps, tx: WriteTransaction, entries: EntryRequest[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const fullUrls = new Set<string>();
  for (const entry of entries) {
    if (entry.fullUrl !== undefined) {
      if (fullUrls.has(entry.fullUrl)) throw fail('bundle.duplicate-fullurl', { fullUrl: entry.fullUrl });
      fullUrls.add(entry.fullUrl);
    }
    const { method, path, query, headers, baseUrl } = entry.request;
    const type = typeOf(path);
    const segments = path.split('/');
    if (method === 'POST' && segments.length === 1 && deps.schema.isResourceType(type)) {
      let id: string | undefined;
      if (headers.ifNoneExist !== undefined) {
        await tx.lock(conditionalKey(type, headers.ifNoneExist));
        const matches = await findMatches(deps, tx, type, headers.ifNoneExist, baseUrl);
        if (matches.length > 1) throw fail('conditional.multiple-matches', { criteria: headers.ifNoneExist, count: matches.length });
        id = matches[0]?.id;
      }
      if (id === undefined) {
        id = newId();
        entry.options = { assignedId: id, conditionResolved: true };
        entry.target = `${type}/${id}`;
      } else {
        // The resource exists: the entry answers 200 and writes nothing (http.html#ccreate).
        entry.options = { assignedId: id, conditionResolved: true };
        entry.existing = `${type}/${id}`;
      }
      if (entry.fullUrl !== undefined) map.set(entry.fullUrl, `${type}/${id}`);
    } else if ((method === 'PUT' || method === 'PATCH' || method === 'DELETE') && segments.length === 1 && query.length > 0) {
      const criteria = query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      await tx.lock(conditionalKey(type, criteria));
      const matches = await findMatches(deps, tx, type, criteria, baseUrl);
      if (matches.length > 1) throw fail('conditional.multiple-matches', { criteria, count: matches.length });
      const bodyId = (entry.request.body as { id?: unknown } | undefined)?.id;
      const id = matches[0]?.id ?? (typeof bodyId === 'string' ? bodyId : method === 'PUT' ? newId() : undefined);
      if (id !== undefined) {
        entry.target = `${type}/${id}`;
        if (method === 'PUT') entry.options = { assignedId: id, conditionResolved: true };
        if (entry.fullUrl !== undefined) map.set(entry.fullUrl, `${type}/${id}`);
      }
    } else if (method !== 'GET' && method !== 'HEAD' && segments.length === 2) {
      entry.target = path;
      if (entry.fullUrl !== undefined) map.set(entry.fullUrl, path);
    }
  }
  return map;
}

/** Conditional references "Patient?identifier=…" inside resources (http.html#trules). */
async function resolveConditionalReferences(deps: EngineDeps, tx: WriteTransaction, entries: readonly EntryRequest[], map: Map<string, string>): Promise<void> {
  const references = new Set<string>();
  for (const entry of entries) collectReferences(entry.request.body, references);
  for (const reference of references) {
    const question = reference.indexOf('?');
    if (question <= 0 || map.has(reference)) continue;
    const type = reference.slice(0, question);
    if (!deps.schema.isResourceType(type)) continue;
    const matches = await findMatches(deps, tx, type, reference.slice(question + 1), entries[0]?.request.baseUrl ?? '');
    if (matches.length !== 1) throw fail('bundle.conditional-reference', { reference, count: matches.length });
    map.set(reference, `${type}/${(matches[0] as { id: string }).id}`);
  }
}

export async function transaction(deps: EngineDeps, dispatch: Dispatch, request: FhirRequest, bundle: Record<string, unknown>): Promise<FhirResponse> {
  const raws = bundleEntries(bundle);
  raws.forEach((raw, index) => parseEntry(raw, index, request));
  const responses = await deps.store.transaction(async (tx) => {
    // A store may run this unit again after a conflict: each attempt starts from the entries as
    // received, since settling identities assigns ids and rewriting references changes the bodies.
    const entries = structuredClone(raws).map((raw, index) => parseEntry(raw, index, request));
    const map = await resolveIdentities(deps, tx, entries);
    await resolveConditionalReferences(deps, tx, entries, map);
    for (const entry of entries) rewriteReferences(entry.request.body, map, restBase(entry.fullUrl));
    checkNoPlaceholderLeft(entries);
    const targets = new Set<string>();
    for (const entry of entries) {
      if (entry.target === undefined) continue;
      if (targets.has(entry.target)) throw fail('bundle.same-resource-twice', { target: entry.target });
      targets.add(entry.target);
    }
    const access = transactionAccess(tx);
    const results: FhirResponse[] = new Array(entries.length);
    const ordered = [...entries].sort((a, b) => ORDER[a.request.method] - ORDER[b.request.method] || a.index - b.index);
    for (const entry of ordered) {
      try {
        let response: FhirResponse;
        if (entry.existing !== undefined) {
          const [type = '', id = ''] = entry.existing.split('/');
          const found = await tx.readCurrent(type, id);
          response = { status: 200, headers: found ? { location: `${request.baseUrl}/${type}/${id}/_history/${found.versionId}`, etag: `W/"${found.versionId}"` } : {}, interaction: 'create' };
        } else {
          response = await dispatch(entry.request, access, entry.options);
        }
        if (response.status >= 400) throw fail('bundle.entry-failed', { index: entry.index });
        results[entry.index] = response;
      } catch (error) {
        if (!isFhirError(error)) throw error;
        throw new FhirError(error.status, [
          { severity: 'error', type: 'processing', message: 'bundle.entry-failed', params: { index: entry.index }, expression: [`Bundle.entry[${entry.index}]`] },
          ...error.issues,
        ]);
      }
    }
    return results;
  });
  return {
    status: 200, headers: {}, interaction: 'transaction',
    body: { kind: 'text', text: bundleText('transaction-response', responses.map(responseEntry), deps.clock.now()) },
  };
}

export async function batch(
  deps: EngineDeps, dispatch: Dispatch, request: FhirRequest, bundle: Record<string, unknown>, entryIssues: ReadonlyMap<number, readonly Issue[]> = new Map(),
): Promise<FhirResponse> {
  const access = storeAccess(deps.store);
  // Independent entries run concurrently: their writes share group commits.
  const responses = await Promise.all(bundleEntries(bundle).map(async (raw, index) => {
    try {
      const issues = entryIssues.get(index);
      if (issues !== undefined) throw new FhirError(400, issues);
      return responseEntry(await dispatch(parseEntry(raw, index, request).request, access));
    } catch (error) {
      // A bug in one entry must not hide the outcome of the others, already committed: that entry alone answers 500.
      const failure = isFhirError(error) ? error : fail('server.internal', { requestId: `batch entry ${index}` });
      const outcome = operationOutcome(failure.issues, request.language);
      return `{"response":${JSON.stringify({ status: statusLine(failure.status), outcome })}}`;
    }
  }));
  return { status: 200, headers: {}, interaction: 'batch', body: { kind: 'text', text: bundleText('batch-response', responses, deps.clock.now()) } };
}
