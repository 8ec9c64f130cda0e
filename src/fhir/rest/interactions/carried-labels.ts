/**
 * Tags and security labels outlive an update (PUT or PATCH) that leaves them
 * out. R4 keeps them apart from the resource's content: meta is "maintained by
 * the infrastructure" and changes to it "might not always be associated with
 * version changes" (Resource.meta), and $meta-add / $meta-delete change them
 * without a version because they "do not affect the meaning of the resource,
 * and the security labels (in particular) are used to apply access rules to
 * existing versions of resources". So an update carries every tag and label of
 * the current version forward, identified by system and code as those
 * operations identify them, and only $meta-delete removes one: a client that
 * read a resource before a label was set, or that never sends meta, cannot
 * drop it by writing. HAPI FHIR does the same (profiles, which a client may
 * rightly change with the content, are replaced as sent, as there).
 */
import { carryDecimals, parseJson } from '../../../core/json/decimal-json.js';
import type { StoredVersion } from '../../../storage/contract.js';
import type { JsonResource } from '../resource-version.js';

interface Coding {
  readonly system?: string;
  readonly code?: string;
}

const LABELS = ['tag', 'security'] as const;

const sameCoding = (a: Coding, b: Coding): boolean => (a.system ?? '') === (b.system ?? '') && a.code === b.code;

function codings(meta: Record<string, unknown> | undefined, element: string): Coding[] {
  const value = meta?.[element];
  return Array.isArray(value) ? (value as Coding[]) : [];
}

/**
 * `resource` with the tags and security labels of `current` it lacks, after
 * its own; the same object when it lacks none (so that what was computed from
 * it, its index, still holds).
 */
export function withCarriedLabels(resource: JsonResource, current: StoredVersion | undefined): JsonResource {
  const text = current && !current.deleted ? current.content : null;
  // Most stored resources carry neither: no parse for them.
  if (text === null || !(text.includes('"tag"') || text.includes('"security"'))) return resource;
  const stored = (parseJson(text) as JsonResource).meta as Record<string, unknown> | undefined;
  const given = resource.meta as Record<string, unknown> | undefined;
  const meta: Record<string, unknown> = { ...(given ?? {}) };
  let changed = false;
  for (const element of LABELS) {
    const own = codings(given, element);
    const missing = codings(stored, element).filter((coding) => !own.some((o) => sameCoding(o, coding)));
    if (missing.length === 0) continue;
    meta[element] = [...own, ...missing];
    changed = true;
  }
  if (!changed) return resource;
  const copy = { ...resource, meta } as JsonResource;
  carryDecimals(resource, copy);
  return copy;
}
