/**
 * A bare id on a reference parameter that may point to several types
 * (http://hl7.org/fhir/R4/search.html#reference): "multiple resources may
 * have the same logical identifier. Servers SHOULD reject a search where the
 * logical id refers to more than one matching resource across different
 * types"; the client names the type instead ("Patient/23", "subject:Patient=23").
 *
 * Such a value is the only one parse-parameter.ts turns into a reference
 * condition with an id and several target types, or none (any type): "Type/id"
 * and the type modifier give one. The check reads the current resources with
 * that id among those types, as the requester may see them: one the requester
 * may not see makes nothing ambiguous, and its existence is not told.
 */
import { fail } from '../../core/errors.js';
import type { StoredVersion, StoreReader } from '../../storage/contract.js';
import type { Condition } from '../../storage/query.js';

interface BareId {
  /** "Observation.subject" */
  readonly param: string;
  readonly id: string;
  /** undefined: any type. */
  readonly types?: readonly string[];
}

/** The bare ids of `where`, in chains and _has too. */
function bareIds(where: readonly Condition[], found: BareId[] = []): BareId[] {
  for (const condition of where) {
    switch (condition.kind) {
      case 'reference':
        if (condition.targetId !== undefined && (condition.targetTypes === undefined || condition.targetTypes.length > 1)) {
          found.push({ param: condition.param, id: condition.targetId, ...(condition.targetTypes ? { types: condition.targetTypes } : {}) });
        }
        break;
      case 'chain':
      case 'reverse':
        bareIds(condition.where, found);
        break;
      case 'and':
        bareIds(condition.all, found);
        break;
      case 'or':
        bareIds(condition.any, found);
        break;
      case 'not':
        bareIds([condition.condition], found);
        break;
      default:
        break;
    }
  }
  return found;
}

/** Rows one check reads at most: each id names a resource of each type at most once. */
const MAX_ROWS = 1000;

/**
 * Refuses the search (400 search.ambiguous-reference) when a bare id names
 * current resources of more than one type. `visible` keeps the rows the
 * requester may see (absent: all). One read per set of target types, all
 * its ids at once.
 */
export async function refuseAmbiguousIds(
  reader: StoreReader, where: readonly Condition[], allTypes: readonly string[],
  requester: { readonly visible?: (rows: readonly StoredVersion[]) => Promise<StoredVersion[]>; readonly reach?: readonly Condition[] } = {},
): Promise<void> {
  const { visible, reach = [] } = requester;
  const byTypes = new Map<string, { types?: readonly string[]; ids: Map<string, string> }>();
  for (const bare of bareIds(where)) {
    const key = bare.types?.join(',') ?? '*';
    let group = byTypes.get(key);
    if (!group) byTypes.set(key, (group = { ...(bare.types ? { types: bare.types } : {}), ids: new Map() }));
    if (!group.ids.has(bare.id)) group.ids.set(bare.id, bare.param);
  }
  for (const { types, ids } of byTypes.values()) {
    const page = await reader.search({
      // Every type named, even for a parameter that may point to any: the (type, id) index then answers,
      // where no type at all would read the whole resources table.
      resourceTypes: types ?? allTypes, where: [{ kind: 'id', ids: [...ids.keys()] }, ...reach], sort: [], total: 'none',
      count: Math.min(MAX_ROWS, ids.size * (types?.length ?? 10)),
    });
    const holders = visible && page.rows.length > 1 ? await visible(page.rows) : page.rows;
    const typesById = new Map<string, Set<string>>();
    for (const row of holders) {
      const held = typesById.get(row.id) ?? new Set<string>();
      typesById.set(row.id, held.add(row.resourceType));
    }
    for (const [id, held] of typesById) {
      if (held.size < 2) continue;
      const param = ids.get(id) as string;
      const sorted = [...held].sort();
      throw fail('search.ambiguous-reference', {
        name: param.slice(param.indexOf('.') + 1), id, matches: sorted.map((t) => `${t}/${id}`).join(', '), type: sorted[0] as string,
      });
    }
  }
}
