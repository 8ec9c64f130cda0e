/**
 * The directory writes and reads its FHIR resources through the engine only
 * (same validation, indexing and write rules as the API): the engine's bulk
 * PUT, so that a unit (one professional's lines, one establishment) commits
 * whole or not at all while many units share a commit, and batch Bundles of
 * GETs for the read-modify-write of enrichment and deactivation
 * (http://hl7.org/fhir/R4/http.html#batch).
 */
import type { FhirEngine } from '../fhir/rest/engine.js';
import type { FhirError } from '../core/errors.js';
import { translate } from '../core/i18n/translate.js';
import type { JsonResource } from '../fhir/rest/resource-version.js';
import type { FhirRequest, FhirResponse } from '../fhir/rest/types.js';

type Json = Record<string, unknown>;

export interface WriteOutcome {
  readonly ok: boolean;
  /** Per resource, when ok: created, updated, or unchanged (same content: no new version). */
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

/** Why the engine refused a unit, in English (reports render it beside the catalogue text), with where. */
function reasonOf(error: FhirError): string {
  const text = error.issues.map((i) => `${translate(i.message, i.params, 'en')}${i.expression ? ` (${i.expression.join(', ')})` : ''}`).join('; ');
  return text || 'refused';
}

function bodyJson(response: FhirResponse): Json {
  const body = response.body;
  if (body?.kind === 'json') return body.value as Json;
  if (body?.kind === 'text') return JSON.parse(body.text) as Json;
  return {};
}

/**
 * PUTs each unit whole or not at all, many units per store transaction (the
 * engine's bulk path, fhir/rest/interactions/bulk-put.ts); outcomes in order.
 */
export async function putUnits(access: EngineAccess, units: readonly (readonly Json[])[]): Promise<WriteOutcome[]> {
  if (units.length === 0) return [];
  const outcomes = await access.engine.putUnits(units as readonly (readonly JsonResource[])[], access.baseUrl);
  return outcomes.map((outcome) => outcome.ok
    ? { ok: true, results: outcome.results }
    : { ok: false, results: [], reason: reasonOf(outcome.error) });
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
 * inactive resources, only its ids (and links), its profiles and data trace, and active=false.
 */
export function deactivated(resource: Json): Json {
  const keep = ['resourceType', 'id', 'identifier', 'practitioner', 'organization', 'partOf', 'type'];
  const out: Json = {};
  for (const name of keep) if (resource[name] !== undefined) out[name] = resource[name];
  const meta = resource.meta as Json | undefined;
  // The data trace stays: where a record came from is still true once it is gone from the extract.
  if (meta?.profile) out.meta = { ...(meta.extension ? { extension: meta.extension } : {}), profile: meta.profile, ...(meta.source ? { source: meta.source } : {}) };
  if (resource.resourceType === 'Organization' && !out.identifier) out.name = resource.name;
  out.active = false;
  return out;
}
