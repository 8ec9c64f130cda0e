/**
 * A CodeSystem's concepts indexed for terminology operations
 * (http://hl7.org/fhir/R4/codesystem.html): by code, in document order, with
 * the hierarchy from both ways R4 writes it, nested `concept` elements and
 * the `parent`/`child` properties (codesystem-concept-properties.html), so
 * that subsumption (is-a, descendent-of, $subsumes, :below) reads one graph.
 * Codes are compared as written unless CodeSystem.caseSensitive is false.
 */
import type { CodeSystemResource, ConceptDefinition, ConceptProperty } from './types.js';

export interface IndexedConcept {
  readonly code: string;
  readonly definition: ConceptDefinition;
  readonly parents: Set<string>;
  readonly children: Set<string>;
}

/** The value of a concept property, whatever its value[x]. */
export function propertyValue(property: ConceptProperty): string | number | boolean | undefined {
  return property.valueCode ?? property.valueCoding?.code ?? property.valueString ?? property.valueInteger
    ?? property.valueBoolean ?? property.valueDateTime ?? property.valueDecimal;
}

/** The value[x] element of a property, for outputs that repeat it as it is. */
export function propertyValueElement(property: ConceptProperty): Record<string, unknown> {
  const key = Object.keys(property).find((k) => k.startsWith('value'));
  return key === undefined ? {} : { [key]: (property as Record<string, unknown>)[key] };
}

export class CodeSystemIndex {
  private readonly byCode = new Map<string, IndexedConcept>();
  private readonly folded: Map<string, IndexedConcept> | undefined;
  private readonly descendantCache = new Map<string, ReadonlySet<string>>();

  constructor(readonly resource: CodeSystemResource) {
    this.collect(resource.concept ?? [], undefined);
    this.linkProperties();
    if (resource.caseSensitive === false) {
      this.folded = new Map([...this.byCode.values()].map((c) => [c.code.toLowerCase(), c]));
    }
  }

  get url(): string {
    return this.resource.url ?? '';
  }

  get version(): string | undefined {
    return this.resource.version;
  }

  get size(): number {
    return this.byCode.size;
  }

  /** The concept of `code`, folding case when the code system says codes are not case-sensitive. */
  get(code: string): IndexedConcept | undefined {
    return this.byCode.get(code) ?? this.folded?.get(code.toLowerCase());
  }

  /** Every concept, in the order the CodeSystem lists them (depth first). */
  all(): IterableIterator<IndexedConcept> {
    return this.byCode.values();
  }

  /** The codes below `code`, not itself (transitively; cycles in bad data end the walk). */
  descendants(code: string): ReadonlySet<string> {
    const concept = this.get(code);
    if (!concept) return new Set();
    const cached = this.descendantCache.get(concept.code);
    if (cached) return cached;
    const found = this.walk(concept, (c) => c.children);
    this.descendantCache.set(concept.code, found);
    return found;
  }

  /** The codes above `code`, not itself. */
  ancestors(code: string): ReadonlySet<string> {
    const concept = this.get(code);
    return concept ? this.walk(concept, (c) => c.parents) : new Set();
  }

  /** Whether `ancestor` subsumes `code` (is it or lies above it). */
  subsumes(ancestor: string, code: string): boolean {
    const a = this.get(ancestor);
    const b = this.get(code);
    if (!a || !b) return false;
    return a.code === b.code || this.ancestors(b.code).has(a.code);
  }

  /** The values of a concept's property `name`. */
  properties(concept: IndexedConcept, name: string): ConceptProperty[] {
    return (concept.definition.property ?? []).filter((p) => p.code === name);
  }

  /**
   * Inactive concepts (codesystem-concept-properties.html: inactive; HL7's
   * code systems mark them with status = retired). A deprecated concept is
   * still active.
   */
  isInactive(concept: IndexedConcept): boolean {
    return (concept.definition.property ?? []).some((p) =>
      (p.code === 'inactive' && p.valueBoolean === true) || (p.code === 'status' && (p.valueCode === 'retired' || p.valueCode === 'inactive')));
  }

  /** Concepts for grouping only (notSelectable, and the `abstract` some HL7 code systems use). */
  isAbstract(concept: IndexedConcept): boolean {
    return (concept.definition.property ?? []).some((p) => (p.code === 'notSelectable' || p.code === 'abstract') && p.valueBoolean === true);
  }

  private collect(concepts: readonly ConceptDefinition[], parent: IndexedConcept | undefined): void {
    for (const definition of concepts) {
      if (typeof definition.code !== 'string' || definition.code === '') continue;
      let concept = this.byCode.get(definition.code);
      if (!concept) {
        concept = { code: definition.code, definition, parents: new Set(), children: new Set() };
        this.byCode.set(definition.code, concept);
      }
      if (parent) {
        concept.parents.add(parent.code);
        parent.children.add(concept.code);
      }
      this.collect(definition.concept ?? [], concept);
    }
  }

  private linkProperties(): void {
    for (const concept of this.byCode.values()) {
      for (const property of concept.definition.property ?? []) {
        const other = property.valueCode ?? property.valueCoding?.code;
        if (other === undefined || other === concept.code) continue;
        const related = this.byCode.get(other);
        if (!related) continue;
        if (property.code === 'parent') {
          concept.parents.add(related.code);
          related.children.add(concept.code);
        } else if (property.code === 'child') {
          concept.children.add(related.code);
          related.parents.add(concept.code);
        }
      }
    }
  }

  private walk(start: IndexedConcept, next: (c: IndexedConcept) => Set<string>): Set<string> {
    const found = new Set<string>();
    const stack = [...next(start)];
    while (stack.length > 0) {
      const code = stack.pop() as string;
      if (found.has(code) || code === start.code) continue;
      found.add(code);
      const concept = this.byCode.get(code);
      if (concept) stack.push(...next(concept));
    }
    return found;
  }
}
