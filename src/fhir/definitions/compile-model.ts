/**
 * Compiles the official R4 definitions into the compact FhirModel.
 * Run at build time (compile-cli.ts); the result is cached as generated/r4-model.json.
 */
import type {
  Constraint, ElementDefinition, FhirModel, PrimitiveDefinition, SearchParameterDefinition,
  SearchParamType, TypeDefinition, TypeKind, ValueSetCodes,
} from './model.js';
import { PRIMITIVE_TYPES } from './model.js';
import { readDefinitionBundle, readDefinitionResource } from './source-files.js';

interface RawExtension { url: string; valueUrl?: string; valueString?: string }
interface RawType { code: string; profile?: string[]; targetProfile?: string[]; extension?: RawExtension[] }
interface RawElement {
  id?: string;
  path: string;
  min?: number;
  max?: string;
  base?: { path: string };
  type?: RawType[];
  contentReference?: string;
  isSummary?: boolean;
  isModifier?: boolean;
  binding?: { strength: string; valueSet?: string };
  constraint?: { key: string; severity: string; human: string; expression?: string; source?: string }[];
}
interface RawStructureDefinition {
  resourceType: string;
  id: string;
  name: string;
  kind: string;
  abstract: boolean;
  derivation?: string;
  version?: string;
  type: string;
  snapshot?: { element: RawElement[] };
  differential?: { element: RawElement[] };
}
interface RawSearchParameter {
  resourceType: string;
  version?: string;
  url: string;
  code: string;
  base: string[];
  type: string;
  expression?: string;
  description?: string;
  target?: string[];
  modifier?: string[];
  comparator?: string[];
  multipleOr?: boolean;
  multipleAnd?: boolean;
  component?: { definition: string; expression: string }[];
}
interface RawConcept { code: string; concept?: RawConcept[] }
interface RawCodeSystem { resourceType: 'CodeSystem'; url: string; concept?: RawConcept[]; content?: string; valueSet?: string }
interface RawInclude {
  system?: string;
  concept?: { code: string }[];
  filter?: { property: string; op: string; value: string }[];
  valueSet?: string[];
}
interface RawValueSet { resourceType: 'ValueSet'; url: string; compose?: { include?: RawInclude[]; exclude?: RawInclude[] } }
interface RawCompartment { resource: { code: string; param?: string[] }[] }

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';
/** Checked natively by the validator, faster than evaluating FHIRPath on every element. */
const NATIVE_CONSTRAINTS = new Set(['ele-1', 'ext-1', 'dom-2', 'dom-3', 'dom-4', 'dom-5', 'dom-6']);

/**
 * The package also carries a few later additions (e.g. R4B's SubscriptionStatus);
 * Socle serves FHIR 4.0.1 only, so anything not of that version is left out.
 */
const R4_VERSION = '4.0.1';

function stripVersion(canonical: string): string {
  const bar = canonical.indexOf('|');
  return bar < 0 ? canonical : canonical.slice(0, bar);
}

/** The FHIR type code of a snapshot type, resolving the System.* codes of ids, urls and primitive values. */
function typeCode(type: RawType): string {
  if (type.code.startsWith('http://hl7.org/fhirpath/System.')) {
    const explicit = type.extension?.find((e) => e.url === FHIR_TYPE_EXTENSION)?.valueUrl;
    if (explicit) return explicit;
    return 'string';
  }
  return type.code;
}

function targetsOf(types: RawType[]): string[] | undefined {
  const targets = new Set<string>();
  for (const t of types) {
    for (const profile of t.targetProfile ?? []) {
      const name = profile.slice(profile.lastIndexOf('/') + 1);
      targets.add(name);
    }
  }
  if (targets.size === 0 || targets.has('Resource')) return undefined;
  return [...targets].sort();
}

/**
 * sqty-1 of the SimpleQuantity profile, which the model does not keep as a
 * type of its own (a SimpleQuantity is a Quantity): an element typed
 * Quantity(SimpleQuantity) (Range.low, a dose, a dispensed quantity) carries
 * the profile's one rule itself.
 */
const SIMPLE_QUANTITY: Constraint = { key: 'sqty-1', severity: 'error', human: 'The comparator is not used on a SimpleQuantity', expression: 'comparator.empty()' };

function isSimpleQuantity(type: RawType): boolean {
  return type.code === 'Quantity' && (type.profile ?? []).some((p) => stripVersion(p) === 'http://hl7.org/fhir/StructureDefinition/SimpleQuantity');
}

function constraintsOf(element: RawElement): Constraint[] | undefined {
  const own = ownConstraintsOf(element);
  if (!(element.type ?? []).some(isSimpleQuantity)) return own;
  return [...(own ?? []), SIMPLE_QUANTITY];
}

function ownConstraintsOf(element: RawElement): Constraint[] | undefined {
  const list = (element.constraint ?? [])
    .filter((c) => c.expression && !NATIVE_CONSTRAINTS.has(c.key))
    // Snapshots repeat the constraints of the base types on each element; keep only the element's own.
    .filter((c) => !c.source || c.source.endsWith(`/${element.path.split('.')[0]}`))
    .map((c) => ({
      key: c.key,
      severity: c.severity === 'error' ? ('error' as const) : ('warning' as const),
      human: c.human,
      expression: c.expression as string,
    }));
  return list.length > 0 ? list : undefined;
}

/**
 * The elements HL7 published for a type. The package's snapshots were edited
 * by Medplum: they add elements that are not FHIR 4.0.1 (Meta.project,
 * Meta.author…, Binary.url, R5 backports in ResearchStudy, EvidenceVariable,
 * DeviceDefinition…), drop a few R4 ones (EvidenceVariable.characteristic.definition[x]…)
 * and change some cardinalities and types (Bundle.entry.response.outcome).
 * In HL7's files every element a StructureDefinition introduces itself
 * (base.path = path) is in its differential with its cardinality, types and
 * invariants, so the differential is the reference for those elements.
 */
function publishedElements(sd: RawStructureDefinition): RawElement[] {
  const differential = new Map((sd.differential?.element ?? []).map((e) => [e.path, e]));
  const added: string[] = [];
  const kept: RawElement[] = [];
  for (const element of sd.snapshot?.element ?? []) {
    // The children of an added element (its id, extension…) go with it.
    if (added.some((path) => element.path.startsWith(`${path}.`))) continue;
    const own = element.base?.path === element.path;
    const declared = differential.get(element.path);
    if (own && !declared) {
      added.push(element.path);
      continue;
    }
    kept.push(own && declared ? {
      ...element,
      ...(declared.min !== undefined ? { min: declared.min } : {}),
      ...(declared.max !== undefined ? { max: declared.max } : {}),
      ...(declared.type ? { type: declared.type } : {}),
      constraint: (element.constraint ?? []).filter((c) =>
        !c.source?.endsWith(`/${sd.id}`) || (declared.constraint ?? []).some((d) => d.key === c.key)),
    } : element);
  }
  const present = new Set(kept.map((e) => e.path));
  for (const [path, declared] of differential) {
    if (present.has(path) || path.indexOf('.') < 0) continue;
    // Put a dropped element back after its parent's last element present.
    const parent = path.slice(0, path.lastIndexOf('.'));
    let at = -1;
    kept.forEach((e, i) => { if (e.path === parent || e.path.startsWith(`${parent}.`)) at = i; });
    if (at < 0) continue;
    kept.splice(at + 1, 0, declared);
    present.add(path);
  }
  return kept;
}

/**
 * Builds the TypeDefinitions of one StructureDefinition: the type itself and
 * one per backbone element, keyed by path.
 */
function compileStructure(sd: RawStructureDefinition, kind: TypeKind, into: Record<string, TypeDefinition>): void {
  const elements = publishedElements(sd);
  const root = elements[0];
  if (!root) return;
  const byParent = new Map<string, Record<string, ElementDefinition>>();
  const backbonePaths = new Set<string>();
  const rootConstraints = new Map<string, Constraint[] | undefined>();
  rootConstraints.set(root.path, constraintsOf(root));
  byParent.set(root.path, {});

  for (const element of elements.slice(1)) {
    // Slices of the base specification (none in R4 core snapshots, but be safe).
    if (element.id && element.id.includes(':')) continue;
    const lastDot = element.path.lastIndexOf('.');
    const parent = element.path.slice(0, lastDot);
    let name = element.path.slice(lastDot + 1);
    const choice = name.endsWith('[x]');
    if (choice) name = name.slice(0, -3);
    const rawTypes = element.type ?? [];
    let types: string[];
    if (element.contentReference) {
      types = [element.contentReference.replace(/^#/, '').replace(/^.*#/, '')];
    } else if (rawTypes.length === 1 && (rawTypes[0]?.code === 'BackboneElement' || rawTypes[0]?.code === 'Element') && elements.some((e) => e.path.startsWith(`${element.path}.`))) {
      types = [element.path];
      backbonePaths.add(element.path);
      byParent.set(element.path, {});
      rootConstraints.set(element.path, constraintsOf(element));
    } else {
      types = rawTypes.map(typeCode);
    }
    const max = element.max === '*' ? -1 : Number(element.max ?? '1');
    const definition: ElementDefinition = {
      path: element.path,
      min: element.min ?? 0,
      max,
      types,
      ...(targetsOf(rawTypes) ? { targets: targetsOf(rawTypes) } : {}),
      ...(choice ? { choice: true } : {}),
      ...(element.isSummary ? { summary: true } : {}),
      ...(element.isModifier ? { modifier: true } : {}),
      ...(element.binding?.strength === 'required' && element.binding.valueSet
        ? { binding: { strength: 'required' as const, valueSet: stripVersion(element.binding.valueSet) } }
        : {}),
      ...(!backbonePaths.has(element.path) && constraintsOf(element) ? { constraints: constraintsOf(element) } : {}),
    };
    const siblings = byParent.get(parent);
    if (!siblings) throw new Error(`definitions: element ${element.path} has no parent ${parent}`);
    siblings[name] = definition;
  }

  for (const [path, elementsOfPath] of byParent) {
    const isRoot = path === root.path;
    const constraints = rootConstraints.get(path);
    into[path] = {
      name: path,
      kind: isRoot ? kind : 'backbone',
      ...(isRoot && sd.abstract ? { abstract: true } : {}),
      elements: elementsOfPath,
      ...(constraints ? { constraints } : {}),
    };
  }
}

function compilePrimitive(sd: RawStructureDefinition): PrimitiveDefinition {
  const valueElement = sd.snapshot?.element.find((e) => e.path === `${sd.id}.value`);
  const regex = valueElement?.type?.[0]?.extension?.find((e) => e.url === REGEX_EXTENSION)?.valueString;
  const json: PrimitiveDefinition['json'] =
    sd.id === 'boolean' ? 'boolean'
      : ['integer', 'decimal', 'positiveInt', 'unsignedInt'].includes(sd.id) ? 'number'
        : 'string';
  return { name: sd.id, json, ...(regex ? { regex: `^(?:${regex})$` } : {}) };
}

function compileSearchParameter(raw: RawSearchParameter): SearchParameterDefinition {
  return {
    url: raw.url,
    code: raw.code,
    base: raw.base,
    type: raw.type as SearchParamType,
    ...(raw.expression ? { expression: raw.expression } : {}),
    ...(raw.description ? { description: raw.description } : {}),
    ...(raw.target ? { target: raw.target } : {}),
    ...(raw.modifier ? { modifier: raw.modifier } : {}),
    ...(raw.comparator ? { comparator: raw.comparator } : {}),
    ...(raw.multipleOr !== undefined ? { multipleOr: raw.multipleOr } : {}),
    ...(raw.multipleAnd !== undefined ? { multipleAnd: raw.multipleAnd } : {}),
    ...(raw.component ? { component: raw.component } : {}),
  };
}

/** Expands the value sets of required bindings from the code systems shipped with R4. */
class ValueSetExpander {
  private readonly codeSystems = new Map<string, RawCodeSystem>();
  private readonly valueSets = new Map<string, RawValueSet>();
  private readonly cache = new Map<string, ValueSetCodes>();

  add(resource: RawCodeSystem | RawValueSet): void {
    if (resource.resourceType === 'CodeSystem') this.codeSystems.set(resource.url, resource);
    else this.valueSets.set(resource.url, resource);
  }

  expand(url: string, seen: Set<string> = new Set()): ValueSetCodes {
    const cached = this.cache.get(url);
    if (cached) return cached;
    const valueSet = this.valueSets.get(url);
    if (!valueSet || seen.has(url)) return { complete: false, codes: [] };
    seen.add(url);
    let complete = true;
    const codes = new Map<string, readonly [string, string]>();
    for (const include of valueSet.compose?.include ?? []) {
      const part = this.expandInclude(include, seen);
      complete &&= part.complete;
      for (const pair of part.codes) codes.set(`${pair[0]}|${pair[1]}`, pair);
    }
    for (const exclude of valueSet.compose?.exclude ?? []) {
      const part = this.expandInclude(exclude, seen);
      for (const pair of part.codes) codes.delete(`${pair[0]}|${pair[1]}`);
    }
    const result: ValueSetCodes = { complete: complete && codes.size > 0, codes: [...codes.values()] };
    this.cache.set(url, result);
    return result;
  }

  private expandInclude(include: RawInclude, seen: Set<string>): ValueSetCodes {
    const parts: ValueSetCodes[] = (include.valueSet ?? []).map((vs) => this.expand(stripVersion(vs), new Set(seen)));
    if (include.system) {
      const system = include.system;
      if (include.concept) {
        parts.push({ complete: true, codes: include.concept.map((c) => [system, c.code] as const) });
      } else {
        const codeSystem = this.codeSystems.get(system);
        if (!codeSystem || codeSystem.content === 'not-present' || !codeSystem.concept) {
          parts.push({ complete: false, codes: [] });
        } else if (include.filter && include.filter.length > 0) {
          parts.push(this.filtered(codeSystem, include.filter));
        } else {
          parts.push({ complete: true, codes: flatten(codeSystem.concept).map((c) => [system, c] as const) });
        }
      }
    }
    if (parts.length === 0) return { complete: false, codes: [] };
    return { complete: parts.every((p) => p.complete), codes: parts.flatMap((p) => p.codes) };
  }

  private filtered(codeSystem: RawCodeSystem, filters: NonNullable<RawInclude['filter']>): ValueSetCodes {
    let codes: string[] | undefined;
    for (const filter of filters) {
      if (filter.property !== 'concept' || !['is-a', 'descendent-of'].includes(filter.op)) return { complete: false, codes: [] };
      const root = findConcept(codeSystem.concept ?? [], filter.value);
      if (!root) return { complete: false, codes: [] };
      const found = flatten(root.concept ?? []);
      if (filter.op === 'is-a') found.unshift(root.code);
      codes = codes ? codes.filter((c) => found.includes(c)) : found;
    }
    return { complete: true, codes: (codes ?? []).map((c) => [codeSystem.url, c] as const) };
  }
}

function flatten(concepts: readonly RawConcept[]): string[] {
  const out: string[] = [];
  for (const concept of concepts) {
    out.push(concept.code);
    if (concept.concept) out.push(...flatten(concept.concept));
  }
  return out;
}

function findConcept(concepts: readonly RawConcept[], code: string): RawConcept | undefined {
  for (const concept of concepts) {
    if (concept.code === code) return concept;
    const inner = findConcept(concept.concept ?? [], code);
    if (inner) return inner;
  }
  return undefined;
}

function collectRequiredValueSets(types: Record<string, TypeDefinition>): Set<string> {
  const urls = new Set<string>();
  for (const type of Object.values(types)) {
    for (const element of Object.values(type.elements)) {
      if (element.binding) urls.add(element.binding.valueSet);
    }
  }
  return urls;
}

export function compileModel(): FhirModel {
  const types: Record<string, TypeDefinition> = {};
  const primitives: Record<string, PrimitiveDefinition> = {};
  const resourceTypes: string[] = [];

  for (const { resource: sd } of readDefinitionBundle<RawStructureDefinition>('profiles-types.json').entry) {
    if (sd.resourceType !== 'StructureDefinition' || sd.derivation === 'constraint') continue;
    if (sd.kind === 'primitive-type') primitives[sd.id] = compilePrimitive(sd);
    else if (sd.kind === 'complex-type') compileStructure(sd, 'complex-type', types);
  }
  for (const { resource: sd } of readDefinitionBundle<RawStructureDefinition>('profiles-resources.json').entry) {
    if (sd.resourceType !== 'StructureDefinition' || sd.kind !== 'resource' || sd.derivation === 'constraint') continue;
    if (sd.version !== R4_VERSION) continue;
    compileStructure(sd, 'resource', types);
    if (!sd.abstract) resourceTypes.push(sd.id);
  }
  for (const name of PRIMITIVE_TYPES) {
    if (!primitives[name]) throw new Error(`definitions: primitive ${name} missing`);
  }

  const searchParameters = readDefinitionBundle<RawSearchParameter>('search-parameters.json').entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'SearchParameter' && (r.version ?? R4_VERSION) === R4_VERSION)
    .map(compileSearchParameter);

  const expander = new ValueSetExpander();
  for (const file of ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json']) {
    for (const { resource } of readDefinitionBundle<RawCodeSystem | RawValueSet>(file).entry) {
      if (resource.resourceType === 'CodeSystem' || resource.resourceType === 'ValueSet') expander.add(resource);
    }
  }
  const valueSets: Record<string, ValueSetCodes> = {};
  for (const url of [...collectRequiredValueSets(types)].sort()) valueSets[url] = expander.expand(url);

  const compartment = readDefinitionResource<RawCompartment>('compartmentdefinition-patient.json');
  const patientCompartment: Record<string, string[]> = {};
  for (const entry of compartment.resource) {
    if (entry.param && entry.param.length > 0) patientCompartment[entry.code] = entry.param;
  }

  return {
    fhirVersion: '4.0.1',
    resourceTypes: resourceTypes.sort(),
    types,
    primitives,
    searchParameters,
    patientCompartment,
    valueSets,
  };
}
