/**
 * The parts of a StructureDefinition (http://hl7.org/fhir/R4/structuredefinition.html)
 * and of its ElementDefinitions (elementdefinition.html) that profile
 * validation reads, as they are in JSON. Everything is optional: a stored
 * StructureDefinition passed base validation, nothing more.
 */
export interface ElementType {
  readonly code?: string;
  readonly profile?: readonly string[];
  readonly targetProfile?: readonly string[];
}

export interface Discriminator {
  readonly type?: string;
  readonly path?: string;
}

export interface Slicing {
  readonly discriminator?: readonly Discriminator[];
  readonly ordered?: boolean;
  readonly rules?: string;
}

export interface ElementConstraint {
  readonly key?: string;
  readonly severity?: string;
  readonly human?: string;
  readonly expression?: string;
}

export interface SnapshotElement {
  readonly id?: string;
  readonly path?: string;
  readonly sliceName?: string;
  readonly min?: number;
  readonly max?: string;
  readonly type?: readonly ElementType[];
  readonly slicing?: Slicing;
  readonly binding?: { readonly strength?: string; readonly valueSet?: string };
  readonly constraint?: readonly ElementConstraint[];
  readonly contentReference?: string;
  /** fixed[x] and pattern[x] are read by their JSON names (fixedUri, patternCodeableConcept…). */
  readonly [key: string]: unknown;
}

export interface StructureDefinitionJson {
  readonly resourceType?: string;
  readonly id?: string;
  readonly url?: string;
  readonly version?: string;
  readonly name?: string;
  readonly kind?: string;
  readonly type?: string;
  readonly derivation?: string;
  readonly baseDefinition?: string;
  readonly snapshot?: { readonly element?: readonly SnapshotElement[] };
}
