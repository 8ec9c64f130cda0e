/**
 * The compact model of FHIR R4 that Socle runs on, compiled once from the
 * official R4 definitions (StructureDefinitions, SearchParameters, ValueSets and
 * the Patient CompartmentDefinition of FHIR 4.0.1) by compile-model.ts.
 * Everything type-specific in Socle (validation, indexing, search, the
 * CapabilityStatement) is driven by this model, never hand-written per type.
 */

export interface FhirModel {
  readonly fhirVersion: string;
  /** Concrete resource types, sorted. */
  readonly resourceTypes: readonly string[];
  /** Complex datatypes, resources and backbone elements, keyed by name or path ("Patient.contact"). */
  readonly types: Readonly<Record<string, TypeDefinition>>;
  readonly primitives: Readonly<Record<string, PrimitiveDefinition>>;
  readonly searchParameters: readonly SearchParameterDefinition[];
  /** CompartmentDefinition Patient: resource type to the search parameters linking it to the patient. */
  readonly patientCompartment: Readonly<Record<string, readonly string[]>>;
  /** Code sets of the value sets used by required bindings, keyed by canonical URL (without version). */
  readonly valueSets: Readonly<Record<string, ValueSetCodes>>;
}

export type TypeKind = 'complex-type' | 'resource' | 'backbone';

export interface TypeDefinition {
  readonly name: string;
  readonly kind: TypeKind;
  readonly abstract?: boolean;
  /** Elements by JSON name; a choice element is keyed by its stem ("value" for value[x]). */
  readonly elements: Readonly<Record<string, ElementDefinition>>;
  /** Invariants declared on the type's root element (ele-1 and ext-1 are checked natively). */
  readonly constraints?: readonly Constraint[];
}

export interface ElementDefinition {
  /** Path in the definitions, e.g. Observation.value[x] */
  readonly path: string;
  readonly min: number;
  /** Maximum cardinality; -1 means unbounded (*). */
  readonly max: number;
  /** Type codes: primitive names, complex type names, 'Resource', or a backbone path. */
  readonly types: readonly string[];
  /** Allowed target types of a Reference or canonical, when the definitions restrict them. */
  readonly targets?: readonly string[];
  readonly choice?: boolean;
  readonly summary?: boolean;
  readonly modifier?: boolean;
  readonly binding?: { readonly strength: 'required'; readonly valueSet: string };
  readonly constraints?: readonly Constraint[];
}

export interface Constraint {
  readonly key: string;
  readonly severity: 'error' | 'warning';
  readonly human: string;
  readonly expression: string;
}

export interface PrimitiveDefinition {
  readonly name: string;
  /** How the value is written in JSON. */
  readonly json: 'string' | 'boolean' | 'number';
  /** The regex of the definitions, anchored, when they give one. */
  readonly regex?: string;
}

export type SearchParamType = 'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';

export interface SearchParameterDefinition {
  readonly url: string;
  readonly code: string;
  readonly base: readonly string[];
  readonly type: SearchParamType;
  readonly expression?: string;
  readonly description?: string;
  readonly target?: readonly string[];
  readonly modifier?: readonly string[];
  readonly comparator?: readonly string[];
  readonly multipleOr?: boolean;
  readonly multipleAnd?: boolean;
  readonly component?: readonly { readonly definition: string; readonly expression: string }[];
}

export interface ValueSetCodes {
  /** False when the value set could not be fully expanded offline (then it is not enforced). */
  readonly complete: boolean;
  /** Pairs of [system, code]. */
  readonly codes: readonly (readonly [string, string])[];
}

/** Primitive type names of R4. */
export const PRIMITIVE_TYPES: readonly string[] = [
  'base64Binary', 'boolean', 'canonical', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer',
  'markdown', 'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'url', 'uuid', 'xhtml',
];
