/**
 * How the register compares names, modelled on the INSi traits search
 * (reference §1.4, open points §2.1): the INS traits are written in capitals
 * without accents (RNIV), so a query is folded the same way before it is
 * compared. Birth names also fold hyphens, apostrophes and spaces into one
 * separator ("Martin-Dupont" = "MARTIN DUPONT", "D'Arc" = "D ARC"). The exact
 * INSi folding is not public: this is our documented model of it.
 */

/** Upper case, accents and ligatures removed, typographic apostrophes made plain. */
function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œŒ]/g, 'OE')
    .replace(/[æÆ]/g, 'AE')
    .replace(/ß/g, 'SS')
    .replace(/[’‘`´ʼ]/g, "'")
    .toUpperCase();
}

/** A name compared as INSi compares it: folded, with hyphens, apostrophes and spaces as one separator. */
export function normaliseName(value: string): string {
  return fold(value).replace(/[\s'-]+/g, ' ').trim();
}

/** True when the value carries at least one letter (a name made only of separators is no name). */
export function hasLetter(value: string): boolean {
  return /\p{L}/u.test(value);
}

/** Birth first names as a list: each value may hold several names separated by spaces (the birth-list form). */
export function splitGiven(values: readonly string[]): string[] {
  return values.flatMap((v) => v.trim().split(/\s+/)).filter((v) => v !== '');
}

/**
 * Whether the first names asked for are the register's first k birth first
 * names, in order, for some k ≥ 1 (a retrieval by traits; a verification
 * wants the whole list, givenListEquals): "Marie" and "Marie Louise" match the list
 * "MARIE LOUISE JEANNE", "Louise" does not. Compared after folding, at name
 * boundaries of the register's list, so "Jean Pierre" matches "JEAN-PIERRE"
 * but "Jean" alone does not. This is what lets a caller narrow an ambiguous
 * answer (02) by adding first names, as INSi advises.
 */
export function givenMatches(asked: readonly string[], register: readonly string[]): boolean {
  const wanted = normaliseName(asked.join(' '));
  if (wanted === '') return false;
  for (let k = 1; k <= register.length; k += 1) {
    if (normaliseName(register.slice(0, k).join(' ')) === wanted) return true;
  }
  return false;
}

/**
 * Whether the first names are the register's whole list of birth first names,
 * in order (compared after folding, "Jean Pierre" = "JEAN-PIERRE"): what a
 * verification asks, since a qualified identity carries INSi's list itself
 * (FR Core fr-core-patient-ins: birth-list-given-name 1..1), not a part of it.
 */
export function givenListEquals(asked: readonly string[], register: readonly string[]): boolean {
  const wanted = normaliseName(asked.join(' '));
  return wanted !== '' && wanted === normaliseName(register.join(' '));
}

/** The register's lookup key: birth name, birth date and sex, the three exact traits of a traits search. */
export function traitsKey(family: string, birthDate: string, gender: string): string {
  return `${normaliseName(family)}|${birthDate}|${gender}`;
}
