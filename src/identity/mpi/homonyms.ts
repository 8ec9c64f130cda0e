/**
 * Confirmed homonyms (RNIV attribute HOMA, reference §1.3: the identity has
 * been checked to share its traits with another person's). Traits cannot tell
 * such people apart, so a pair involving one is never a "certain" match on
 * traits alone — an identifier both share may still make it certain
 * (identifier-evidence.ts) — and two records both marked HOMA are the
 * homonyms the vigilance team already told apart: the duplicate work list
 * leaves them out (duplicate-pairs.ts).
 */
import { BELOW_CERTAIN, gradeOf, type MatchScore } from '../matching/score.js';
import { readReliability } from '../vigilance/reliability.js';
import type { Json } from './parameters.js';

export function isConfirmedHomonym(patient: Json): boolean {
  return readReliability(patient).comments.includes('HOMA');
}

/** `score` capped below "certain" when either record is a confirmed homonym. */
export function withHomonymEvidence(score: MatchScore, a: Json, b: Json): MatchScore {
  if (score.score <= BELOW_CERTAIN || (!isConfirmedHomonym(a) && !isConfirmedHomonym(b))) return score;
  return { score: BELOW_CERTAIN, grade: gradeOf(BELOW_CERTAIN), explanation: [...score.explanation, { trait: 'identifier', weight: 0, similarity: 0, reason: 'confirmed-homonym' }] };
}
