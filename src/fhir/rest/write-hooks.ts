/**
 * Rules a service module enforces on writes of the resource types it owns
 * (identity-vigilance on Patient, immutability of AuditEvent…). A hook runs
 * inside the write's transaction, after the current version is read and
 * before the new one is written: it can change the resource (the engine then
 * validates and indexes the result), refuse the write with a FhirError, or
 * write other resources in the same transaction (a Provenance, a Task), so
 * that everything commits together or not at all.
 */
import { validationFailure, type Issue } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { StoredVersion, StoreReader, WriteTransaction } from '../../storage/contract.js';
import type { EngineDeps } from './context.js';
import { analyseResource, newVersion, type JsonResource } from './resource-version.js';
import type { FhirRequest } from './types.js';

export type WriteInteraction = 'create' | 'update' | 'patch' | 'delete';

export interface WriteHookContext {
  readonly deps: EngineDeps;
  readonly tx: WriteTransaction;
  readonly request: FhirRequest;
  readonly interaction: WriteInteraction;
  readonly type: string;
  readonly id: string;
  /** The current version, parsed; undefined on a create or when it was deleted. */
  readonly current: JsonResource | undefined;
  /** Notes what the write is accepted with (warnings): they reach the client in the OperationOutcome of the answer. */
  warn(issues: readonly Issue[]): void;
}

const warningsByRequest = new WeakMap<FhirRequest, Issue[]>();

/** The context's `warn` for `request`: what its hooks accepted the write with, kept for its answer. */
export function warnFor(request: FhirRequest): (issues: readonly Issue[]) => void {
  return (issues) => {
    const kept = warningsByRequest.get(request) ?? [];
    // A store may run a unit again after a conflict: the same warning is kept once.
    for (const issue of issues) if (!kept.some((k) => k.message === issue.message && k.expression?.[0] === issue.expression?.[0])) kept.push(issue);
    warningsByRequest.set(request, kept);
  };
}

/** The warnings the write hooks noted for `request` (warnFor). */
export function warningsOf(request: FhirRequest): readonly Issue[] {
  return warningsByRequest.get(request) ?? [];
}

export interface WriteHook {
  /** Resource types the hook applies to. */
  readonly types: readonly string[];
  /** Returns the resource to store (the same object when unchanged). */
  beforeWrite?(resource: JsonResource, context: WriteHookContext): Promise<JsonResource>;
  /** Throws to refuse a deletion. */
  beforeDelete?(context: WriteHookContext): Promise<void>;
  /**
   * Versions of the hook's types as vread and history may show them: the same
   * list, in the same order, each version as stored or a copy with content
   * withheld. Read and search serve current versions, which beforeWrite has
   * already shaped, so they never call it.
   */
  shownVersions?(versions: readonly StoredVersion[], context: ReadHookContext): Promise<readonly StoredVersion[]>;
  /**
   * Throws to refuse a $meta-add or $meta-delete: `resource` is the version
   * the operation names with its new meta. Those change meta in place,
   * without a version, so beforeWrite does not see them.
   */
  beforeMetaChange?(resource: JsonResource, context: ReadHookContext): Promise<void>;
  /**
   * The matches of a search of the hook's type (the one type searched), as
   * the search's own parameters let them be shown: the same list, in the same
   * order, each row as stored or a copy with content narrowed (PDQm ITI-78
   * returns only the identifiers of the domains a query asks for). Called on
   * every page, with no rows too; may note warnings for the Bundle's
   * OperationOutcome entry (context.warn), or throw to refuse the search.
   * Included resources and reads never pass here.
   */
  shownMatches?(rows: readonly StoredVersion[], context: SearchHookContext): Promise<readonly StoredVersion[]>;
}

export interface SearchHookContext extends ReadHookContext {
  /** The search's parameters as received (ParsedSearch.applied). */
  readonly parameters: readonly (readonly [string, string])[];
  /** Notes issues for the Bundle's OperationOutcome entry (search mode outcome). */
  warn(issues: readonly Issue[]): void;
}

/** The matches of a search of `type` as the hooks of that type let them be shown (WriteHook.shownMatches). */
export async function shownMatches(context: SearchHookContext, type: string, rows: readonly StoredVersion[]): Promise<readonly StoredVersion[]> {
  let shown = rows;
  for (const hook of context.deps.writeHooks) {
    if (hook.shownMatches && hook.types.includes(type)) shown = await hook.shownMatches(shown, context);
  }
  return shown;
}

/** Lets the hooks of the resource's type refuse a meta change (beforeMetaChange). */
export async function checkMetaChange(context: ReadHookContext, resource: JsonResource): Promise<void> {
  for (const hook of context.deps.writeHooks) {
    if (hook.beforeMetaChange && hook.types.includes(resource.resourceType)) await hook.beforeMetaChange(resource, context);
  }
}

export interface ReadHookContext {
  readonly deps: EngineDeps;
  /** The request's reader (its transaction inside a transaction Bundle). */
  readonly reader: StoreReader;
  readonly request: FhirRequest;
}

/** `versions` as the hooks let vread and history show them; the same array when no hook of their types asks. */
export async function shownVersions(context: ReadHookContext, versions: readonly StoredVersion[]): Promise<readonly StoredVersion[]> {
  let shown = versions;
  for (const hook of context.deps.writeHooks) {
    if (!hook.shownVersions) continue;
    const positions = shown.flatMap((v, i) => (hook.types.includes(v.resourceType) ? [i] : []));
    if (positions.length === 0) continue;
    const replaced = await hook.shownVersions(positions.map((i) => shown[i] as StoredVersion), context);
    const copy = [...shown];
    positions.forEach((position, n) => { copy[position] = replaced[n] as StoredVersion; });
    shown = copy;
  }
  return shown;
}

/**
 * Creates another resource inside the hook's transaction (a Provenance, a
 * Task), validated and indexed as any create is; it commits or rolls back with
 * the write that caused it.
 */
export async function createInTransaction(context: WriteHookContext, resource: JsonResource): Promise<StoredVersion> {
  const { deps, tx, request } = context;
  const withId: JsonResource = { ...resource, id: newId() };
  const result = deps.validate(withId, withId.resourceType);
  if (!result.valid) throw validationFailure(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'));
  const analysed = analyseResource(deps, withId, request.baseUrl);
  return tx.writeVersion(newVersion(analysed, withId.id as string, 1, deps.clock.now(), 'POST'));
}
