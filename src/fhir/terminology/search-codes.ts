/**
 * The codes behind the token search modifiers (search.html#modifiers,
 * search/terminology-modifiers.ts): `:in`/`:not-in` take a ValueSet's
 * expansion, `:below` a code and every code below it, `:above` a code and
 * every code above it ("tests whether the coding in a resource subsumes the
 * specified search code"). The ValueSets and CodeSystems are read as the
 * searching caller (stored-resources.ts), so the caller needs the right to
 * search them too. The same limit as $expand applies (too-costly).
 */
import { fail } from '../../core/errors.js';
import type { StoreReader } from '../../storage/contract.js';
import type { SystemCodes, TerminologyUse } from '../search/terminology-modifiers.js';
import { useKey } from '../search/terminology-modifiers.js';
import type { FhirRequest, FhirResponse } from '../rest/types.js';
import { MAX_EXPANSION, ValueSetExpander } from './expand-value-set.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import { storedReader } from './stored-resources.js';
import { TerminologySource } from './terminology-source.js';
import { splitCanonical } from './types.js';
import { WorkBudget } from './work-budget.js';

/** Runs an inner read of the engine on the search's own reader (inside its transaction, if any). */
export type ReaderDispatch = (request: FhirRequest, reader: StoreReader) => Promise<FhirResponse>;

export type SearchTerminology = (uses: readonly TerminologyUse[], request: FhirRequest, reader: StoreReader) => Promise<ReadonlyMap<string, readonly SystemCodes[]>>;

function bySystem(codes: readonly { system: string; code: string }[]): SystemCodes[] {
  const grouped = new Map<string, string[]>();
  for (const { system, code } of codes) {
    const list = grouped.get(system) ?? [];
    list.push(code);
    grouped.set(system, list);
  }
  return [...grouped].map(([system, list]) => ({ system, codes: list }));
}

async function codesOf(source: TerminologySource, use: TerminologyUse, budget: WorkBudget): Promise<SystemCodes[]> {
  if (use.modifier === 'in') {
    const { url, version } = splitCanonical(use.value);
    const valueSet = await source.valueSet(url, version);
    if (!valueSet) throw fail('terminology.search-value-set-unknown', { name: use.name, url: use.value });
    return bySystem(await new ValueSetExpander(source, { budget }).expand(valueSet));
  }
  const bar = use.value.indexOf('|');
  if (bar <= 0 || bar === use.value.length - 1) throw fail('terminology.search-code-expected', { name: use.name, value: use.value });
  const system = use.value.slice(0, bar);
  const index = await source.codeSystem(system);
  if (!index) throw fail('terminology.search-system-unknown', { name: use.name, system });
  const concept = index.get(use.value.slice(bar + 1));
  if (!concept) return [];
  const related = use.modifier === 'below' ? index.descendants(concept.code) : index.ancestors(concept.code);
  if (related.size >= MAX_EXPANSION) throw fail('terminology.too-costly', { valueSet: `${use.name}=${use.value}`, limit: MAX_EXPANSION });
  return [{ system: index.url, codes: [concept.code, ...related] }];
}

export function searchTerminology(hl7: Hl7Terminology, dispatch: ReaderDispatch): SearchTerminology {
  return async (uses, request, reader) => {
    const source = new TerminologySource(hl7, storedReader((inner) => dispatch(inner, reader), request));
    const resolved = new Map<string, readonly SystemCodes[]>();
    const budget = new WorkBudget();
    for (const use of uses) resolved.set(useKey(use), await codesOf(source, use, budget));
    return resolved;
  };
}
