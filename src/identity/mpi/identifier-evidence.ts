/**
 * What identifiers add to a trait score in $match
 * (http://hl7.org/fhir/R4/patient-operation-match.html: "the server may use
 * identifiers"). A shared identifier (same system and value: an INS, the IPP
 * of the same facility) is strong evidence but not proof, as identities get
 * collisions: with traits at least "possible" it makes the match certain;
 * with discordant traits, probable, for an identity-vigilance review. Two
 * different INS in use in the same system are two people: the score is
 * capped below "probable". The billing number (NSS, typed NH on the NIR
 * system) is neither: a parent and a child, or twins, share it; nor is the
 * obsolete computed INS (INS-C), a value derived from a card's data.
 */
import { isActiveIns, linksRecords, type FhirIdentifier } from '../ins/ins-identifier.js';
import { DIFFERENT_SEX_CAP, gradeOf, MATCH_THRESHOLDS, type MatchScore } from '../matching/score.js';
import { identifiersOf, sameIdentifier } from './patient-links.js';
import type { Json } from './parameters.js';

/** The INS in use on a Patient: not one kept as `old`, nor the billing number sharing the NIR system (typed NH). */
export function activeIns(patient: Json): Json[] {
  return identifiersOf(patient).filter((i) => typeof i.value === 'string' && isActiveIns(i as FhirIdentifier));
}

/** The system in which two lists of INS hold different values (two people), if any. */
export function differentInsSystem(a: readonly Json[], b: readonly Json[]): string | undefined {
  const clash = a.find((x) => b.some((y) => x.system === y.system && x.value !== y.value));
  return clash ? String(clash.system) : undefined;
}

const round = (n: number): number => Math.round(n * 10000) / 10000;

export function withIdentifierEvidence(score: MatchScore, query: Json, candidate: Json): MatchScore {
  // A billing number is no evidence: a parent and a child, or twins, share it; nor is an INS-C, computed from a card's data.
  const linking = (patient: Json): Json[] => identifiersOf(patient).filter((i) => linksRecords(i as FhirIdentifier));
  const theirs = linking(candidate);
  const shared = linking(query).some((mine) => theirs.some((other) => sameIdentifier(mine, other)));
  if (shared) {
    const raised = score.score >= MATCH_THRESHOLDS.possible ? Math.max(score.score, MATCH_THRESHOLDS.certain) : Math.max(score.score, MATCH_THRESHOLDS.probable);
    return { score: round(raised), grade: gradeOf(raised), explanation: [...score.explanation, { trait: 'identifier', weight: 0, similarity: 1, reason: 'shared' }] };
  }
  if (differentInsSystem(activeIns(query), activeIns(candidate)) !== undefined) {
    const capped = Math.min(score.score, DIFFERENT_SEX_CAP);
    return { score: round(capped), grade: gradeOf(capped), explanation: [...score.explanation, { trait: 'identifier', weight: 0, similarity: 0, reason: 'different-ins' }] };
  }
  return score;
}
