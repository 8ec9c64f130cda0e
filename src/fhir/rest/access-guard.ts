/**
 * The engine's side of access control: where every interaction asks the
 * policy decision point (auth/policy/) before reading or writing, and after
 * reading. The engine knows nothing of tokens or policies; it calls these at
 * the points the FHIR interactions define. A request without a principal is
 * Socle's own in-process work (the CLI, modules acting on their own behalf):
 * the HTTP adapter never builds one (it answers 401 first).
 *
 * Outcomes: 403 when the principal's scopes do not allow the interaction;
 * 404, exactly as for an absent resource, when a resource exists but is not
 * the principal's to see; hidden resources are left out of searches (by
 * search conditions, so that totals agree), includes and history.
 */
import { fail, type FhirError } from '../../core/errors.js';
import type { StoredVersion, StoreReader } from '../../storage/contract.js';
import type { Condition } from '../../storage/query.js';
import type { JsonResource } from './resource-version.js';
import type { FhirRequest } from './types.js';

/** SMART v2 permission letters: create, read, update, delete, search. */
export type AccessPermission = 'c' | 'r' | 'u' | 'd' | 's';

export interface AccessGuard {
  /**
   * Throws 403 when the scopes do not allow `permission` on `type` (undefined:
   * some type, a system-level interaction). A scope narrowed by a query
   * (`patient/Observation.rs?category=…`) counts only where the interaction
   * then applies that query to what it shows (reads, searches); `wholeScope`
   * says it does not (an operation), and only an unnarrowed scope counts.
   */
  require(request: FhirRequest, permission: AccessPermission, type: string | undefined, options?: { readonly wholeScope?: boolean }): void;
  /** Whether a stored version may be seen; false means "as if it did not exist". */
  visible(request: FhirRequest, version: StoredVersion): Promise<boolean>;
  /** Throws 403 when the principal may not write this content (a patient's Observation about someone else). */
  checkWrite(request: FhirRequest, resource: JsonResource): Promise<void>;
  /**
   * Conditions a search of `types` (empty: system-wide) must add; undefined
   * when the principal is not restricted. Resource types the principal may
   * not search at all are excluded by them too.
   */
  searchConditions(request: FhirRequest, types: readonly string[]): Promise<Condition[] | undefined>;
  /** True when results need a visibility check (the principal is restricted). */
  restricted(request: FhirRequest): boolean;
}

/** Keeps the versions `guard` lets the request see, in order. */
export async function visibleOnly(guard: AccessGuard, request: FhirRequest, versions: readonly StoredVersion[]): Promise<StoredVersion[]> {
  if (!guard.restricted(request)) return [...versions];
  const kept: StoredVersion[] = [];
  for (const version of versions) if (await guard.visible(request, version)) kept.push(version);
  return kept;
}

/**
 * Until a policy decision point is composed in (platform/create-platform.ts):
 * in-process work only; any request carrying a principal is refused. Fail closed.
 */
export const internalOnlyGuard: AccessGuard = {
  require(request, permission, type) {
    if (request.principal) throw fail('auth.scope-insufficient', { interaction: permission, type: type ?? '*' });
  },
  visible: async (request) => request.principal === undefined,
  checkWrite: async (request) => {
    if (request.principal) throw fail('auth.write-outside-reach', { type: '*' });
  },
  searchConditions: async (request) => (request.principal ? [{ kind: 'id', ids: [] }] : undefined),
  restricted: (request) => request.principal !== undefined,
};

/**
 * Whether the request may know of this version; a deletion is judged by the
 * version before it (who could see the resource may learn it is gone: 410).
 */
export async function mayKnow(guard: AccessGuard, reader: StoreReader, request: FhirRequest, version: StoredVersion): Promise<boolean> {
  if (!guard.restricted(request)) return true;
  if (!version.deleted) return guard.visible(request, version);
  const before = version.versionId > 1 ? await reader.readVersion(version.resourceType, version.id, version.versionId - 1) : undefined;
  return before !== undefined && !before.deleted && guard.visible(request, before);
}

/**
 * The 404 of a resource the principal may not see: the same answer as for an
 * absent one; the version is kept (never sent) so that the refused attempt is
 * recorded against the patient whose data it was (audit-trail.ts).
 */
export function hiddenResource(type: string, id: string, version: StoredVersion | undefined): FhirError {
  const error = fail('resource.not-found', { type, id });
  if (version) Object.defineProperty(error, 'touched', { value: [version], enumerable: false });
  return error;
}

/** The versions a refused request had reached, if any (see hiddenResource). */
export function touchedBy(error: FhirError | undefined): readonly StoredVersion[] {
  return ((error as { touched?: readonly StoredVersion[] } | undefined)?.touched) ?? [];
}
