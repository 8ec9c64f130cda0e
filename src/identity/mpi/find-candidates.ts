/**
 * Candidates for a match: the blocking searches (matching/blocking.ts) and
 * one search per identifier of the query, run through the engine, then each
 * candidate scored. A record merged away (link replaced-by) stands for its
 * survivor: the survivor is returned with the better of the two scores, since
 * the query may resemble the old record more than the kept one. A confirmed
 * homonym on either side keeps the traits' grade below certain (homonyms.ts).
 */
import { blockingQueries, searchParameters } from '../matching/blocking.js';
import { scoreCandidate, type MatchScore } from '../matching/score.js';
import { matchTraitsOf } from '../matching/traits.js';
import { readPatient, searchAll, type Send } from './engine-requests.js';
import { withHomonymEvidence } from './homonyms.js';
import { withIdentifierEvidence } from './identifier-evidence.js';
import { escapeToken, type Json } from './parameters.js';
import { identifiersOf, replacedBy } from './patient-links.js';
import type { FhirRequest } from '../../fhir/rest/types.js';

export interface ScoredCandidate extends MatchScore {
  readonly patient: Json;
}

/** Results kept per blocking search: a common name on a common date must not flood the scorer. */
const PER_SEARCH = 100;

/** The searches that retrieve candidates for `query`, as Patient search parameters. */
export function candidateSearches(query: Json): [string, string][][] {
  const searches = blockingQueries(matchTraitsOf(query)).map(searchParameters);
  for (const identifier of identifiersOf(query)) {
    if (typeof identifier.system === 'string' && typeof identifier.value === 'string') {
      searches.push([['identifier', `${escapeToken(identifier.system)}|${escapeToken(identifier.value)}`]]);
    }
  }
  return searches;
}

/** Candidates for `query`, best first, each graded; those below "possible" left out. */
export async function findCandidates(send: Send, parent: FhirRequest, query: Json, exclude: ReadonlySet<string> = new Set()): Promise<ScoredCandidate[]> {
  const retrieved = new Map<string, Json>();
  for (const params of candidateSearches(query)) {
    for (const patient of await searchAll(send, parent, 'Patient', [...params, ['_count', String(PER_SEARCH)]], PER_SEARCH)) {
      retrieved.set(patient.id as string, patient);
    }
  }
  const traits = matchTraitsOf(query);
  const best = new Map<string, ScoredCandidate>();
  const survivors = new Map<string, Json | undefined>();
  for (const patient of retrieved.values()) {
    let kept: Json | undefined = patient;
    const survivorId = replacedBy(patient, parent.baseUrl);
    if (survivorId !== undefined) {
      if (!survivors.has(survivorId)) survivors.set(survivorId, retrieved.get(survivorId) ?? (await readPatient(send, parent, survivorId)));
      kept = survivors.get(survivorId);
    }
    if (!kept || exclude.has(kept.id as string)) continue;
    const scored = withIdentifierEvidence(withHomonymEvidence(scoreCandidate(traits, matchTraitsOf(patient)), query, patient), query, patient);
    const previous = best.get(kept.id as string);
    if (scored.grade !== undefined && (!previous || scored.score > previous.score)) best.set(kept.id as string, { ...scored, patient: kept });
  }
  return [...best.values()].sort((a, b) => b.score - a.score || String(a.patient.id).localeCompare(String(b.patient.id)));
}
