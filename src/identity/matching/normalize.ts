/**
 * Normalisation of French names for matching: the forms a name takes in
 * different information systems (capitals or not, accents dropped by old
 * software, hyphens replaced by spaces, particles written or left out, "née"
 * or "épouse" forms typed into the name field) must compare as equal. This
 * follows the RNIV's rules on how traits are typed (capitals without accents
 * are allowed, hyphens and apostrophes kept, no abbreviation) — reference §1.1.
 */

/** Particles that a name may carry or lose between two systems ("de la Fontaine" / "Fontaine"). */
export const PARTICLES: ReadonlySet<string> = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'd', 'l', 'van', 'von', 'der', 'den', 'di', 'da', 'del']);

/**
 * The particles that are French articles (le, la, les, l', and du, des, which
 * contract de + le, de + les). Unlike "de", an article is part of the name
 * itself: "Le Gall" and "Gall", "Le Roux" and "Roux", "Dupont" and "Pont" are
 * different family names, so one dropped is a strong likeness, never an exact
 * match (compare-names.ts).
 */
export const ARTICLES: ReadonlySet<string> = new Set(['le', 'la', 'les', 'l', 'du', 'des']);

/**
 * The French particles software runs into the name when it strips spaces and
 * apostrophes ("LEGALL", "DELAFONTAINE", "DARTAGNAN"), longest first.
 */
const GLUABLE: readonly string[] = ['des', 'les', 'de', 'du', 'la', 'le', 'd', 'l'];

const VOWEL_OR_H = /^[aeiouyh]/;
const VOWEL = /^[aeiouy]/;

/**
 * Whether a particle may stand glued before these letters, by French
 * elision: d' and l' only before a vowel or a mute h ("d'Artagnan",
 * "l'Hermitte"), de, le and la only before a consonant (an h included:
 * "Le Hir"), du, des and les before anything. It keeps "Léon" from reading
 * as "le" + "on" and "Laurent" as "la" + "urent".
 */
function mayPrecede(particle: string, rest: string): boolean {
  if (particle === 'd' || particle === 'l') return VOWEL_OR_H.test(rest);
  if (particle === 'de' || particle === 'le' || particle === 'la') return !VOWEL.test(rest);
  return true;
}

/**
 * The ways one word may be particles glued to a name: "delafontaine" gives
 * [de, lafontaine] and [de, la, fontaine]; "dartagnan" [d, artagnan]. Two
 * particles at most, and a name of three letters at least is left. Each
 * reading ends with the name; the word itself is not among them.
 */
export function ungluedReadings(word: string, depth = 2): string[][] {
  if (depth === 0) return [];
  const readings: string[][] = [];
  for (const particle of GLUABLE) {
    const rest = word.slice(particle.length);
    if (!word.startsWith(particle) || rest.length < 3 || PARTICLES.has(rest) || !mayPrecede(particle, rest)) continue;
    readings.push([particle, rest], ...ungluedReadings(rest, depth - 1).map((r) => [particle, ...r]));
  }
  return readings;
}

/**
 * Abbreviations typed for a word of a name, read as the word: "ST-OMER",
 * "STE-CROIX". The RNIV forbids abbreviating traits, but records typed
 * before it, and other systems, carry them.
 */
const ABBREVIATIONS: Readonly<Record<string, string>> = { st: 'saint', ste: 'sainte' };

/** Words that introduce a used (spouse's) name after the birth name: "MARTIN EP. DUPONT", "Martin épouse Dupont". */
const USED_NAME_MARKERS: ReadonlySet<string> = new Set(['ep', 'epse', 'epouse', 'vve', 'veuve']);
/** Words that introduce a birth name after the used name: "Dupont née Martin". */
const BIRTH_NAME_MARKERS: ReadonlySet<string> = new Set(['nee', 'ne']);

const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd' };

/**
 * Lower case, accents removed (NFD then combining marks dropped), ligatures
 * spelled out, every non-letter (hyphen, apostrophe, dot, digit) a space,
 * spaces collapsed.
 */
export function foldName(value: string): string {
  return value
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[œæßøłđ]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
}

/** The words of a name after folding, abbreviations spelled out. */
export function nameWords(value: string): string[] {
  const folded = foldName(value);
  return folded === '' ? [] : folded.split(' ').map((w) => ABBREVIATIONS[w] ?? w);
}

/** The words that carry the name: particles removed, unless nothing else is left. */
export function significantWords(words: readonly string[]): string[] {
  const kept = words.filter((w) => !PARTICLES.has(w));
  return kept.length > 0 ? kept : [...words];
}

export interface FamilyForms {
  /** The birth name's words. */
  readonly birth: readonly string[];
  /** The used name's words when the field also carried one ("épouse …"). */
  readonly used?: readonly string[];
}

/**
 * Splits a family name field that carries two names, as front-office software
 * often types them: "MARTIN EP. DUPONT" (birth, then used name) or
 * "DUPONT NEE MARTIN" (used, then birth name). A field without a marker is a
 * birth name as it stands.
 */
export function familyForms(value: string): FamilyForms {
  const words = nameWords(value);
  const used = words.findIndex((w) => USED_NAME_MARKERS.has(w));
  if (used > 0 && used < words.length - 1) return { birth: words.slice(0, used), used: words.slice(used + 1) };
  const birth = words.findIndex((w) => BIRTH_NAME_MARKERS.has(w));
  if (birth > 0 && birth < words.length - 1) return { birth: words.slice(birth + 1), used: words.slice(0, birth) };
  return { birth: words };
}
