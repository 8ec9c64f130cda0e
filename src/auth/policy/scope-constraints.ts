/**
 * SMART App Launch 2.0's query-narrowed scopes ("Finer-grained resource
 * constraints using search parameters", scopes-and-launch-context.html), e.g.
 * `patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory`:
 * the scope grants read and search on the resources the query matches.
 *
 * The query is read as a FHIR search on the scope's type (the same parser
 * as searches). Socle enforces queries on token parameters (category, code,
 * status…, each value `[system|]code`, several values with a comma, several
 * parameters with `&` all required): searches get the query as a storage
 * condition, so totals stay exact, and a read, an include or a history entry
 * is checked against the resource's own index values. Any other query
 * (other parameter types, modifiers, an unknown parameter) cannot be checked
 * the same way on both paths, so it grants nothing (least privilege).
 */
import type { EngineDeps } from '../../fhir/rest/context.js';
import { parameterContext } from '../../fhir/rest/context.js';
import { parseParameter } from '../../fhir/search/parse-parameter.js';
import type { IndexSet } from '../../fhir/indexing/index-set.js';
import type { StoredVersion } from '../../storage/contract.js';
import { indexKey } from '../../storage/sql/index-key.js';
import { qualifiedParam, type Condition } from '../../storage/query.js';

type TokenCondition = Extract<Condition, { kind: 'token' }>;

/** Whether Socle can evaluate `condition` on a resource's index values as storage does on its rows. */
function enforceable(condition: Condition): boolean {
  switch (condition.kind) {
    case 'token':
      return condition.codes === undefined && condition.textPrefix === undefined && condition.ofType === undefined && condition.codePrefix === undefined;
    case 'or':
      return condition.any.every(enforceable);
    case 'and':
      return condition.all.every(enforceable);
    default:
      return false;
  }
}

/**
 * The same test storage makes of a token condition on its rows
 * (storage/sql/conditions.ts): system undefined is any system, null is "no
 * system" (`|code`), which the indexer writes as null and both backends store
 * as NULL (an empty or absent Coding.system or Identifier.system alike; a
 * bound `code` element has its value set's system on both paths); codes and
 * systems are compared as index keys, cut to MAX_KEY_BYTES as the stored
 * columns and the searched values are, so that a read is granted exactly when
 * a search would find it.
 */
function tokenMatches(condition: TokenCondition, resourceType: string, index: IndexSet): boolean {
  const system = condition.system === undefined || condition.system === null ? condition.system : indexKey(condition.system);
  const code = condition.code === undefined ? undefined : indexKey(condition.code);
  return index.token.some((row) => qualifiedParam(resourceType, row.param) === condition.param
    && (system === undefined || (system === null ? row.system === null : indexKey(row.system) === system))
    && (code === undefined || (row.code !== null && indexKey(row.code) === code)));
}

function matches(condition: Condition, resourceType: string, index: IndexSet): boolean {
  switch (condition.kind) {
    case 'token':
      return tokenMatches(condition, resourceType, index);
    case 'or':
      return condition.any.some((c) => matches(c, resourceType, index));
    case 'and':
      return condition.all.every((c) => matches(c, resourceType, index));
    default:
      return false;
  }
}

const CACHE_LIMIT = 1000;

export class ScopeConstraints {
  private readonly parsed = new Map<string, Condition | null>();

  constructor(private readonly deps: Pick<EngineDeps, 'schema' | 'clock' | 'indexer'>) {}

  /** The storage condition of `query` on `type`; undefined when Socle cannot enforce it (it then grants nothing). */
  condition(type: string, query: string, baseUrl: string): Condition | undefined {
    const key = `${type}?${query}`;
    let condition = this.parsed.get(key);
    if (condition === undefined) {
      condition = this.parse(type, query, baseUrl);
      if (this.parsed.size >= CACHE_LIMIT) this.parsed.clear();
      this.parsed.set(key, condition);
    }
    return condition ?? undefined;
  }

  /** The condition selecting what any of `queries` grants on `type` (an OR); undefined when none is enforceable. */
  anyOf(type: string, queries: readonly string[], baseUrl: string): Condition | undefined {
    const conditions = queries.map((q) => this.condition(type, q, baseUrl)).filter((c): c is Condition => c !== undefined);
    if (conditions.length === 0) return undefined;
    return conditions.length === 1 ? conditions[0] : { kind: 'or', any: conditions };
  }

  /** Whether the version's content matches one of `queries`. */
  matches(version: StoredVersion, queries: readonly string[], baseUrl: string): boolean {
    const condition = this.anyOf(version.resourceType, queries, baseUrl);
    if (!condition || version.content === null) return false;
    const index = this.deps.indexer.index(JSON.parse(version.content) as Record<string, unknown>, baseUrl);
    return matches(condition, version.resourceType, index);
  }

  private parse(type: string, query: string, baseUrl: string): Condition | null {
    const context = parameterContext(this.deps as EngineDeps, baseUrl);
    const all: Condition[] = [];
    try {
      for (const [name, value] of new URLSearchParams(query)) all.push(parseParameter(type, name, value, context));
    } catch {
      return null;
    }
    if (all.length === 0 || !all.every(enforceable)) return null;
    return all.length === 1 ? all[0] as Condition : { kind: 'and', all };
  }
}
