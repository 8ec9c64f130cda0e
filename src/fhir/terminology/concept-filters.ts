/**
 * ValueSet.compose.include.filter on a code system
 * (http://hl7.org/fhir/R4/valueset-definitions.html#ValueSet.compose.include.filter,
 * operators: valueset-filter-operator.html): each filter becomes a predicate
 * on the code system's concepts; an include's filters all apply (AND).
 *
 * Properties: `concept` (and `code`) is the concept itself, so `is-a`,
 * `descendent-of`, `is-not-a` and `generalizes` follow the hierarchy
 * (code-system-index.ts); `parent` and `child` are the direct links; `display`
 * the concept's display; any other name a property the concepts carry
 * (`=`, `in`, `not-in`, `regex`, `exists` compare its values as text).
 * A regex must match the whole value (as XML Schema patterns do) and be
 * simple (simple-regex.ts: no repeated group holding an alternation, a
 * repetition or a class, no back-reference); anything else is refused as
 * unsupported rather than risk blocking the server, and a value on which the
 * pattern has too many ways to match (MAX_REGEX_PATHS) is refused as too
 * costly rather than tested.
 */
import { fail } from '../../core/errors.js';
import { propertyValue, type CodeSystemIndex, type IndexedConcept } from './code-system-index.js';
import { simpleRegex } from './simple-regex.js';
import type { ValueSetFilter } from './types.js';
import type { WorkBudget } from './work-budget.js';

export type ConceptPredicate = (concept: IndexedConcept) => boolean;

/** Where a filter sits, for the error naming it; the request's budget, which a regex spends. */
export interface FilterContext {
  readonly valueSet: string;
  readonly budget?: WorkBudget;
}

/**
 * The ways a regex may have to match one value before it is refused: V8
 * tries them one by one, and 100,000 of them take about a quarter of a
 * millisecond (`.*.*#` on 315 characters, 16 groups `(?:.|.)`).
 */
export const MAX_REGEX_PATHS = 100_000;

/** Ways of a regex per unit of work (WorkBudget): 100,000 of them cost about as much as reading 400 concepts. */
const REGEX_PATHS_PER_UNIT = 256;

function isConceptProperty(property: string): boolean {
  return property === 'concept' || property === 'code';
}

/** The values a filter compares for `property` on a concept, as text. */
function valuesOf(index: CodeSystemIndex, concept: IndexedConcept, property: string): string[] {
  if (isConceptProperty(property)) return [concept.code];
  if (property === 'display') return concept.definition.display === undefined ? [] : [concept.definition.display];
  if (property === 'parent') return [...concept.parents];
  if (property === 'child') return [...concept.children];
  return index.properties(concept, property).map(propertyValue).filter((v) => v !== undefined).map(String);
}

/** The predicate of one filter; throws terminology.filter-unsupported for what it cannot evaluate. */
export function compileFilter(index: CodeSystemIndex, filter: ValueSetFilter, context: FilterContext): ConceptPredicate {
  const property = filter.property ?? '';
  const op = filter.op ?? '';
  const value = filter.value ?? '';
  const unsupported = (): never => {
    throw fail('terminology.filter-unsupported', { valueSet: context.valueSet, property, op, value, system: index.url });
  };
  const hierarchical = (): void => {
    if (!isConceptProperty(property)) unsupported();
  };
  switch (op) {
    case 'is-a': {
      hierarchical();
      const root = index.get(value);
      if (!root) return () => false;
      const below = index.descendants(root.code);
      return (c) => c.code === root.code || below.has(c.code);
    }
    case 'descendent-of': {
      hierarchical();
      const below = index.descendants(value);
      return (c) => below.has(c.code);
    }
    case 'is-not-a': {
      hierarchical();
      const root = index.get(value);
      if (!root) return () => true;
      const below = index.descendants(root.code);
      return (c) => c.code !== root.code && !below.has(c.code);
    }
    case 'generalizes': {
      hierarchical();
      const start = index.get(value);
      if (!start) return () => false;
      const above = index.ancestors(start.code);
      return (c) => c.code === start.code || above.has(c.code);
    }
    case '=':
      if (isConceptProperty(property)) {
        const concept = index.get(value);
        return (c) => c === concept;
      }
      return (c) => valuesOf(index, c, property).includes(value);
    case 'in':
    case 'not-in': {
      const wanted = new Set(value.split(',').map((v) => v.trim()).filter((v) => v !== ''));
      const codes = isConceptProperty(property) ? new Set([...wanted].map((v) => index.get(v)?.code ?? v)) : wanted;
      const inList: ConceptPredicate = (c) => valuesOf(index, c, property).some((v) => codes.has(v));
      return op === 'in' ? inList : (c) => !inList(c);
    }
    case 'regex': {
      const pattern = simpleRegex(value);
      if (!pattern) return unsupported();
      const test = (text: string): boolean => {
        const paths = pattern.paths(text.length);
        if (paths > MAX_REGEX_PATHS) {
          throw fail('terminology.filter-regex-costly', { valueSet: context.valueSet, property, value, length: text.length, system: index.url });
        }
        context.budget?.spend(Math.ceil(paths / REGEX_PATHS_PER_UNIT), context.valueSet);
        return pattern.test(text);
      };
      return (c) => valuesOf(index, c, property).some(test);
    }
    case 'exists': {
      if (value !== 'true' && value !== 'false') return unsupported();
      const wanted = value === 'true';
      return (c) => (valuesOf(index, c, property).length > 0) === wanted;
    }
    default:
      return unsupported();
  }
}

/** All filters of an include, as one predicate (AND). */
export function compileFilters(index: CodeSystemIndex, filters: readonly ValueSetFilter[], context: FilterContext): ConceptPredicate {
  const predicates = filters.map((f) => compileFilter(index, f, context));
  return (concept) => predicates.every((p) => p(concept));
}
