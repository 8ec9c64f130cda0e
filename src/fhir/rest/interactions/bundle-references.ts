/**
 * Links between the entries of a Bundle (http://hl7.org/fhir/R4/http.html#trules,
 * bundle.html#references): fullUrls replaced by the identities the server
 * settled, conditional references "Type?criteria" resolved to the one resource
 * they match, and, in a batch, links that make one entry depend on another.
 */
import { fail, type FhirError } from '../../../core/errors.js';
import type { StoredVersion, StoreReader } from '../../../storage/contract.js';
import type { FhirSchema } from '../../definitions/schema.js';
import { schemaIndex, type SchemaIndex } from '../../validation/element-index.js';
import type { EngineDeps } from '../context.js';
import { findMatches } from './common.js';
import { onOwnBase } from '../local-reference.js';
import type { FhirRequest } from '../types.js';
import { patchedType, type EntryRequest } from './bundle-entry.js';
import { visitLinks, type LinkKind, type LinkVisitor } from './bundle-links.js';

/** "urn:uuid:…" and "urn:oid:…" name an entry of the same Bundle and nothing else (bundle.html#references). */
export function isPlaceholder(url: string): boolean {
  return /^urn:(uuid|oid):/.test(url);
}

/** The base of a RESTful fullUrl: "http://x/fhir/Patient/1" → "http://x/fhir". */
function restBase(fullUrl: string | undefined): string | undefined {
  return fullUrl === undefined ? undefined : /^(https?:\/\/.+)\/[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.exec(fullUrl)?.[1];
}

/** The entry a link names: by its fullUrl, or relatively to the base of the linking entry's own RESTful fullUrl. */
function lookup<T>(byFullUrl: ReadonlyMap<string, T>, value: string, base: string | undefined): T | undefined {
  const direct = byFullUrl.get(value);
  if (direct !== undefined || base === undefined || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return direct;
  return byFullUrl.get(`${base}/${value}`);
}

export function entryLinks(index: SchemaIndex, entry: EntryRequest, visit: LinkVisitor): void {
  if (entry.request.body !== undefined) visitLinks(index, entry.request.body, patchedType(entry), visit);
}

/** An entry as other entries' links see it. */
export interface LinkTarget {
  /** "Type/id" once the transaction settled it; absent for an entry that names no resource (a GET). */
  readonly identity?: string;
  /** The resource's own canonical url (CodeSystem.url…): a uri equal to it names the resource, not the entry. */
  readonly canonicalUrl?: string;
}

export function linkTarget(entry: EntryRequest): LinkTarget {
  const url = (entry.request.body as { url?: unknown } | undefined)?.url;
  return {
    ...(entry.target !== undefined ? { identity: entry.target } : {}),
    ...(entry.request.method !== 'PATCH' && typeof url === 'string' ? { canonicalUrl: url } : {}),
  };
}

/** Kinds of links a transaction replaces; canonical elements and Extension.url are left as they are. */
const REPLACED: ReadonlySet<LinkKind> = new Set(['reference', 'uri', 'narrative']);

/**
 * Replaces each link to an entry by the identity the transaction gave it
 * (http.html#trules: "Servers SHALL replace all matching links in the
 * bundle"). A placeholder that would still be stored (in a reference, or
 * naming an entry from any link) fails the transaction: committed, it would
 * point nowhere. Returns the conditional references each entry holds, found
 * on the same walk.
 */
export function replaceEntryLinks(index: SchemaIndex, entries: readonly EntryRequest[], targets: ReadonlyMap<string, LinkTarget>): Map<EntryRequest, Set<string>> {
  const conditional = new Map<EntryRequest, Set<string>>();
  for (const entry of entries) {
    // An entry without a RESTful fullUrl (none, or a urn:uuid) writes its relative references against the base it
    // is sent to: "Patient/1" names the entry whose fullUrl is [base]/Patient/1, as clients building on this base mean.
    const base = restBase(entry.fullUrl) ?? entry.request.baseUrl;
    entryLinks(index, entry, (value, kind) => {
      const target = lookup(targets, value, base);
      const namesItself = kind !== 'reference' && target?.canonicalUrl === value;
      if (target?.identity !== undefined && REPLACED.has(kind) && !namesItself) return target.identity;
      if (isPlaceholder(value) && (kind === 'reference' || (target !== undefined && !namesItself))) {
        throw fail('bundle.unresolved-reference', { reference: value }, { expression: [`Bundle.entry[${entry.index}].resource`] });
      }
      if (kind === 'reference' && conditionalType(index.schema, value, entry.request.baseUrl) !== undefined) {
        const references = conditional.get(entry) ?? new Set<string>();
        conditional.set(entry, references.add(value));
      }
      return undefined;
    });
  }
  return conditional;
}

/**
 * Batch entries must not depend on each other (http.html#brules): "References
 * within a Bundle.entry.resource to another Bundle.entry.resource that is
 * being created within the batch are considered to be non-conformant." Returns
 * the entry a link of `entry` names: any entry by a placeholder, a created one
 * by its reference; a uri equal to a RESTful fullUrl may be a canonical
 * identity and is not taken for a dependency.
 */
export function dependencyOf(index: SchemaIndex, entry: EntryRequest, byFullUrl: ReadonlyMap<string, EntryRequest>): { other: EntryRequest; link: string } | undefined {
  const base = restBase(entry.fullUrl);
  let found: { other: EntryRequest; link: string } | undefined;
  entryLinks(index, entry, (value, kind) => {
    const other = lookup(byFullUrl, value, base);
    if (found === undefined && other !== undefined && other !== entry && (isPlaceholder(value) || (kind === 'reference' && other.request.method === 'POST'))) {
      found = { other, link: value };
    }
    return undefined;
  });
  return found;
}

/** A conditional reference relative to the base: written "[base]/Type?criteria", it is "Type?criteria" (http.html#trules). */
function onBase(value: string, baseUrl: string): string {
  return onOwnBase(value, baseUrl) ?? value;
}

function conditionalType(schema: FhirSchema, value: string, baseUrl: string): string | undefined {
  const relative = onBase(value, baseUrl);
  const question = relative.indexOf('?');
  const type = question > 0 ? relative.slice(0, question) : '';
  return schema.isResourceType(type) ? type : undefined;
}

/**
 * The first conditional reference ("Type?criteria") a body written holds: a
 * resource, or the values a JSON Patch writes (`patchedType` set, as for a
 * Bundle entry: bundle-links.ts). "In a transaction (and only in a
 * transaction)" may a reference be a search URI (http.html#trules): a create,
 * update or patch on its own, or a batch entry, would store it as it is,
 * pointing nowhere.
 */
export function conditionalReferenceIn(schema: FhirSchema, body: unknown, baseUrl: string, patchedType?: string): string | undefined {
  let found: string | undefined;
  visitLinks(schemaIndex(schema), body, patchedType, (value, kind) => {
    if (found === undefined && kind === 'reference' && conditionalType(schema, value, baseUrl) !== undefined) found = value;
    return undefined;
  });
  return found;
}

/**
 * A conditional reference the patched resource holds that the resource before
 * the patch did not: one a FHIRPath Patch wrote as a string
 * (`Observation.subject.reference` ← valueString "Patient?identifier=…"),
 * which the checks on the patch's own body see as a plain string, not as a
 * reference to resolve or refuse. Undefined when there is none.
 */
export function conditionalReferenceAdded(schema: FhirSchema, before: unknown, after: unknown, baseUrl: string): string | undefined {
  const held = new Set<string>();
  const index = schemaIndex(schema);
  visitLinks(index, before, undefined, (value, kind) => {
    if (kind === 'reference' && conditionalType(schema, value, baseUrl) !== undefined) held.add(value);
    return undefined;
  });
  let found: string | undefined;
  visitLinks(index, after, undefined, (value, kind) => {
    if (found === undefined && kind === 'reference' && !held.has(value) && conditionalType(schema, value, baseUrl) !== undefined) found = value;
    return undefined;
  });
  return found;
}

/** The first conditional reference a batch entry's body holds (conditionalReferenceIn). */
export function conditionalReferenceOf(index: SchemaIndex, entry: EntryRequest): string | undefined {
  return conditionalReferenceIn(index.schema, entry.request.body, entry.request.baseUrl, patchedType(entry));
}

export function replaceConditionalReferences(index: SchemaIndex, entry: EntryRequest, resolved: ReadonlyMap<string, string>): void {
  entryLinks(index, entry, (value, kind) => (kind === 'reference' ? resolved.get(value) : undefined));
}

/**
 * The resources a conditional reference matches among those the caller may
 * see, at most two: a hidden resource is as if it did not exist, so that the
 * answer never tells it exists (access-guard.ts).
 */
export async function visibleMatches(deps: EngineDeps, reader: StoreReader, request: FhirRequest, reference: string): Promise<StoredVersion[]> {
  const type = conditionalType(deps.schema, reference, request.baseUrl) ?? '';
  const reach = (await deps.guard.searchConditions(request, [type])) ?? [];
  return findMatches(deps, reader, type, onBase(reference, request.baseUrl), request.baseUrl, reach);
}

/** http.html#trules: "if there are no matches, or multiple matches, the transaction fails". */
export function unresolvedConditional(reference: string, count: number, entryIndex: number): FhirError {
  const expression = [`Bundle.entry[${entryIndex}].resource`];
  return count === 0
    ? fail('bundle.conditional-reference-none', { reference }, { expression })
    : fail('bundle.conditional-reference', { reference, count }, { expression });
}
