/**
 * Suspected duplicates among the patients of the base, for the
 * identity-vigilance work list: records are grouped by the same blocking keys
 * $match searches with (matching/blocking.ts), and only records sharing a key
 * are scored, so the work grows with the size of the groups, not with the
 * square of the base. Keys are read as equalities here (a record's own first
 * and last four letters of each name word), a little stricter than the
 * "contains" of the searches. Merged-away records, pairs already linked,
 * pairs marked as not duplicates and pairs of confirmed homonyms (HOMA on
 * both: homonyms.ts) are left out; a pair with one confirmed homonym is never
 * "certain" on traits alone.
 */
import { blockingQueries, type BlockingQuery } from '../matching/blocking.js';
import { scoreCandidate, type MatchScore } from '../matching/score.js';
import { matchTraitsOf } from '../matching/traits.js';
import { withHomonymEvidence, isConfirmedHomonym } from './homonyms.js';
import { withIdentifierEvidence } from './identifier-evidence.js';
import { pairKey } from './merge-log.js';
import type { Json } from './parameters.js';
import { linkedIds, replacedBy } from './patient-links.js';

export interface DuplicatePair extends MatchScore {
  readonly first: Json;
  readonly second: Json;
}

/** Groups larger than this (a default date such as 01/01, a very common name in one year) are not paired: they say nothing. */
export const MAX_GROUP = 200;

function keyOf(query: BlockingQuery): string {
  return `${query.birthdate ?? ''}|${query.familyContains ?? ''}|${query.givenPrefix ?? ''}`;
}

/** `baseUrl`: the request's base, which tells links to local records from links to another server's (patient-links.ts). */
export function suspectedDuplicates(patients: readonly Json[], notDuplicates: ReadonlySet<string>, baseUrl: string): DuplicatePair[] {
  const eligible = patients.filter((p) => p.active !== false && replacedBy(p, baseUrl) === undefined);
  const groups = new Map<string, number[]>();
  const traits = eligible.map((p) => matchTraitsOf(p));
  const homonyms = eligible.map(isConfirmedHomonym);
  traits.forEach((t, index) => {
    for (const key of new Set(blockingQueries(t).map(keyOf))) {
      const group = groups.get(key) ?? [];
      group.push(index);
      groups.set(key, group);
    }
  });
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  for (const group of groups.values()) {
    if (group.length < 2 || group.length > MAX_GROUP) continue;
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = eligible[group[i] as number] as Json;
        const b = eligible[group[j] as number] as Json;
        const key = pairKey(String(a.id), String(b.id));
        if (seen.has(key)) continue;
        seen.add(key);
        if (notDuplicates.has(key) || linkedIds(a, baseUrl).includes(String(b.id)) || linkedIds(b, baseUrl).includes(String(a.id))) continue;
        if (homonyms[group[i] as number] && homonyms[group[j] as number]) continue;
        const scored = withIdentifierEvidence(withHomonymEvidence(scoreCandidate(traits[group[i] as number]!, traits[group[j] as number]!), a, b), a, b);
        if (scored.grade !== undefined) pairs.push({ ...scored, first: a, second: b });
      }
    }
  }
  return pairs.sort((x, y) => y.score - x.score || pairKey(String(x.first.id), String(x.second.id)).localeCompare(pairKey(String(y.first.id), String(y.second.id))));
}
