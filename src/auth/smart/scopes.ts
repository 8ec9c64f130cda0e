/**
 * SMART on FHIR scopes, v1 and v2 syntax (SMART App Launch 2.0.0, "Scopes
 * and Launch Context", https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
 * `<context>/<type>.<permissions>[?query]` where context is patient, user or
 * system, type a resource type or `*`, and permissions either v1's
 * read/write/* or v2's ordered subset of c r u d s. A v1 scope is read as its
 * v2 equivalent (read = rs, write = cud, * = cruds).
 */

export type ScopeContext = 'patient' | 'user' | 'system';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  readonly text: string;
  readonly context: ScopeContext;
  /** A resource type, or '*' for all. */
  readonly type: string;
  readonly permissions: ReadonlySet<Permission>;
  /** v2 fine-grained query (e.g. "category=laboratory"), kept as written. */
  readonly query?: string;
}

/** The scopes that are not resource scopes: OpenID Connect, SMART launch, Pro Santé Connect. */
export const OIDC_SCOPES = [
  'openid', 'profile', 'fhirUser', 'offline_access', 'online_access',
  'launch', 'launch/patient', 'launch/encounter', 'scope_all',
] as const;

const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{1,63})\.(read|write|\*|c?r?u?d?s?)(?:\?([A-Za-z0-9_.:|,=&%/-]{1,256}))?$/;
const V1: Readonly<Record<string, readonly Permission[]>> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };

/** The resource scope `text` names, or undefined when it is not one (or is malformed). */
export function parseResourceScope(text: string): ResourceScope | undefined {
  const match = SCOPE.exec(text);
  if (!match) return undefined;
  const [, context, type, written, query] = match as unknown as [string, ScopeContext, string, string, string | undefined];
  if (written === '') return undefined;
  const permissions = new Set<Permission>(V1[written] ?? ([...written] as Permission[]));
  return { text, context, type, permissions, ...(query ? { query } : {}) };
}

/** Whether `granted` allows at least everything `requested` asks for. */
export function covers(granted: ResourceScope, requested: ResourceScope): boolean {
  if (granted.context !== requested.context) return false;
  if (granted.type !== '*' && granted.type !== requested.type) return false;
  // A granted query narrows the grant: it only covers the same query.
  if (granted.query !== undefined && granted.query !== requested.query) return false;
  for (const p of requested.permissions) if (!granted.permissions.has(p)) return false;
  return true;
}

/** The requested resource scopes that some scope of `allowed` covers, in request order, without duplicates. */
export function coveredScopes(requested: readonly string[], allowed: readonly string[]): string[] {
  const grants = allowed.map(parseResourceScope).filter((s): s is ResourceScope => s !== undefined);
  const result: string[] = [];
  for (const text of requested) {
    const scope = parseResourceScope(text);
    if (scope && !result.includes(text) && grants.some((g) => covers(g, scope))) result.push(text);
  }
  return result;
}

/** Splits a space-separated scope parameter (RFC 6749 §3.3). */
export function splitScope(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => s !== '');
}

/**
 * Whether a scope request needs a patient in context: launch/patient, or any
 * patient-level resource scope ("When granting patient-level scopes like
 * patient/*.rs, the server SHALL provide a patient launch context parameter",
 * SMART App Launch 2.0, Scopes and Launch Context).
 */
export function asksForPatient(scopes: readonly string[]): boolean {
  return scopes.some((scope) => scope === 'launch/patient' || parseResourceScope(scope)?.context === 'patient');
}
