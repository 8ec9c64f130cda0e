/**
 * The codes behind the token search modifiers (search.html#modifiers,
 * search/terminology-modifiers.ts): `:in`/`:not-in` take a ValueSet's
 * expansion, `:below` a code and every code below it, `:above` a code and
 * every code above it ("tests whether the coding in a resource subsumes the
 * specified search code"). The ValueSets and CodeSystems are read as the
 * searching caller (stored-resources.ts), so the caller needs the right to
 * search them too. The same limit as $expand applies (too-costly).
 * The value of `:in` is "a URI (relative or absolute) that identifies a value
 * set": a canonical url, or a reference to a ValueSet stored here
 * (`ValueSet/[id]`, `[base]/ValueSet/[id]`).
 */
import { fail, isFhirError } from '../../core/errors.js';
import { isValidId } from '../../core/ids.js';
import type { StoreReader } from '../../storage/contract.js';
import type { SystemCodes, TerminologyUse } from '../search/terminology-modifiers.js';
import { useKey } from '../search/terminology-modifiers.js';
import type { FhirRequest, FhirResponse } from '../rest/types.js';
import { MAX_EXPANSION, ValueSetExpander } from './expand-value-set.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import { readStored, storedReader, type Send } from './stored-resources.js';
import { TerminologySource } from './terminology-source.js';
import { splitCanonical, type ValueSetResource } from './types.js';
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

/**
 * The spellings to look for of codes from a code system whose codes are not
 * case-sensitive (CodeSystem.caseSensitive = false: a resource coded "def"
 * holds the code "DEF", as $validate-code says). The token index keeps codes
 * as written and compares them exactly, which lets the IN list use it; so the
 * list carries each code as defined, in lower case and in upper case. A code
 * written in another mix of cases ("Def") is not found.
 */
function spellings(codes: readonly string[], caseSensitive: boolean): string[] {
  if (caseSensitive) return [...codes];
  return [...new Set(codes.flatMap((code) => [code, code.toLowerCase(), code.toUpperCase()]))];
}

/** Whether the codes of `system` are compared as written (unknown systems: yes, the default of CodeSystem.caseSensitive aside). */
async function isCaseSensitive(source: TerminologySource, system: string): Promise<boolean> {
  return (await source.codeSystem(system))?.resource.caseSensitive !== false;
}

/** What the codes of one search's uses are read with. */
interface SearchContext {
  readonly source: TerminologySource;
  readonly budget: WorkBudget;
  readonly send: Send;
  readonly request: FhirRequest;
}

/** The id of `ValueSet/[id]` or `[base]/ValueSet/[id]` (this server's base), else undefined. */
function localValueSetId(value: string, baseUrl: string): string | undefined {
  const path = value.startsWith(`${baseUrl}/`) ? value.slice(baseUrl.length + 1) : value;
  const id = path.startsWith('ValueSet/') ? path.slice('ValueSet/'.length) : undefined;
  return id !== undefined && isValidId(id) ? id : undefined;
}

/** A stored ValueSet by id, read as the caller; undefined if there is none (a refusal still throws). */
async function storedValueSet(context: SearchContext, id: string): Promise<ValueSetResource | undefined> {
  try {
    return (await readStored(context.send, context.request, 'ValueSet', id)) as ValueSetResource;
  } catch (error) {
    if (isFhirError(error) && (error.status === 404 || error.status === 410)) return undefined;
    throw error;
  }
}

/** The value set of `:in`: by canonical, else (relative, or absolute on this server) by id. */
async function inValueSet(context: SearchContext, value: string): Promise<ValueSetResource | undefined> {
  const id = localValueSetId(value, context.request.baseUrl);
  if (id !== undefined && !value.includes(':')) return storedValueSet(context, id);
  const { url, version } = splitCanonical(value);
  return (await context.source.valueSet(url, version)) ?? (id !== undefined ? storedValueSet(context, id) : undefined);
}

async function codesOf(context: SearchContext, use: TerminologyUse): Promise<SystemCodes[]> {
  const { source, budget } = context;
  if (use.modifier === 'in') {
    const valueSet = await inValueSet(context, use.value);
    if (!valueSet) throw fail('terminology.search-value-set-unknown', { name: use.name, url: use.value });
    let grouped: SystemCodes[];
    try {
      grouped = bySystem(await new ValueSetExpander(source, { budget }).expand(valueSet));
    } catch (error) {
      // A search's parameter that cannot be used is the search's 400 (search.html#errors), not the expansion's 422.
      const issue = isFhirError(error) ? error.issues[0] : undefined;
      if (issue?.message === 'terminology.import-unknown') throw fail('terminology.search-import-unknown', { name: use.name, url: use.value, import: String(issue.params?.url) });
      throw error;
    }
    const found: SystemCodes[] = [];
    for (const { system, codes } of grouped) found.push({ system, codes: spellings(codes, await isCaseSensitive(source, system)) });
    return found;
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
  return [{ system: index.url, codes: spellings([concept.code, ...related], index.resource.caseSensitive !== false) }];
}

export function searchTerminology(hl7: Hl7Terminology, dispatch: ReaderDispatch): SearchTerminology {
  return async (uses, request, reader) => {
    const send: Send = (inner) => dispatch(inner, reader);
    const context: SearchContext = { source: new TerminologySource(hl7, storedReader(send, request)), budget: new WorkBudget(), send, request };
    const resolved = new Map<string, readonly SystemCodes[]>();
    for (const use of uses) resolved.set(useKey(use), await codesOf(context, use));
    return resolved;
  };
}
