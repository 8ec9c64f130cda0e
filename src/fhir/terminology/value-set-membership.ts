/**
 * Whether one code is in a ValueSet, by the rules of its definition
 * (valueset.html#compositions, as expand-value-set.ts applies them) but
 * without enumerating it: $validate-code on a value set that includes a large
 * code system whole must not cost its expansion. The answer for an imported
 * value set is remembered per code, so that repeated imports cost one check
 * (see expand-value-set.ts), within the request's WorkBudget.
 */
import { fail } from '../../core/errors.js';
import { compileFilters } from './concept-filters.js';
import { conceptEntry, listedEntry, type ExpandedCode, type PresentationOptions } from './expanded-code.js';
import { valueSetLabel } from './expand-value-set.js';
import type { TerminologySource } from './terminology-source.js';
import { canonicalText, splitCanonical, type ComposeInclude, type ValueSetResource } from './types.js';
import { WorkBudget } from './work-budget.js';

const MAX_IMPORT_DEPTH = 16;

export type Membership =
  | { readonly kind: 'member'; readonly entry: ExpandedCode }
  | { readonly kind: 'absent' }
  /** The code system is needed to decide and Socle does not hold it. */
  | { readonly kind: 'unknown-system'; readonly system: string };

const ABSENT: Membership = { kind: 'absent' };

export class ValueSetMembership {
  /** Answers for imported value sets, by label (url|version), system and code. */
  private readonly answers = new Map<string, Membership>();

  constructor(
    private readonly source: TerminologySource, private readonly options: PresentationOptions = {}, private readonly budget = new WorkBudget(),
  ) {}

  async check(valueSet: ValueSetResource, system: string, code: string, stack: readonly string[] = []): Promise<Membership> {
    const label = valueSetLabel(valueSet);
    // A cycle first: a value set being checked is on the stack, its answer not yet remembered.
    if (stack.includes(label) || stack.length >= MAX_IMPORT_DEPTH) throw fail('terminology.value-set-cycle', { url: label });
    this.budget.spend(1, label);
    const key = stack.length > 0 ? `${label} ${system}|${code}` : undefined;
    const known = key === undefined ? undefined : this.answers.get(key);
    if (known) return known;
    const answer = await this.decide(valueSet, label, system, code, [...stack, label]);
    if (key !== undefined) this.answers.set(key, answer);
    return answer;
  }

  private async decide(valueSet: ValueSetResource, label: string, system: string, code: string, inner: readonly string[]): Promise<Membership> {
    let result: Membership = ABSENT;
    for (const include of valueSet.compose?.include ?? []) {
      const found = await this.inInclude(include, system, code, inner, label);
      if (found.kind === 'member') {
        result = found;
        break;
      }
      if (found.kind === 'unknown-system') result = found;
    }
    if (result.kind !== 'member') return result;
    if (valueSet.compose?.inactive === false && result.entry.inactive) return ABSENT;
    for (const exclude of valueSet.compose?.exclude ?? []) {
      if ((await this.inInclude(exclude, system, code, inner, label)).kind === 'member') return ABSENT;
    }
    return result;
  }

  private async inInclude(include: ComposeInclude, system: string, code: string, stack: readonly string[], label: string): Promise<Membership> {
    let found: Membership | undefined;
    if (include.system !== undefined) {
      if (include.system !== system) return ABSENT;
      found = await this.inCodeSystem(include, system, code, label);
      if (found.kind !== 'member') return found;
    }
    for (const canonical of include.valueSet ?? []) {
      const { url, version } = splitCanonical(canonical);
      const imported = await this.source.valueSet(url, version);
      if (!imported) throw fail('terminology.import-unknown', { valueSet: label, url: canonical });
      const inImported = await this.check(imported, system, code, stack);
      if (inImported.kind !== 'member') return inImported;
      found ??= inImported;
    }
    return found ?? ABSENT;
  }

  private async inCodeSystem(include: ComposeInclude, system: string, code: string, label: string): Promise<Membership> {
    const index = await this.source.codeSystem(system, include.version);
    if (include.concept !== undefined) {
      this.budget.spend(include.concept.length, label);
      const wanted = index?.get(code)?.code ?? code;
      const listed = include.concept.find((c) => c.code === wanted || c.code === code);
      if (!listed || typeof listed.code !== 'string') return ABSENT;
      if (!index) return { kind: 'member', entry: listedEntry(system, include.version, { ...listed, code: listed.code }, this.options) };
      const concept = index.get(listed.code);
      return concept ? { kind: 'member', entry: conceptEntry(index, concept, this.options, listed) } : ABSENT;
    }
    if (!index) return { kind: 'unknown-system', system: canonicalText(system, include.version) };
    const concept = index.get(code);
    if (!concept) return ABSENT;
    const selected = compileFilters(index, include.filter ?? [], { valueSet: label, budget: this.budget });
    return selected(concept) ? { kind: 'member', entry: conceptEntry(index, concept, this.options) } : ABSENT;
  }
}
