/**
 * The directory writes and reads its FHIR resources through the engine only
 * (same validation, indexing and audit as the API): transaction Bundles of
 * PUT Type/id, so that a unit (one professional's lines, one establishment)
 * commits whole or not at all (http://hl7.org/fhir/R4/http.html#transaction),
 * and batch Bundles of GETs for the read-modify-write of enrichment and
 * deactivation (http.html#batch).
 */
import type { FhirEngine } from '../fhir/rest/engine.js';
import type { FhirRequest, FhirResponse } from '../fhir/rest/types.js';

type Json = Record<string, unknown>;

export interface WriteOutcome {
  readonly ok: boolean;
  /** Per entry, when ok: created (201), updated, or unchanged (200 with an older lastModified). */
  readonly results: readonly ('created' | 'updated' | 'unchanged')[];
  /** When not ok: the engine's diagnostics. */
  readonly reason?: string;
}

export interface EngineAccess {
  readonly engine: FhirEngine;
  readonly baseUrl: string;
}

function request(access: EngineAccess, body: Json): FhirRequest {
  return { method: 'POST', path: '', query: [], headers: { prefer: 'return=minimal' }, body, baseUrl: access.baseUrl, language: 'en' };
}

/** The diagnostics of an OperationOutcome answer, in English (reports render them beside the catalogue text). */
export function reasonOf(response: FhirResponse): string {
  const body = response.body;
  const value = body?.kind === 'json' ? body.value : body?.kind === 'text' ? safeParse(body.text) : undefined;
  const issues = (value as { issue?: { diagnostics?: string; expression?: string[] }[] } | undefined)?.issue ?? [];
  const text = issues.map((i) => `${i.diagnostics ?? ''}${i.expression ? ` (${i.expression.join(', ')})` : ''}`).join('; ');
  return text || `HTTP ${response.status}`;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function bodyJson(response: FhirResponse): Json {
  const body = response.body;
  if (body?.kind === 'json') return body.value as Json;
  if (body?.kind === 'text') return JSON.parse(body.text) as Json;
  return {};
}

/** PUTs `resources` in one transaction; `since` (ms) tells an update from an unchanged resource. */
export async function putAll(access: EngineAccess, resources: readonly Json[], since: number): Promise<WriteOutcome> {
  if (resources.length === 0) return { ok: true, results: [] };
  const entry = resources.map((resource) => ({
    resource,
    request: { method: 'PUT', url: `${String(resource.resourceType)}/${String(resource.id)}` },
  }));
  const transaction = request(access, { resourceType: 'Bundle', type: 'transaction', entry });
  const response = await access.engine.handle({ ...transaction, headers: { prefer: 'return=representation' } });
  if (response.status >= 300) return { ok: false, results: [], reason: reasonOf(response) };
  // The entry's lastModified has whole seconds (it comes from Last-Modified): the
  // returned resource's meta.lastUpdated (ms) tells a new version from a no-op.
  const entries = (bodyJson(response).entry as { resource?: { meta?: { lastUpdated?: string } }; response?: { status?: string } }[] | undefined) ?? [];
  const results = entries.map((e) => {
    if (e.response?.status?.startsWith('201')) return 'created' as const;
    const modified = e.resource?.meta?.lastUpdated ? Date.parse(e.resource.meta.lastUpdated) : since;
    return modified < since ? ('unchanged' as const) : ('updated' as const);
  });
  return { ok: true, results };
}

/** Reads resources by "Type/id" in one batch; a missing one maps to undefined. */
export async function readAll(access: EngineAccess, keys: readonly string[]): Promise<Map<string, Json | undefined>> {
  const found = new Map<string, Json | undefined>();
  if (keys.length === 0) return found;
  const entry = keys.map((url) => ({ request: { method: 'GET', url } }));
  const response = await access.engine.handle({ ...request(access, { resourceType: 'Bundle', type: 'batch', entry }), headers: {} });
  const entries = (bodyJson(response).entry as { resource?: Json; response?: { status?: string } }[] | undefined) ?? [];
  keys.forEach((key, i) => {
    const e = entries[i];
    found.set(key, e?.response?.status?.startsWith('200') ? e.resource : undefined);
  });
  return found;
}

/**
 * The inactive form of a vanished record: as the Annuaire Santé API v2 exposes
 * inactive resources, only its ids (and links) and active=false.
 */
export function deactivated(resource: Json): Json {
  const keep = ['resourceType', 'id', 'identifier', 'practitioner', 'organization', 'partOf', 'type'];
  const out: Json = {};
  for (const name of keep) if (resource[name] !== undefined) out[name] = resource[name];
  const meta = resource.meta as Json | undefined;
  if (meta?.profile) out.meta = { profile: meta.profile, ...(meta.source ? { source: meta.source } : {}) };
  if (resource.resourceType === 'Organization' && !out.identifier) out.name = resource.name;
  out.active = false;
  return out;
}
