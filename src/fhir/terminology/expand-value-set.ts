/**
 * The codes of a ValueSet (http://hl7.org/fhir/R4/valueset.html#compositions):
 * the union of its includes, less its excludes. An include takes codes from
 * one code system (those it lists, those its filters select, or all of them)
 * and, when it names value sets, keeps only the codes in every one of them
 * (valueset-definitions.html#ValueSet.compose.include.valueSet); an include of
 * value sets alone is their intersection.
 *
 * The expansion is flat and in the order of the definition. A code system
 * Socle does not hold is an error, except for codes the ValueSet lists one by
 * one, which are taken as written ("When a server cannot correctly expand a
 * value set because it does not fully understand the code systems … then it
 * SHALL return an error"). Past `limit` codes the expansion stops with
 * too-costly; the text filter and activeOnly apply while codes are gathered,
 * so that a filtered expansion of a large code system stays cheap. An
 * imported value set is expanded once per expander (by its canonical and
 * version), however often it is imported: ten imports of ten imports… of one
 * value set cost its one expansion, not 10^depth; what is left is bounded by
 * the request's WorkBudget.
 */
import { fail } from '../../core/errors.js';
import type { CodeSystemIndex } from './code-system-index.js';
import { compileFilters } from './concept-filters.js';
import { codeKey, conceptEntry, listedEntry, type ExpandedCode, type PresentationOptions } from './expanded-code.js';
import type { TerminologySource } from './terminology-source.js';
import type { TextMatcher } from './text-filter.js';
import { canonicalText, splitCanonical, type ComposeInclude, type ValueSetResource } from './types.js';
import { WorkBudget } from './work-budget.js';

/** Codes an expansion may hold before it is refused as too costly. */
export const MAX_EXPANSION = 10_000;

/** Value sets importing value sets: deeper than this is refused like a cycle. */
const MAX_IMPORT_DEPTH = 16;

export interface ExpansionOptions extends PresentationOptions {
  readonly text?: TextMatcher;
  readonly activeOnly?: boolean;
  /** Leave out the codes for grouping only (abstract, notSelectable): valueset-operation-expand.html, excludeNotForUI. */
  readonly excludeNotForUI?: boolean;
  readonly limit?: number;
  /** Shared by the expansions of one request (the search modifiers' several uses). */
  readonly budget?: WorkBudget;
}

type Codes = Map<string, ExpandedCode>;

/** The name of a value set in messages: its canonical, or "ValueSet" for one given inline without a url. */
export function valueSetLabel(valueSet: ValueSetResource): string {
  return valueSet.url !== undefined ? canonicalText(valueSet.url, valueSet.version) : 'ValueSet';
}

export class ValueSetExpander {
  private readonly limit: number;
  private readonly budget: WorkBudget;
  /** Imported value sets already expanded, by label (url|version). */
  private readonly imported = new Map<string, Codes>();

  /** How entries are built while gathering: with their designations, which the text filter reads whatever the caller shows. */
  private readonly entryOptions: PresentationOptions;

  constructor(private readonly source: TerminologySource, private readonly options: ExpansionOptions = {}) {
    this.limit = options.limit ?? MAX_EXPANSION;
    this.budget = options.budget ?? new WorkBudget();
    this.entryOptions = { ...(options.displayLanguage !== undefined ? { displayLanguage: options.displayLanguage } : {}), includeDesignations: true };
  }

  /** The codes of `valueSet`, with the text filter and activeOnly applied. */
  async expand(valueSet: ValueSetResource): Promise<ExpandedCode[]> {
    const codes = [...(await this.codesOf(valueSet, [], true)).values()];
    if (this.options.includeDesignations === true) return codes;
    return codes.map(({ designation: _shown, ...entry }) => entry);
  }

  /** The codes of an imported value set, expanded once (the options that shape only the answer do not apply to it). */
  private async importedCodes(valueSet: ValueSetResource, stack: readonly string[]): Promise<Codes> {
    const label = valueSetLabel(valueSet);
    // A cycle first: a value set being expanded is on the stack, not yet remembered.
    if (stack.includes(label) || stack.length >= MAX_IMPORT_DEPTH) throw fail('terminology.value-set-cycle', { url: label });
    this.budget.spend(1, label);
    let codes = this.imported.get(label);
    if (!codes) {
      codes = await this.codesOf(valueSet, stack, false);
      this.imported.set(label, codes);
    }
    return codes;
  }

  private async codesOf(valueSet: ValueSetResource, stack: readonly string[], outermost: boolean): Promise<Codes> {
    const label = valueSetLabel(valueSet);
    if (stack.includes(label) || stack.length >= MAX_IMPORT_DEPTH) throw fail('terminology.value-set-cycle', { url: label });
    const inner = [...stack, label];
    const dropInactive = valueSet.compose?.inactive === false || (outermost && this.options.activeOnly === true);
    const codes: Codes = new Map();
    const keep = (entry: ExpandedCode): boolean => {
      if (dropInactive && entry.inactive) return false;
      if (outermost && this.options.excludeNotForUI === true && entry.abstract) return false;
      if (outermost && this.options.text && !this.options.text(entry.code, entry.display, (entry.designation ?? []).flatMap((d) => d.value ?? []))) return false;
      return true;
    };
    for (const include of valueSet.compose?.include ?? []) {
      await this.gather(include, label, inner, (entry) => {
        if (!keep(entry)) return;
        codes.set(codeKey(entry.system, entry.code), entry);
        if (codes.size > this.limit) throw fail('terminology.too-costly', { valueSet: label, limit: this.limit });
      });
    }
    for (const exclude of valueSet.compose?.exclude ?? []) {
      if (codes.size === 0) break;
      await this.gather(exclude, label, inner, (entry) => {
        codes.delete(codeKey(entry.system, entry.code));
      });
    }
    return codes;
  }

  /** Calls `emit` with each code of one include (or exclude). */
  private async gather(include: ComposeInclude, label: string, stack: readonly string[], emit: (entry: ExpandedCode) => void): Promise<void> {
    const imported: Codes[] = [];
    for (const canonical of include.valueSet ?? []) {
      const { url, version } = splitCanonical(canonical);
      const valueSet = await this.source.valueSet(url, version);
      if (!valueSet) throw fail('terminology.import-unknown', { valueSet: label, url: canonical });
      imported.push(await this.importedCodes(valueSet, stack));
    }
    const inAllImported = (entry: ExpandedCode): boolean => imported.every((set) => set.has(codeKey(entry.system, entry.code)));
    if (include.system === undefined) {
      const [first] = imported;
      this.budget.spend((first?.size ?? 0) * imported.length, label);
      for (const entry of first?.values() ?? []) if (inAllImported(entry)) emit(entry);
      return;
    }
    const system = include.system;
    const index = await this.source.codeSystem(system, include.version);
    const emitIfImported = (entry: ExpandedCode): void => {
      if (inAllImported(entry)) emit(entry);
    };
    if (include.concept !== undefined) {
      this.budget.spend(include.concept.length * (1 + imported.length), label);
      this.listed(include, index, emitIfImported);
      return;
    }
    if (!index) throw fail('terminology.expansion-system-unknown', { valueSet: label, system: canonicalText(system, include.version) });
    this.budget.spend(index.size * (1 + imported.length), label);
    const selected = compileFilters(index, include.filter ?? [], { valueSet: label, budget: this.budget });
    for (const concept of index.all()) {
      if (selected(concept)) emitIfImported(conceptEntry(index, concept, this.entryOptions));
    }
  }

  /** Codes an include lists one by one; one a held code system does not define is not a code, and is left out. */
  private listed(include: ComposeInclude, index: CodeSystemIndex | undefined, emit: (entry: ExpandedCode) => void): void {
    for (const listed of include.concept ?? []) {
      if (typeof listed.code !== 'string') continue;
      if (!index) {
        emit(listedEntry(include.system as string, include.version, { ...listed, code: listed.code }, this.entryOptions));
        continue;
      }
      const concept = index.get(listed.code);
      if (concept) emit(conceptEntry(index, concept, this.entryOptions, listed));
    }
  }
}
