/**
 * Chains and `_has` search through resources of other types
 * (http://hl7.org/fhir/R4/search.html#chaining, #has). Each is searched with
 * the caller's reach on its type, as a search of that type would be: scopes
 * (a type the caller may not search matches nothing, a query-narrowed scope
 * only what its query matches) and policies (compartment, care relationship).
 * Without this a token granted no Observation could learn, through
 * `Patient?_has:Observation:subject:code=…` or
 * `DiagnosticReport?result:Observation.code=…`, which resources have such
 * results.
 */
import type { Condition } from '../../storage/query.js';
import type { AccessGuard } from './access-guard.js';
import type { FhirRequest } from './types.js';

export async function withChainReach(guard: AccessGuard, request: FhirRequest, where: readonly Condition[]): Promise<readonly Condition[]> {
  if (request.principal === undefined || !guard.restricted(request) || !where.some(traverses)) return where;
  const reaches = new Map<string, Promise<Condition[] | undefined>>();
  const reachOf = (type: string) => {
    let reach = reaches.get(type);
    if (!reach) {
      reach = guard.searchConditions(request, [type]);
      reaches.set(type, reach);
    }
    return reach;
  };
  const visit = async (condition: Condition): Promise<Condition> => {
    switch (condition.kind) {
      case 'chain':
        return { ...condition, where: [...(await Promise.all(condition.where.map(visit))), ...((await reachOf(condition.targetType)) ?? [])] };
      case 'reverse':
        return { ...condition, where: [...(await Promise.all(condition.where.map(visit))), ...((await reachOf(condition.sourceType)) ?? [])] };
      case 'and':
        return { ...condition, all: await Promise.all(condition.all.map(visit)) };
      case 'or':
        return { ...condition, any: await Promise.all(condition.any.map(visit)) };
      case 'not':
        return { ...condition, condition: await visit(condition.condition) };
      default:
        return condition;
    }
  };
  return Promise.all(where.map(visit));
}

function traverses(condition: Condition): boolean {
  switch (condition.kind) {
    case 'chain':
    case 'reverse':
      return true;
    case 'and':
      return condition.all.some(traverses);
    case 'or':
      return condition.any.some(traverses);
    case 'not':
      return traverses(condition.condition);
    default:
      return false;
  }
}
