/**
 * The parts of the R4 terminology resources this folder reads
 * (codesystem.html, valueset.html, conceptmap.html), as plain JSON shapes.
 * Everything is optional: stored resources were validated on write, inline
 * ones (a POSTed valueSet) by the Parameters they came in, but code must still
 * not trust an element to be there.
 */

export type Json = Record<string, unknown>;

export interface Coding {
  readonly system?: string;
  readonly version?: string;
  readonly code?: string;
  readonly display?: string;
}

export interface CodeableConcept {
  readonly coding?: readonly Coding[];
  readonly text?: string;
}

export interface Designation {
  readonly language?: string;
  readonly use?: Coding;
  readonly value?: string;
}

/** CodeSystem.concept.property: value[x] is one of code, Coding, string, integer, boolean, dateTime, decimal. */
export interface ConceptProperty {
  readonly code?: string;
  readonly valueCode?: string;
  readonly valueCoding?: Coding;
  readonly valueString?: string;
  readonly valueInteger?: number;
  readonly valueBoolean?: boolean;
  readonly valueDateTime?: string;
  readonly valueDecimal?: number;
}

export interface ConceptDefinition {
  readonly code?: string;
  readonly display?: string;
  readonly definition?: string;
  readonly designation?: readonly Designation[];
  readonly property?: readonly ConceptProperty[];
  readonly concept?: readonly ConceptDefinition[];
}

export interface CodeSystemResource {
  readonly resourceType: 'CodeSystem';
  readonly id?: string;
  readonly url?: string;
  readonly version?: string;
  readonly name?: string;
  readonly title?: string;
  readonly status?: string;
  readonly caseSensitive?: boolean;
  readonly hierarchyMeaning?: string;
  /** not-present | example | fragment | complete | supplement */
  readonly content?: string;
  readonly concept?: readonly ConceptDefinition[];
}

export interface ValueSetFilter {
  readonly property?: string;
  readonly op?: string;
  readonly value?: string;
}

export interface ComposeConcept {
  readonly code?: string;
  readonly display?: string;
  readonly designation?: readonly Designation[];
}

export interface ComposeInclude {
  readonly system?: string;
  readonly version?: string;
  readonly concept?: readonly ComposeConcept[];
  readonly filter?: readonly ValueSetFilter[];
  readonly valueSet?: readonly string[];
}

export interface ValueSetResource {
  readonly resourceType: 'ValueSet';
  readonly id?: string;
  readonly url?: string;
  readonly version?: string;
  readonly name?: string;
  readonly title?: string;
  readonly status?: string;
  readonly compose?: {
    readonly inactive?: boolean;
    readonly include?: readonly ComposeInclude[];
    readonly exclude?: readonly ComposeInclude[];
  };
}

export interface ConceptMapTarget {
  readonly code?: string;
  readonly display?: string;
  readonly equivalence?: string;
  readonly comment?: string;
}

export interface ConceptMapGroup {
  readonly source?: string;
  readonly sourceVersion?: string;
  readonly target?: string;
  readonly targetVersion?: string;
  readonly element?: readonly { readonly code?: string; readonly display?: string; readonly target?: readonly ConceptMapTarget[] }[];
  /** provided | fixed | other-map: what a source code without an element maps to. */
  readonly unmapped?: { readonly mode?: string; readonly code?: string; readonly display?: string; readonly url?: string };
}

export interface ConceptMapResource {
  readonly resourceType: 'ConceptMap';
  readonly id?: string;
  readonly url?: string;
  readonly version?: string;
  readonly experimental?: boolean;
  readonly sourceUri?: string;
  readonly sourceCanonical?: string;
  readonly targetUri?: string;
  readonly targetCanonical?: string;
  readonly group?: readonly ConceptMapGroup[];
}

export type TerminologyResource = CodeSystemResource | ValueSetResource | ConceptMapResource;
export type TerminologyType = TerminologyResource['resourceType'];

export { splitCanonical } from '../../core/canonical.js';

/** "url" or "url|version", for messages and keys. */
export function canonicalText(url: string, version?: string): string {
  return version === undefined ? url : `${url}|${version}`;
}
