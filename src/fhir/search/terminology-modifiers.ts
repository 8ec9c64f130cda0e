/**
 * The token modifiers that need a terminology (http://hl7.org/fhir/R4/search.html#modifiers):
 * `:in` and `:not-in` (the value is a ValueSet's canonical url: is the coding
 * in it?), `:below` and `:above` (the value is system|code: is the coding
 * subsumed by it, or does it subsume it?). Each becomes the list of codes it
 * stands for, per system, matched as an IN list on the token index.
 *
 * Parsing is synchronous and the codes come from stored resources, so a
 * search using these modifiers is parsed twice: once to learn which uses
 * need codes (inside chains and _has too, and only on token parameters),
 * then, once the resolver has fetched them, for real. A search without them
 * is parsed once, as before.
 */
import type { ParsedSearch, SearchOptions } from './parse-search.js';
import { parseSearch } from './parse-search.js';

export type TerminologyModifier = 'in' | 'below' | 'above';

/** One use: `value` unescaped; `name` for messages. `:not-in` is an `in` use, negated by the parser. */
export interface TerminologyUse {
  readonly modifier: TerminologyModifier;
  readonly value: string;
  readonly name: string;
}

/** The codes of a use in one system. */
export interface SystemCodes {
  readonly system: string;
  readonly codes: readonly string[];
}

export type TerminologyResolver = (uses: readonly TerminologyUse[]) => Promise<ReadonlyMap<string, readonly SystemCodes[]>>;

export function useKey(use: Pick<TerminologyUse, 'modifier' | 'value'>): string {
  return `${use.modifier} ${use.value}`;
}

const MODIFIER = /:(in|not-in|below|above)$/;

/** parseSearch, with the codes of the terminology modifiers fetched by `resolve` (absent: those modifiers are refused). */
export async function parseSearchWithTerminology(
  types: readonly string[], query: readonly (readonly [string, string])[], options: SearchOptions, resolve: TerminologyResolver | undefined,
): Promise<ParsedSearch> {
  if (!resolve || !query.some(([name, value]) => value !== '' && MODIFIER.test(name))) return parseSearch(types, query, options);
  const uses = new Map<string, TerminologyUse>();
  parseSearch(types, query, {
    ...options,
    tokenCodes: (use) => {
      uses.set(useKey(use), use);
      return [];
    },
  });
  const resolved = uses.size > 0 ? await resolve([...uses.values()]) : new Map<string, readonly SystemCodes[]>();
  return parseSearch(types, query, { ...options, tokenCodes: (use) => resolved.get(useKey(use)) });
}
