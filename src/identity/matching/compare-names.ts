/**
 * Similarity of family names and first names, each in [0, 1] with the reason
 * that gave it. Every comparison is symmetric: which record is the query and
 * which the candidate must not change the answer.
 */
import { isKnownFirstName } from './first-names.js';
import { ARTICLES, familyForms, foldName, nameWords, PARTICLES, significantWords, ungluedReadings } from './normalize.js';
import { damerauLevenshtein, jaroWinkler } from './string-distance.js';
import type { MatchTraits } from './traits.js';

export interface Similarity {
  readonly value: number;
  /** Why: a stable code, shown in $match explanations. */
  readonly reason: string;
}

const NONE: Similarity = { value: 0, reason: 'different' };

function best(list: readonly Similarity[]): Similarity {
  return list.reduce((a, b) => (b.value > a.value ? b : a), NONE);
}

/** One typing error on a name of 4+ letters, two on 8+ (shorter names have too many neighbours). */
function typoSimilarity(a: string, b: string): Similarity | undefined {
  const length = Math.max(a.length, b.length);
  const distance = damerauLevenshtein(a, b);
  if (distance === 1 && length >= 4) return { value: 0.9, reason: 'typo' };
  if (distance === 2 && length >= 8) return { value: 0.75, reason: 'typos' };
  if (jaroWinkler(a, b) >= 0.93) return { value: 0.6, reason: 'similar' };
  return undefined;
}

/** How a spelling of a name was reached, the larger the further: as written, by dropping an article, by dropping a particle glued to the name. */
type Drop = 0 | 1 | 2;
const AS_WRITTEN: Drop = 0;
const ARTICLE: Drop = 1;
const GLUED: Drop = 2;
const further = (a: Drop, b: Drop): Drop => (a > b ? a : b);

/**
 * The spellings of one reading of a name: run together with none, some or
 * all of its leading particles ("delafontaine", "lafontaine", "fontaine") and
 * with every particle left out, each with what was dropped to reach it.
 * `glued` are the indexes of particles that were run into the name.
 */
function addSpellings(words: readonly string[], glued: ReadonlySet<number>, add: (form: string, drop: Drop) => void): void {
  const dropOf = (i: number): Drop => (glued.has(i) ? GLUED : ARTICLES.has(words[i] as string) ? ARTICLE : AS_WRITTEN);
  let dropped = AS_WRITTEN;
  for (let k = 0; k < words.length; k++) {
    add(words.slice(k).join(''), dropped);
    if (!PARTICLES.has(words[k] as string)) break;
    dropped = further(dropped, dropOf(k));
  }
  const kept = words.flatMap((w, i) => (PARTICLES.has(w) ? [] : [i]));
  if (kept.length === 0) return;
  add(kept.map((i) => words[i]).join(''), words.reduce<Drop>((d, w, i) => (PARTICLES.has(w) ? further(d, dropOf(i)) : d), AS_WRITTEN));
}

/**
 * Every spelling of a name, with the least it takes to reach it: as written
 * and, when its first word may be particles run into the name ("LEGALL",
 * "DELAFONTAINE"), as those particles written apart. "LEGALL" and "LE GALL"
 * are then the same spelling, and "LEGALL" against "GALL" is the article
 * dropped that "LE GALL" against "GALL" is. A glued particle dropped counts
 * as an article even when it is "de": run into the name, it belongs to it
 * (Devillers, Delorme are names of their own, unlike "de Villiers").
 */
function spellings(words: readonly string[]): Map<string, Drop> {
  const forms = new Map<string, Drop>();
  // A form reached in several ways is reached with the least dropped.
  const add = (form: string, drop: Drop): void => {
    const known = forms.get(form);
    forms.set(form, known !== undefined && known < drop ? known : drop);
  };
  addSpellings(words, new Set(), add);
  const first = words.findIndex((w) => !PARTICLES.has(w));
  for (const reading of first < 0 ? [] : ungluedReadings(words[first] as string)) {
    const glued = new Set(reading.slice(0, -1).map((_, i) => first + i));
    addSpellings([...words.slice(0, first), ...reading, ...words.slice(first + 1)], glued, add);
  }
  return forms;
}

/**
 * A name against the same name less an article written apart ("Le Gall" /
 * "Gall"): often two names, but a pair alike on every other trait is one
 * person far more often, since the article was visibly a word of its own. It
 * costs what one typing error costs (0.9), so that, as with a typo, a second
 * small error on another trait (one date digit) still leaves the pair
 * "certain" (score.ts).
 */
const ARTICLE_DROPPED = 0.9;

/**
 * A name against the same name less a leading syllable that may be a glued
 * particle ("Legall" / "Gall"): just as often two different common names,
 * each whole (Dubois / Bois, Leroy / Roy, Dupont / Pont, Leblanc / Blanc,
 * Deschamps / Champs, Lamotte / Motte), and nothing in the spelling tells
 * which. Alone with every other trait equal the score is
 * 0.65 + 0.35 × 0.6 = 0.86: "probable", for a review, never "certain"
 * (0.875, score.ts), as no value above 0.64 would allow; a wrong merge of two
 * people is far worse than a missed one. 0.6 rather than lower keeps one
 * missing trait besides (birth place: 0.81; the used name for the birth
 * name: 0.839) "probable" too, where a real LEGALL / GALL duplicate is
 * reviewed.
 */
const GLUED_PARTICLE_DROPPED = 0.6;

const DROPPED: Readonly<Record<Drop, Similarity>> = {
  0: { value: 1, reason: 'exact' },
  1: { value: ARTICLE_DROPPED, reason: 'article-dropped' },
  2: { value: GLUED_PARTICLE_DROPPED, reason: 'glued-particle-dropped' },
};

/**
 * Two names as word lists: equal once particles and separators are ignored,
 * same words in another order, one a part of the other (a compound name
 * shortened), or within typing errors.
 */
export function compareNameWords(a: readonly string[], b: readonly string[]): Similarity {
  if (a.length === 0 || b.length === 0) return NONE;
  const sa = significantWords(a);
  const sb = significantWords(b);
  const formsA = spellings(a);
  let drop: Drop | undefined;
  for (const [form, dropB] of spellings(b)) {
    const dropA = formsA.get(form);
    const both = dropA === undefined ? undefined : further(dropA, dropB);
    if (both !== undefined && (drop === undefined || both < drop)) drop = both;
  }
  // Reached by dropping particles: what was dropped decides, not the typing errors below, which would read a
  // glued syllable as one or two typos (LHERMITTE / HERMITTE 0.9; LAFONTAINE / FONTAINE 0.75, "certain").
  if (drop !== undefined) return DROPPED[drop];
  return wordsOrTypo(sa, sb);
}

/** Two names' significant words: the same words in another order, one a part of the other, or within typing errors. */
function wordsOrTypo(sa: readonly string[], sb: readonly string[]): Similarity {
  const joinedA = sa.join('');
  const joinedB = sb.join('');
  const setA = new Set(sa);
  const setB = new Set(sb);
  const shared = sa.filter((w) => setB.has(w)).length;
  if (shared === setA.size && shared === setB.size) return { value: 0.95, reason: 'word-order' };
  if (shared > 0 && (shared === setA.size || shared === setB.size)) return { value: 0.85, reason: 'compound-part' };
  return typoSimilarity(joinedA, joinedB) ?? NONE;
}

interface FamilyForm {
  readonly words: readonly string[];
  readonly kind: 'birth' | 'used';
}

function familyFormsOf(traits: MatchTraits): FamilyForm[] {
  const forms: FamilyForm[] = [];
  if (traits.birthFamily !== undefined) {
    const split = familyForms(traits.birthFamily);
    forms.push({ words: split.birth, kind: 'birth' });
    if (split.used) forms.push({ words: split.used, kind: 'used' });
  }
  if (traits.usedFamily !== undefined) forms.push({ words: nameWords(traits.usedFamily), kind: 'used' });
  return forms.filter((f) => f.words.length > 0);
}

/**
 * Family names: birth against birth at full value; a used name against
 * either name at 0.9 of it, since a used name is shared (spouses) and changes
 * (marriage, divorce) where a birth name does not.
 */
export function compareFamily(a: MatchTraits, b: MatchTraits): Similarity {
  const formsA = familyFormsOf(a);
  const formsB = familyFormsOf(b);
  if (formsA.length === 0 || formsB.length === 0) return { value: 0.3, reason: 'missing' };
  const found: Similarity[] = [];
  for (const fa of formsA) {
    for (const fb of formsB) {
      const s = compareNameWords(fa.words, fb.words);
      if (fa.kind === 'birth' && fb.kind === 'birth') found.push(s);
      else if (s.value > 0) found.push({ value: s.value * 0.9, reason: `used-name-${s.reason}` });
    }
  }
  return best(found);
}

function firstNames(traits: MatchTraits): string[] {
  return traits.given.map(foldName).filter((g) => g !== '');
}

/**
 * First names: the first birth first name against the other's; a first name
 * found elsewhere in the other's list (the used first name is often the
 * second one) or as the other's used first name counts less; a compound first
 * name against one of its parts less still, as "Jean" and "Jean-Pierre" are
 * often father and son.
 */
export function compareGiven(a: MatchTraits, b: MatchTraits): Similarity {
  const la = firstNames(a);
  const lb = firstNames(b);
  const ua = a.usedGiven !== undefined ? foldName(a.usedGiven) : undefined;
  const ub = b.usedGiven !== undefined ? foldName(b.usedGiven) : undefined;
  const fa = la[0] ?? ua;
  const fb = lb[0] ?? ub;
  if (fa === undefined || fb === undefined) return { value: 0.5, reason: 'missing' };
  if (fa === fb || fa.replaceAll(' ', '') === fb.replaceAll(' ', '')) return { value: 1, reason: 'exact' };
  const inListA = (name: string | undefined): boolean => name !== undefined && (la.includes(name) || ua === name);
  const inListB = (name: string | undefined): boolean => name !== undefined && (lb.includes(name) || ub === name);
  // "Jean-Marc" typed as two first names "Jean" "Marc" (the hyphen lost in a space-separated list): the same
  // loss of a hyphen as "JeanMarc", which scores exact, so it scores exact too (the score ignores hyphens).
  const splitOf = (list: readonly string[], compound: string): boolean =>
    [2, 3].some((k) => list.length >= k && list.slice(0, k).join(' ') === compound);
  if (splitOf(la, fb) || splitOf(lb, fa)) return { value: 1, reason: 'compound-split' };
  if (inListB(fa) || inListA(fb) || (ua !== undefined && ua === ub)) return { value: 0.85, reason: 'other-first-name' };
  const wordsA = fa.split(' ');
  const wordsB = fb.split(' ');
  if (wordsA.length !== wordsB.length && (wordsA.every((w) => wordsB.includes(w)) || wordsB.every((w) => wordsA.includes(w)))) {
    return { value: 0.45, reason: 'compound-part' };
  }
  const typo = typoSimilarity(fa.replaceAll(' ', ''), fb.replaceAll(' ', ''));
  if (typo && otherNames(wordsA, wordsB)) return { value: Math.min(typo.value, CLOSE_FIRST_NAME), reason: 'close-first-name' };
  return typo ?? NONE;
}

/**
 * What two close first names that are both names (first-names.ts) are worth:
 * below half, so that with every other trait equal the pair stays below
 * "certain" (0.75 + 0.25 × 0.4 = 0.85, "probable"): twins are given such
 * names (Léa and Léna, Mathis and Mathias, Jean-Marc and Jean-Marie).
 */
const CLOSE_FIRST_NAME = 0.4;

/** Same number of words, and every word that differs is a first name on both sides. */
function otherNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const differing = a.flatMap((word, i) => (word !== b[i] ? [[word, b[i] as string] as const] : []));
  return differing.length > 0 && differing.every(([x, y]) => isKnownFirstName(x) && isKnownFirstName(y));
}
