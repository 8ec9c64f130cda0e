/**
 * A StructureDefinition's snapshot (http://hl7.org/fhir/R4/profiling.html#snapshot)
 * turned into a tree the validator walks: each element under its parent by
 * `ElementDefinition.id`, each slice (`id` ending in `:sliceName`) under the
 * element that declares the slicing. Nothing is written per profile: the tree
 * is all the validator knows of one.
 */
import type { Constraint } from '../../definitions/model.js';
import type { FhirSchema } from '../../definitions/schema.js';
import { boundedExpression } from './bounded-constraints.js';
import type { ElementType, SnapshotElement, Slicing, StructureDefinitionJson } from './types.js';

export interface FixedValue {
  /** fixed: exactly equal; pattern: the instance holds at least what the pattern holds (elementdefinition-definitions.html#ElementDefinition.pattern_x_). */
  readonly kind: 'fixed' | 'pattern';
  /** The JSON name it was given under (fixedUri, patternCodeableConcept), for messages. */
  readonly key: string;
  readonly value: unknown;
}

export interface ElementNode {
  readonly id: string;
  readonly path: string;
  /** The last segment of the path: "category", "value[x]". */
  readonly name: string;
  readonly sliceName: string | undefined;
  readonly element: SnapshotElement;
  readonly min: number;
  /** Infinity for "*". */
  readonly max: number;
  readonly typeCodes: readonly string[];
  readonly value: FixedValue | undefined;
  /** The profile's own error invariants: those the base definitions already hold (same key and expression) are left out. */
  readonly constraints: readonly Constraint[];
  readonly children: ElementNode[];
  readonly slices: ElementNode[];
  readonly slicing: Slicing | undefined;
}

export interface CompiledProfile {
  readonly url: string;
  readonly version: string | undefined;
  /** The type it constrains (ElementDefinition.path of its root): Observation, Extension, Quantity. */
  readonly type: string;
  readonly root: ElementNode;
  /** Constructs found in the snapshot the validator does not check (re-slicing…): said as issues, never passed over in silence. */
  readonly unsupported: readonly { readonly construct: string; readonly at: string }[];
}

/**
 * Invariants the base validator checks natively rather than from the model
 * (validator.ts, contained.ts), as HL7's snapshots repeat them on every element.
 */
const NATIVE_CONSTRAINTS: readonly (readonly [string, string])[] = [
  ['ele-1', 'hasValue() or (children().count() > id.count())'],
  ['ext-1', 'extension.exists() != value.exists()'],
  ['dom-2', 'contained.contained.empty()'],
  ['dom-4', 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()'],
  ['dom-5', 'contained.meta.security.empty()'],
];

const baseConstraintSets = new WeakMap<FhirSchema, ReadonlySet<string>>();

/** key + expression of every invariant the base validation evaluates. */
function baseConstraints(schema: FhirSchema): ReadonlySet<string> {
  let set = baseConstraintSets.get(schema);
  if (!set) {
    const keys = new Set<string>(NATIVE_CONSTRAINTS.map(([key, expression]) => `${key}\u0000${expression}`));
    for (const type of Object.values(schema.model.types)) {
      for (const c of type.constraints ?? []) keys.add(`${c.key}\u0000${c.expression}`);
      for (const element of Object.values(type.elements)) for (const c of element.constraints ?? []) keys.add(`${c.key}\u0000${c.expression}`);
    }
    set = keys;
    baseConstraintSets.set(schema, set);
  }
  return set;
}

function fixedValue(element: SnapshotElement): FixedValue | undefined {
  for (const key of Object.keys(element)) {
    if (key.startsWith('fixed') && key.length > 5) return { kind: 'fixed', key, value: element[key] };
    if (key.startsWith('pattern') && key.length > 7) return { kind: 'pattern', key, value: element[key] };
  }
  return undefined;
}

function maxOf(max: string | undefined): number {
  if (max === undefined || max === '*') return Infinity;
  const value = Number(max);
  return Number.isInteger(value) && value >= 0 ? value : Infinity;
}

function ownConstraints(element: SnapshotElement, base: ReadonlySet<string>, dom3: boolean): Constraint[] {
  const list: Constraint[] = [];
  for (const c of element.constraint ?? []) {
    if (c.severity !== 'error' || typeof c.key !== 'string' || typeof c.expression !== 'string') continue;
    // dom-3's expression differs between HL7's files (trace()); contained.ts checks it whatever it says.
    if (base.has(`${c.key}\u0000${c.expression}`) || (dom3 && c.key === 'dom-3')) continue;
    list.push({ key: c.key, severity: 'error', human: typeof c.human === 'string' ? c.human : c.key, expression: c.expression });
  }
  return list;
}

export interface CompileOptions {
  /**
   * A definition stored on this server (anyone's writing): its invariants run
   * only within bounded FHIRPath (bounded-constraints.ts), the others are
   * listed as unsupported. HL7's definitions are trusted.
   */
  readonly stored?: boolean;
}

/** The compiled tree of a StructureDefinition with a snapshot; undefined when it has none. */
export function compileProfile(schema: FhirSchema, definition: StructureDefinitionJson, options: CompileOptions = {}): CompiledProfile | undefined {
  const elements = definition.snapshot?.element;
  if (!Array.isArray(elements) || elements.length === 0) return undefined;
  const base = baseConstraints(schema);
  const byId = new Map<string, ElementNode>();
  const unsupported: { construct: string; at: string }[] = [];
  let root: ElementNode | undefined;
  for (const element of elements) {
    const path = typeof element.path === 'string' ? element.path : undefined;
    if (path === undefined) continue;
    const id = typeof element.id === 'string' ? element.id : path;
    let constraints = ownConstraints(element, base, true);
    if (options.stored) {
      for (const c of constraints.filter((c) => !boundedExpression(c.expression))) {
        unsupported.push({ construct: `invariant ${c.key} (beyond the bounded FHIRPath run for a stored profile)`, at: id });
      }
      constraints = constraints.filter((c) => boundedExpression(c.expression));
    }
    const node: ElementNode = {
      id,
      path,
      name: path.slice(path.lastIndexOf('.') + 1),
      sliceName: typeof element.sliceName === 'string' ? element.sliceName : undefined,
      element,
      min: typeof element.min === 'number' ? element.min : 0,
      max: maxOf(element.max),
      typeCodes: (element.type ?? []).flatMap((t: ElementType) => (typeof t.code === 'string' ? [t.code] : [])),
      value: fixedValue(element),
      constraints,
      children: [],
      slices: [],
      slicing: element.slicing,
    };
    byId.set(id, node);
    if (root === undefined) {
      root = node;
      continue;
    }
    const lastSegment = id.slice(id.lastIndexOf('.') + 1);
    const colon = lastSegment.indexOf(':');
    if (colon >= 0) {
      // A slice: `Observation.category:VSCat` sits under `Observation.category`.
      const sliced = byId.get(id.slice(0, id.length - lastSegment.length + colon));
      if (lastSegment.includes('/') || !sliced) unsupported.push({ construct: 're-slicing', at: id });
      else sliced.slices.push(node);
      continue;
    }
    const parent = byId.get(id.slice(0, id.lastIndexOf('.')));
    if (parent) parent.children.push(node);
    else unsupported.push({ construct: 'element without parent', at: id });
  }
  if (!root) return undefined;
  return { url: definition.url ?? '', version: definition.version, type: root.path, root, unsupported };
}
