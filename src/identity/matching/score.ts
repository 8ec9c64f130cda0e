/**
 * The match score of two identities: a weighted sum of trait similarities in
 * [0, 1], graded with the codes of the match-grade extension that FHIR's
 * Patient/$match returns (http://hl7.org/fhir/R4/patient-operation-match.html,
 * http://hl7.org/fhir/StructureDefinition/match-grade): certain, probable,
 * possible. Weights and thresholds are documented in docs/ARCHITECTURE.md
 * ("Patient matching") and measured by bench/matching.ts.
 */
import { compareFamily, compareGiven, type Similarity } from './compare-names.js';
import { compareBirthDates, compareBirthPlaces, compareGenders } from './compare-traits.js';
import type { MatchTraits } from './traits.js';

export type MatchGrade = 'certain' | 'probable' | 'possible' | 'certainly-not';

export type TraitName = 'family' | 'given' | 'birthDate' | 'birthPlace' | 'gender';

/**
 * How much each trait weighs. The birth name, first name and birth date
 * identify a person; the birth place and sex mostly separate homonyms and
 * twins. The sum is 1.
 */
export const MATCH_WEIGHTS: Readonly<Record<TraitName, number>> = {
  family: 0.35,
  given: 0.25,
  birthDate: 0.25,
  birthPlace: 0.1,
  gender: 0.05,
};

/**
 * Lowest scores of each grade. "certain" tolerates one common error on one
 * trait (a typo, swapped day and month, the used name for the birth name) or
 * two small ones (a one-digit date error with a name typo or a missing birth
 * place), but never a wholly different trait: losing the first name or the
 * birth date alone costs 0.25, which leaves at most 0.75.
 */
export const MATCH_THRESHOLDS = { certain: 0.875, probable: 0.8, possible: 0.65 } as const;

/**
 * Different known sexes cap the score below "probable": a difference of sex
 * with everything else close is far more often twins ("Louis" and "Louise")
 * than a typing error.
 */
export const DIFFERENT_SEX_CAP = 0.79;

/**
 * Two known birth places that differ (not even in the same department) cap
 * the score below "certain": with every other trait equal, they are more
 * often two people (namesakes born the same day, cousins) than one birth
 * place mistyped, and the birth place is one of the five INS traits. The pair
 * stays "probable" at best, for a review.
 */
export const DIFFERENT_BIRTH_PLACE_CAP = 0.87;

/** The highest grade "probable" reaches: below "certain" (for the caps of the mpi layer, e.g. confirmed homonyms). */
export const BELOW_CERTAIN = DIFFERENT_BIRTH_PLACE_CAP;

const COMPARATORS: Readonly<Record<TraitName, (a: MatchTraits, b: MatchTraits) => Similarity>> = {
  family: compareFamily,
  given: compareGiven,
  birthDate: compareBirthDates,
  birthPlace: compareBirthPlaces,
  gender: compareGenders,
};

export interface TraitExplanation {
  /** A trait, or "identifier" for the evidence of identifiers ($match, mpi/identifier-evidence.ts). */
  readonly trait: TraitName | 'identifier';
  readonly weight: number;
  readonly similarity: number;
  readonly reason: string;
}

export interface MatchScore {
  /** In [0, 1], rounded to 4 decimals. */
  readonly score: number;
  /** Undefined below "possible": not a candidate at all. */
  readonly grade: Exclude<MatchGrade, 'certainly-not'> | undefined;
  readonly explanation: readonly TraitExplanation[];
}

export function gradeOf(score: number): MatchScore['grade'] {
  if (score >= MATCH_THRESHOLDS.certain) return 'certain';
  if (score >= MATCH_THRESHOLDS.probable) return 'probable';
  if (score >= MATCH_THRESHOLDS.possible) return 'possible';
  return undefined;
}

/**
 * Scores a candidate against a query: symmetric, insensitive to case,
 * accents, hyphens, apostrophes and particles, and never higher when an
 * error is added to one side (the properties score.property.test.ts checks).
 */
export function scoreCandidate(query: MatchTraits, candidate: MatchTraits): MatchScore {
  const explanation: TraitExplanation[] = [];
  let sum = 0;
  for (const trait of Object.keys(MATCH_WEIGHTS) as TraitName[]) {
    const weight = MATCH_WEIGHTS[trait];
    const { value, reason } = COMPARATORS[trait](query, candidate);
    sum += weight * value;
    explanation.push({ trait, weight, similarity: value, reason });
  }
  const differs = (trait: TraitName): boolean => explanation.some((e) => e.trait === trait && e.reason === 'different');
  let capped = sum;
  if (differs('gender')) capped = Math.min(capped, DIFFERENT_SEX_CAP);
  if (differs('birthPlace')) capped = Math.min(capped, DIFFERENT_BIRTH_PLACE_CAP);
  const score = Math.round(capped * 10000) / 10000;
  return { score, grade: gradeOf(score), explanation };
}
