/**
 * A pluggable access policy: one rule set for some principals (operators,
 * patients, professionals…). The policy decision point (policy-decision-point.ts)
 * combines every policy that applies to a principal; each can only narrow
 * what the token's scopes allow, never widen it. The shared-record access
 * matrix (by profession and document type) will be one more policy.
 *
 * Recipe: implement AccessPolicy in a file of this folder (or of the module
 * that owns the rule), and list it in the module's `accessPolicies`.
 */
import type { Principal } from '../../core/principal.js';
import type { JsonResource } from '../../fhir/rest/resource-version.js';
import type { StoredVersion } from '../../storage/contract.js';
import type { Condition } from '../../storage/query.js';
import { localLiteral } from '../../fhir/rest/local-reference.js';

/**
 * `baseUrl` is the base the request arrived on: absolute references on it are
 * this server's, those on any other base are not (referenceParts).
 */
export interface AccessPolicy {
  readonly name: string;
  /** Whether the policy rules over this principal; at least one must, or every request is refused. */
  appliesTo(principal: Principal): boolean;
  /** Throws a FhirError (403) when the principal cannot use the API at all under this policy. */
  check?(principal: Principal): void;
  /** False when the principal does not see every resource its scopes name (results need checking). */
  restricts(principal: Principal): boolean;
  /** Whether the principal may know of this (non-deleted) version. */
  visible(principal: Principal, version: StoredVersion, baseUrl: string): Promise<boolean>;
  /** Whether the principal may write this content (checked before the write). */
  mayWrite(principal: Principal, resource: JsonResource, baseUrl: string): Promise<boolean>;
  /** Search conditions selecting what the principal may see among `types` (empty: every type); undefined when unrestricted. */
  searchConditions(principal: Principal, types: readonly string[], baseUrl: string): Promise<Condition | undefined>;
}

/**
 * Type and id of a literal reference to one of this server's resources:
 * relative, or absolute on `baseUrl` (fhir/rest/local-reference.ts). A
 * reference on another server's base, whatever type and id it ends with, is
 * not the local resource of that type and id: it matches, grants and guards
 * nothing here (undefined), as for anything that is no literal reference.
 */
export function referenceParts(reference: unknown, baseUrl: string): { type: string; id: string } | undefined {
  if (typeof reference !== 'string') return undefined;
  const literal = localLiteral(reference, baseUrl);
  return literal && /^[A-Z]/.test(literal.type) ? { type: literal.type, id: literal.id } : undefined;
}
