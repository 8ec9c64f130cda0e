/**
 * The rules of contained resources (http://hl7.org/fhir/R4/references.html#contained
 * and the dom-2…dom-5 invariants of http://hl7.org/fhir/R4/domainresource.html),
 * checked natively: as FHIRPath, dom-3 walks every descendant of the resource.
 */
import { isObject } from './json-values.js';

/** The invariants' own words, as DomainResource states them. */
export const DOM_RULES = {
  'dom-2': 'If the resource is contained in another resource, it SHALL NOT contain nested Resources',
  'dom-3': 'If the resource is contained in another resource, it SHALL be referred to from elsewhere in the resource or SHALL refer to the containing resource',
  'dom-4': 'If a resource is contained in another resource, it SHALL NOT have a meta.versionId or a meta.lastUpdated',
  'dom-5': 'If a resource is contained in another resource, it SHALL NOT have a security label',
} as const;

export type DomRule = keyof typeof DOM_RULES;

/** A contained resource, as its container sees it once walked. */
export interface ContainedEntry {
  readonly id: string | undefined;
  readonly path: string;
  /** The local references ("#x", "#") found inside it. */
  readonly references: ReadonlySet<string> | undefined;
}


/** The rules a contained resource breaks by its own content (dom-2, dom-4, dom-5). */
export function containedContentViolations(resource: Record<string, unknown>): DomRule[] {
  const broken: DomRule[] = [];
  if (resource.contained !== undefined) broken.push('dom-2');
  const meta = resource.meta;
  if (isObject(meta)) {
    if (meta.versionId !== undefined || meta.lastUpdated !== undefined) broken.push('dom-4');
    if (meta.security !== undefined) broken.push('dom-5');
  }
  return broken;
}

/**
 * The contained resources nobody refers to (dom-3): a contained resource must
 * be referenced as "#id" from the container outside `contained` or from
 * another contained resource, or itself refer to the container as "#".
 */
export function unreferenced(containerReferences: ReadonlySet<string> | undefined, contained: readonly ContainedEntry[]): ContainedEntry[] {
  return contained.filter((entry) => {
    if (entry.id === undefined) return false;
    if (entry.references?.has('#')) return false;
    const target = `#${entry.id}`;
    if (containerReferences?.has(target)) return false;
    return !contained.some((other) => other !== entry && other.references?.has(target));
  });
}
