/**
 * SMART on FHIR scopes as permissions: which interactions a token allows on
 * which resource types, in which context.
 *
 * - SMART App Launch 2.0, "Scopes for requesting clinical data"
 *   (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
 *   `<context>/<type>.<cruds>` where c create, r read, u update, d delete,
 *   s search, and the context is `patient`, `user` or `system`.
 * - SMART v1 syntax (`patient/*.read`, `user/Observation.write`, `*.*`),
 *   which v2 maps to `.rs` for read and `.cud` for write.
 *
 * v2 scopes restricted by query parameters (`patient/Observation.rs?category=laboratory`,
 * "Finer-grained resource constraints using search parameters") grant read
 * and search on what matches the query only (../policy/scope-constraints.ts);
 * their other letters (c, u, d) grant nothing (least privilege), never more.
 */

export type ScopeContext = 'patient' | 'user' | 'system';
/** The five SMART v2 permission letters. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ScopeGrant {
  readonly context: ScopeContext;
  /** A resource type, or "*" for all. */
  readonly type: string;
  readonly permissions: ReadonlySet<Permission>;
  /** The scope's search parameters after "?", as written (x-www-form-urlencoded). */
  readonly query?: string;
}

/** A grant narrowed by a query: the permissions apply to the resources the query matches. */
export interface ConstrainedGrant {
  readonly permissions: ReadonlySet<Permission>;
  readonly query: string;
}

const CONTEXTS: ReadonlySet<string> = new Set(['patient', 'user', 'system']);
const V2 = /^[cruds]+$/;

/** The permissions of one scope's access part (after the dot), v1 or v2; undefined when not a SMART resource scope. */
function permissionsOf(access: string): Set<Permission> | undefined {
  if (access === 'read') return new Set(['r', 's']);
  if (access === 'write') return new Set(['c', 'u', 'd']);
  if (access === '*') return new Set(['c', 'r', 'u', 'd', 's']);
  // v2 letters come in the order c, r, u, d, s (each at most once).
  if (!V2.test(access)) return undefined;
  let last = -1;
  const letters = new Set<Permission>();
  for (const letter of access) {
    const position = 'cruds'.indexOf(letter);
    if (position <= last) return undefined;
    last = position;
    letters.add(letter as Permission);
  }
  return letters;
}

/** Parses one scope; undefined for scopes that grant no FHIR data (openid, launch, offline_access…). */
export function parseScope(text: string): ScopeGrant | undefined {
  const mark = text.indexOf('?');
  const scope = mark < 0 ? text : text.slice(0, mark);
  const query = mark < 0 ? undefined : text.slice(mark + 1);
  if (query !== undefined && !/^[^?#\s]+=[^?#\s]*$/.test(query)) return undefined;
  const slash = scope.indexOf('/');
  // SMART v1's bare "*.*" (and "Type.read") count as user-level scopes.
  const context = slash < 0 ? 'user' : scope.slice(0, slash);
  const rest = slash < 0 ? scope : scope.slice(slash + 1);
  if (!CONTEXTS.has(context)) return undefined;
  const dot = rest.indexOf('.');
  if (dot <= 0) return undefined;
  const type = rest.slice(0, dot);
  if (type !== '*' && !/^[A-Z][A-Za-z]+$/.test(type)) return undefined;
  const permissions = permissionsOf(rest.slice(dot + 1));
  if (!permissions || permissions.size === 0) return undefined;
  return { context: context as ScopeContext, type, permissions, ...(query !== undefined ? { query } : {}) };
}

/** What a set of scopes grants, indexed for lookups on every request. */
export class ScopePermissions {
  private readonly byKey = new Map<string, Set<Permission>>();
  private readonly constrained = new Map<string, ConstrainedGrant[]>();

  constructor(readonly grants: readonly ScopeGrant[]) {
    for (const grant of grants) {
      const key = `${grant.context}/${grant.type}`;
      if (grant.query !== undefined) {
        const list = this.constrained.get(key) ?? [];
        list.push({ permissions: grant.permissions, query: grant.query });
        this.constrained.set(key, list);
        continue;
      }
      const set = this.byKey.get(key) ?? new Set<Permission>();
      for (const p of grant.permissions) set.add(p);
      this.byKey.set(key, set);
    }
  }

  /** True when a scope of one of `contexts` grants `permission` on `type` (or on "*"). */
  allows(contexts: readonly ScopeContext[], type: string, permission: Permission): boolean {
    for (const context of contexts) {
      if (this.byKey.get(`${context}/${type}`)?.has(permission) || this.byKey.get(`${context}/*`)?.has(permission)) return true;
    }
    return false;
  }

  /**
   * The queries of the query-narrowed scopes that grant `permission` on `type`
   * in one of `contexts` (empty when none). Only read and search are granted this way.
   */
  constraints(contexts: readonly ScopeContext[], type: string, permission: Permission): string[] {
    if (permission !== 'r' && permission !== 's') return [];
    const queries: string[] = [];
    for (const context of contexts) {
      for (const key of [`${context}/${type}`, `${context}/*`]) {
        for (const grant of this.constrained.get(key) ?? []) if (grant.permissions.has(permission)) queries.push(grant.query);
      }
    }
    return queries;
  }

  /** True when a wildcard scope grants `permission` on every type in one of `contexts`. */
  allowsAll(contexts: readonly ScopeContext[], permission: Permission): boolean {
    return contexts.some((context) => this.byKey.get(`${context}/*`)?.has(permission) === true);
  }

  /** True when some type at all may be accessed with `permission` in one of `contexts`. */
  allowsAny(contexts: readonly ScopeContext[], permission: Permission): boolean {
    for (const [key, set] of this.byKey) {
      if (set.has(permission) && contexts.includes(key.slice(0, key.indexOf('/')) as ScopeContext)) return true;
    }
    if (permission !== 'r' && permission !== 's') return false;
    for (const [key, list] of this.constrained) {
      if (list.some((g) => g.permissions.has(permission)) && contexts.includes(key.slice(0, key.indexOf('/')) as ScopeContext)) return true;
    }
    return false;
  }
}

const cache = new Map<string, ScopePermissions>();
const CACHE_LIMIT = 1000;

/** Parsed permissions of a token's scopes, cached by the scope list (tokens of one app share it). */
export function scopePermissions(scopes: readonly string[]): ScopePermissions {
  const key = scopes.join(' ');
  let permissions = cache.get(key);
  if (!permissions) {
    permissions = new ScopePermissions(scopes.map(parseScope).filter((g): g is ScopeGrant => g !== undefined));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, permissions);
  }
  return permissions;
}
