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

/** The code asked about, and the version of its code system when the caller gave one. */
interface Wanted {
  readonly system: string;
  readonly code: string;
  readonly version?: string;
}

export class ValueSetMembership {
  /** Answers for imported value sets, by label (url|version), system and code. */
  private readonly answers = new Map<string, Membership>();

  constructor(
    private readonly source: TerminologySource, private readonly options: PresentationOptions = {}, private readonly budget = new WorkBudget(),
  ) {}

  /**
   * Whether `code` of `system` is in `valueSet`. With `version` (the code's
   * systemVersion), it is looked up in that version of the code system, and
   * an include pinned to another version does not hold it.
   */
  check(valueSet: ValueSetResource, system: string, code: string, version?: string): Promise<Membership> {
    return this.checkIn(valueSet, { system, code, ...(version !== undefined ? { version } : {}) }, []);
  }

  private async checkIn(valueSet: ValueSetResource, wanted: Wanted, stack: readonly string[]): Promise<Membership> {
    const { system, code } = wanted;
    const label = valueSetLabel(valueSet);
    // A cycle first: a value set being checked is on the stack, its answer not yet remembered.
    if (stack.includes(label) || stack.length >= MAX_IMPORT_DEPTH) throw fail('terminology.value-set-cycle', { url: label });
    this.budget.spend(1, label);
    const key = stack.length > 0 ? `${label} ${system}|${wanted.version ?? ''}|${code}` : undefined;
    const known = key === undefined ? undefined : this.answers.get(key);
    if (known) return known;
    const answer = await this.decide(valueSet, label, wanted, [...stack, label]);
    if (key !== undefined) this.answers.set(key, answer);
    return answer;
  }

  private async decide(valueSet: ValueSetResource, label: string, wanted: Wanted, inner: readonly string[]): Promise<Membership> {
    let result: Membership = ABSENT;
    for (const include of valueSet.compose?.include ?? []) {
      const found = await this.inInclude(include, wanted, inner, label);
      if (found.kind === 'member') {
        result = found;
        break;
      }
      if (found.kind === 'unknown-system') result = found;
    }
    if (result.kind !== 'member') return result;
    if (valueSet.compose?.inactive === false && result.entry.inactive) return ABSENT;
    for (const exclude of valueSet.compose?.exclude ?? []) {
      if ((await this.inInclude(exclude, wanted, inner, label)).kind === 'member') return ABSENT;
    }
    return result;
  }

  private async inInclude(include: ComposeInclude, wanted: Wanted, stack: readonly string[], label: string): Promise<Membership> {
    let found: Membership | undefined;
    if (include.system !== undefined) {
      if (include.system !== wanted.system) return ABSENT;
      // An include of one version of a code system does not hold the codes of another.
      if (include.version !== undefined && wanted.version !== undefined && include.version !== wanted.version) return ABSENT;
      found = await this.inCodeSystem(include, wanted, label);
      if (found.kind !== 'member') return found;
    }
    for (const canonical of include.valueSet ?? []) {
      const { url, version } = splitCanonical(canonical);
      const imported = await this.source.valueSet(url, version);
      if (!imported) throw fail('terminology.import-unknown', { valueSet: label, url: canonical });
      const inImported = await this.checkIn(imported, wanted, stack);
      if (inImported.kind !== 'member') return inImported;
      found ??= inImported;
    }
    return found ?? ABSENT;
  }

  private async inCodeSystem(include: ComposeInclude, wanted: Wanted, label: string): Promise<Membership> {
    const { system, code } = wanted;
    const version = include.version ?? wanted.version;
    const index = await this.source.codeSystem(system, version);
    // A version of a code system held here in others: the code cannot be checked in it, even when listed.
    if (!index && include.version === undefined && wanted.version !== undefined && await this.source.codeSystem(system)) {
      return { kind: 'unknown-system', system: canonicalText(system, version) };
    }
    if (include.concept !== undefined) {
      this.budget.spend(include.concept.length, label);
      const defined = index?.get(code)?.code ?? code;
      const listed = include.concept.find((c) => c.code === defined || c.code === code);
      if (!listed || typeof listed.code !== 'string') return ABSENT;
      if (!index) return { kind: 'member', entry: listedEntry(system, version, { ...listed, code: listed.code }, this.options) };
      const concept = index.get(listed.code);
      return concept ? { kind: 'member', entry: conceptEntry(index, concept, this.options, listed) } : ABSENT;
    }
    if (!index) return { kind: 'unknown-system', system: canonicalText(system, version) };
    const concept = index.get(code);
    if (!concept) return ABSENT;
    const selected = compileFilters(index, include.filter ?? [], { valueSet: label, budget: this.budget });
    return selected(concept) ? { kind: 'member', entry: conceptEntry(index, concept, this.options) } : ABSENT;
  }
}
