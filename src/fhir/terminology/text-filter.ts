/**
 * The `filter` parameter of $expand (valueset-operation-expand.html: "the
 * interpretation of this is delegated to the server"; "left matching e.g.
 * 'acut ast'"). Here: every word of the filter begins a word of the display,
 * or the filter begins the code (case aside); in displays, case, accents,
 * ligatures and punctuation do not matter ("arteriel hyp" finds
 * « Hypertension artérielle »).
 */
import { normalizeString, normalizeText } from '../indexing/values.js';

export type TextMatcher = (code: string, display: string | undefined, designations?: readonly string[]) => boolean;

/** The words of a text, folded as string search values are (indexing/values.ts). */
function words(text: string): string[] {
  return normalizeText(text).split(/[\s\p{P}\p{S}]+/u).map(normalizeString).filter((w) => w !== '');
}

/** A matcher for the filter text; undefined when it is blank (no filter). */
export function textMatcher(filter: string | undefined): TextMatcher | undefined {
  if (filter === undefined) return undefined;
  const wanted = words(filter);
  if (wanted.length === 0) return undefined;
  const codePrefix = filter.trim().toLowerCase();
  const matchesText = (text: string): boolean => {
    const present = words(text);
    return wanted.every((w) => present.some((p) => p.startsWith(w)));
  };
  return (code, display, designations = []) =>
    code.toLowerCase().startsWith(codePrefix) || (display !== undefined && matchesText(display)) || designations.some(matchesText);
}
