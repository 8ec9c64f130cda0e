/**
 * The one policy decision point of the FHIR API: the engine asks it at every
 * interaction (fhir/rest/access-guard.ts), whatever the route — read, vread,
 * search and its includes, history, writes, operations, Binary, and each
 * entry of a batch or transaction.
 *
 * Two layers, both must agree:
 * 1. the token's scopes (SMART App Launch 2.0, scopes-and-launch-context.html),
 *    read in the contexts the principal's kind may use: patients `patient/` and
 *    `user/`, professionals `user/` and `patient/`, operators and systems
 *    `system/`. A missing scope is 403 with RFC 6750's insufficient_scope. A
 *    scope narrowed by a query (`patient/Observation.rs?category=…`) grants
 *    read and search on what the query matches (scope-constraints.ts);
 * 2. the access policies that apply to the principal (access-policy.ts),
 *    which narrow what is visible: hidden is 404, as if absent.
 * Everything is decided from the token and cached sets: no lookup per request
 * for an unrestricted principal, a few cached lookups for the others.
 */
import { fail } from '../../core/errors.js';
import type { Principal, PrincipalKind } from '../../core/principal.js';
import type { AccessGuard, AccessPermission } from '../../fhir/rest/access-guard.js';
import type { FhirRequest } from '../../fhir/rest/types.js';
import type { StoredVersion } from '../../storage/contract.js';
import type { Condition } from '../../storage/query.js';
import { scopePermissions, type ScopeContext, type ScopePermissions } from '../scopes/smart-scopes.js';
import type { AccessPolicy } from './access-policy.js';
import type { ScopeConstraints } from './scope-constraints.js';

const CONTEXTS: Record<PrincipalKind, readonly ScopeContext[]> = {
  patient: ['patient', 'user'],
  practitioner: ['user', 'patient'],
  operator: ['system'],
  system: ['system'],
};

const INTERACTION: Record<AccessPermission, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

/** RFC 6750 §3: the challenge of a refused bearer token. */
export function bearerChallenge(error?: 'invalid_token' | 'insufficient_scope', description?: string): string {
  const parts = ['Bearer realm="socle"'];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, '')}"`);
  return parts.join(', ');
}

export class PolicyDecisionPoint implements AccessGuard {
  private readonly permissions = new WeakMap<Principal, ScopePermissions>();

  constructor(
    private readonly policies: AccessPolicy[],
    private readonly allTypes: readonly string[],
    /** Absent, query-narrowed scopes grant nothing. */
    private readonly constraints?: ScopeConstraints,
  ) {}

  /** Adds a policy (a module's rules, e.g. the shared-record matrix); it narrows access further. */
  add(policy: AccessPolicy): void {
    this.policies.push(policy);
  }

  require(request: FhirRequest, permission: AccessPermission, type: string | undefined, options?: { readonly wholeScope?: boolean }): void {
    const principal = request.principal;
    if (!principal) return;
    for (const policy of this.applicable(principal)) policy.check?.(principal);
    const permissions = this.permissionsOf(principal);
    const contexts = CONTEXTS[principal.kind];
    const allowed = type === undefined
      ? permissions.allowsAny(contexts, permission)
      : permissions.allows(contexts, type, permission)
        || (options?.wholeScope !== true && this.narrowed(permissions, contexts, type, permission, request.baseUrl) !== undefined);
    if (!allowed) {
      throw fail('auth.scope-insufficient', { interaction: INTERACTION[permission], type: type ?? '*' }, {
        headers: { 'www-authenticate': bearerChallenge('insufficient_scope', `${INTERACTION[permission]} on ${type ?? '*'}`) },
      });
    }
  }

  /** Restricted: a policy narrows what the principal sees, or the scopes do not cover every type. */
  restricted(request: FhirRequest): boolean {
    const principal = request.principal;
    if (principal === undefined) return false;
    if (!this.permissionsOf(principal).allowsAll(CONTEXTS[principal.kind], 'r')) return true;
    return this.applicable(principal).some((p) => p.restricts(principal));
  }

  async visible(request: FhirRequest, version: StoredVersion): Promise<boolean> {
    const principal = request.principal;
    if (!principal) return true;
    const permissions = this.permissionsOf(principal);
    const contexts = CONTEXTS[principal.kind];
    if (!permissions.allows(contexts, version.resourceType, 'r')) {
      const queries = permissions.constraints(contexts, version.resourceType, 'r');
      if (queries.length === 0 || !this.constraints?.matches(version, queries, request.baseUrl)) return false;
    }
    for (const policy of this.applicable(principal)) if (!(await policy.visible(principal, version, request.baseUrl))) return false;
    return true;
  }

  async checkWrite(request: FhirRequest, resource: Record<string, unknown> & { resourceType: string }): Promise<void> {
    const principal = request.principal;
    if (!principal) return;
    for (const policy of this.applicable(principal)) {
      if (!(await policy.mayWrite(principal, resource, request.baseUrl))) throw fail('auth.write-outside-reach', { type: resource.resourceType });
    }
  }

  async searchConditions(request: FhirRequest, types: readonly string[]): Promise<Condition[] | undefined> {
    const principal = request.principal;
    if (!principal) return undefined;
    const conditions: Condition[] = [];
    // A system-wide search (or one over several types) covers only the types the scopes allow searching.
    const permissions = this.permissionsOf(principal);
    const contexts = CONTEXTS[principal.kind];
    const candidates = types.length > 0 ? types : this.allTypes;
    const searchable = candidates.filter((t) => permissions.allows(contexts, t, 's'));
    // Types searchable through query-narrowed scopes only: what the queries match.
    const narrowed: Condition[] = [];
    for (const t of candidates) {
      if (searchable.includes(t)) continue;
      const condition = this.narrowed(permissions, contexts, t, 's', request.baseUrl);
      if (condition) narrowed.push({ kind: 'and', all: [{ kind: 'type', types: [t] }, condition] });
    }
    if (narrowed.length > 0) conditions.push({ kind: 'or', any: [{ kind: 'type', types: searchable }, ...narrowed] });
    else if (searchable.length < candidates.length || types.length > 1) conditions.push({ kind: 'type', types: searchable });
    for (const policy of this.applicable(principal)) {
      const condition = await policy.searchConditions(principal, types, request.baseUrl);
      if (condition) conditions.push(condition);
    }
    return conditions.length > 0 ? conditions : undefined;
  }

  /** The condition of the query-narrowed scopes granting `permission` on `type`; undefined when none (enforceable) does. */
  private narrowed(permissions: ScopePermissions, contexts: readonly ScopeContext[], type: string, permission: AccessPermission, baseUrl: string): Condition | undefined {
    const queries = permissions.constraints(contexts, type, permission);
    return queries.length > 0 ? this.constraints?.anyOf(type, queries, baseUrl) : undefined;
  }

  private applicable(principal: Principal): AccessPolicy[] {
    const found = this.policies.filter((p) => p.appliesTo(principal));
    // No policy for this kind of principal: nothing is allowed (fail closed).
    if (found.length === 0) throw fail('auth.scope-insufficient', { interaction: 'any', type: '*' });
    return found;
  }

  private permissionsOf(principal: Principal): ScopePermissions {
    let permissions = this.permissions.get(principal);
    if (!permissions) {
      permissions = scopePermissions(principal.scopes);
      this.permissions.set(principal, permissions);
    }
    return permissions;
  }
}
