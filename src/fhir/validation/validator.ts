/**
 * The resource validator: one walk over the JSON, driven entirely by the
 * model, checking the JSON form (http://hl7.org/fhir/R4/json.html), primitive
 * values (datatypes.html), cardinalities and required bindings
 * (elementdefinition.html#interpretation), invariants (conformance-rules.html)
 * and the rules of contained resources (references.html#contained).
 */
import type { Issue, IssueSeverity, IssueType } from '../../core/errors.js';
import type { MessageKey } from '../../core/i18n/messages.js';
import type { MessageParams } from '../../core/i18n/translate.js';
import type { Constraint } from '../definitions/model.js';
import type { FhirSchema } from '../definitions/schema.js';
import { bindingViolation, requiredBindings, type RequiredBindings } from './bindings.js';
import { containedContentViolations, DOM_RULES, unreferenced, type ContainedEntry, type DomRule } from './contained.js';
import { schemaIndex, type PropertyInfo, type SchemaIndex, type TypeIndex } from './element-index.js';
import type { Item } from './fhirpath-subset.js';
import { invariantEngine, type InvariantEngine } from './invariants.js';
import { isObject, jsonType, shown, type JsonObject } from './json-values.js';
import type { PrimitiveProblem } from './primitives.js';
import { divForTxt1, hasNarrativeContent } from './narrative-checks.js';

export interface ValidationResult {
  readonly issues: readonly Issue[];
  /** No issue of severity error or fatal. */
  readonly valid: boolean;
}

export interface ValidationOptions {
  /** The type the resource must have, e.g. the type in the request URL. */
  readonly expectedType?: string;
  /**
   * Leave the resources of a Bundle's entries unwalked: a batch or transaction
   * validates each when its entry runs (the Bundle's own shape and invariants
   * are still checked), so walking them here would validate each twice.
   */
  readonly skipEntryResources?: boolean;
}

type Json = JsonObject;

/** The resource being walked: where invariants find %resource and where dom-3 collects references. */
interface Frame {
  readonly resource: Json;
  readonly rootResource: Json;
  references: Set<string> | undefined;
  contained: ContainedEntry[] | undefined;
}

const LOCAL_REFERENCE_TYPES = new Set(['canonical', 'uri', 'url']);
/**
 * Objects within objects, far beyond any real resource (a Bundle entry's
 * contained resource's nested Questionnaire items); deeper content would
 * exhaust the stack of this recursive walk.
 */
const MAX_DEPTH = 100;

/** Whether `value` nests objects and arrays more than `limit` levels deep; iterative, so no input exhausts the stack. */
function deeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop() as [unknown, number];
    if (next === null || typeof next !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(next) ? next : Object.values(next)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** A relative or absolute literal reference, [base/]Type/id[/_history/vid]: the type it names. */
const LITERAL_REFERENCE = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Where a Bundle's entry resources sit (skipEntryResources). */
const ENTRY_RESOURCE = /^Bundle\.entry\[\d+\]\.resource$/;

function location(path: string, key: string, index: number): string {
  return index < 0 ? `${path}.${key}` : `${path}.${key}[${index}]`;
}

class Walk {
  readonly issues: Issue[] = [];
  private frame: Frame | undefined;
  private depth = 0;

  constructor(
    private readonly index: SchemaIndex,
    private readonly bindings: RequiredBindings,
    private readonly invariants: InvariantEngine,
    private readonly skipEntryResources = false,
  ) {}

  root(resource: unknown, expectedType: string | undefined): void {
    const type = isObject(resource) && typeof resource.resourceType === 'string' ? resource.resourceType : expectedType ?? 'Resource';
    if (expectedType !== undefined && isObject(resource) && typeof resource.resourceType === 'string' && resource.resourceType !== expectedType) {
      this.add('error', 'invalid', 'type.mismatch', { actual: resource.resourceType, expected: expectedType }, type);
    }
    this.resource(resource, type, false);
  }

  private add(severity: IssueSeverity, type: IssueType, message: MessageKey, params: MessageParams, expression: string): void {
    this.issues.push({ severity, type, message, params, expression: [expression] });
  }

  /** A resource at `path`: the root, a contained resource, or one nested in Bundle, Parameters… */
  private resource(value: unknown, path: string, contained: boolean): void {
    if (!isObject(value)) {
      this.add('error', 'structure', 'validation.type', { expected: 'Resource', actual: jsonType(value) }, path);
      return;
    }
    const resourceType = value.resourceType;
    if (typeof resourceType !== 'string') {
      this.add('error', 'structure', 'validation.resource-type', { value: resourceType === undefined ? '∅' : shown(resourceType) }, path);
      return;
    }
    const type = this.index.schema.isResourceType(resourceType) ? this.index.type(resourceType) : undefined;
    if (!type) {
      this.add('error', 'structure', 'type.unknown', { type: resourceType }, path);
      return;
    }
    const parent = this.frame;
    const frame: Frame = {
      resource: value,
      rootResource: contained && parent ? parent.resource : value,
      references: undefined,
      contained: undefined,
    };
    this.frame = frame;
    this.object(value, type, path, false);
    if (frame.contained) {
      for (const entry of unreferenced(frame.references, frame.contained)) this.dom('dom-3', entry.path);
    }
    this.frame = parent;
    if (contained && parent) {
      for (const rule of containedContentViolations(value)) this.dom(rule, path);
      const id = typeof value.id === 'string' ? value.id : undefined;
      if (value.id === undefined) this.add('error', 'required', 'validation.min', { name: 'id', min: 1 }, `${path}.id`);
      (parent.contained ??= []).push({ id, path, references: frame.references });
    }
  }

  private dom(rule: DomRule, path: string): void {
    if (rule === 'dom-2') this.add('error', 'invariant', 'validation.contained-nested', { key: rule, human: DOM_RULES[rule] }, path);
    else this.add('error', 'invariant', 'validation.invariant', { key: rule, human: DOM_RULES[rule] }, path);
  }

  /**
   * An object of a complex type, backbone element or resource: every property
   * known, choices single, required elements present, not empty (ele-1), and
   * the type's invariants.
   */
  private object(object: Json, type: TypeIndex, path: string, idOnlyAllowed: boolean): void {
    if (this.depth >= MAX_DEPTH) {
      this.add('error', 'structure', 'validation.too-deep', { max: MAX_DEPTH }, path);
      return;
    }
    this.depth++;
    this.objectContent(object, type, path, idOnlyAllowed);
    this.depth--;
  }

  private objectContent(object: Json, type: TypeIndex, path: string, idOnlyAllowed: boolean): void {
    let content = false;
    let keys = 0;
    let choices: Map<string, string> | undefined;
    for (const key in object) {
      if (key === 'resourceType' && type.isResource) continue;
      keys++;
      if (key !== 'id') content = true;
      if (key.charCodeAt(0) === 95 /* _ */) {
        const primitive = this.extensionOnly(object, key, type, path);
        if (primitive?.element.choice) choices = this.choice(choices, primitive, key, path);
        continue;
      }
      const property = type.properties.get(key);
      if (property === undefined) {
        this.add('error', 'structure', 'validation.unknown-element', { name: key }, `${path}.${key}`);
        continue;
      }
      if (property.element.choice) choices = this.choice(choices, property, key, path);
      this.property(object, key, object[key], property, path);
    }
    // ele-1: children other than id, unless the id sits beside a primitive's value.
    if (!content && !type.isResource && (keys === 0 || !idOnlyAllowed)) {
      this.add('error', 'structure', 'validation.empty', { name: path.slice(path.lastIndexOf('.') + 1) }, path);
    }
    for (const required of type.required) {
      let count = 0;
      for (const name of required.names) {
        const value = object[name];
        if (value !== undefined) count = Math.max(count, Array.isArray(value) ? value.length : 1);
      }
      if (count < required.min) this.add('error', 'required', 'validation.min', { name: required.stem, min: required.min }, `${path}.${required.stem}`);
    }
    if (type.isExtension) this.extensionValue(object, type, path);
    const constraints = type.definition.constraints;
    if (constraints) this.check(constraints, type.name, type.name, { value: object, ext: undefined, type }, path);
  }

  /** json.html#choice: only one of value[x]'s forms. */
  private choice(seen: Map<string, string> | undefined, property: PropertyInfo, key: string, path: string): Map<string, string> {
    const map = seen ?? new Map<string, string>();
    const first = map.get(property.stem);
    if (first === undefined) map.set(property.stem, key);
    else this.add('error', 'structure', 'validation.choice-multiple', { name: property.stem, found: `${first}, ${key}` }, `${path}.${key}`);
    return map;
  }

  /** ext-1 (extensibility.html): an extension has a value or nested extensions, never both. */
  private extensionValue(object: Json, type: TypeIndex, path: string): void {
    let hasValue = false;
    for (const key in object) {
      const name = key.charCodeAt(0) === 95 ? key.slice(1) : key;
      if (type.properties.get(name)?.stem === 'value') hasValue = true;
    }
    const hasExtensions = object.extension !== undefined;
    if (hasValue === hasExtensions) {
      this.add('error', 'invariant', 'validation.invariant', { key: 'ext-1', human: 'Must have either extensions or value[x], not both' }, path);
    }
  }

  /**
   * "_name" with no "name": an extension-only primitive, allowed; "_name"
   * beside a non-primitive is not. Returns the primitive it stands for when
   * it is extension-only.
   */
  private extensionOnly(object: Json, key: string, type: TypeIndex, path: string): PropertyInfo | undefined {
    const name = key.slice(1);
    const property = type.properties.get(name);
    if (property === undefined) {
      this.add('error', 'structure', 'validation.unknown-element', { name: key }, `${path}.${key}`);
    } else if (property.kind !== 'primitive') {
      this.add('error', 'structure', 'validation.primitive-extension-orphan', { name: key }, `${path}.${key}`);
    } else if (object[name] === undefined) {
      this.primitiveProperty(object, name, undefined, property, path);
      return property;
    }
    return undefined;
  }

  private property(object: Json, key: string, value: unknown, property: PropertyInfo, path: string): void {
    if (property.kind === 'primitive') {
      this.primitiveProperty(object, key, value, property, path);
      return;
    }
    const at = `${path}.${key}`;
    if (value === null) {
      this.add('error', 'structure', 'validation.null', { name: key }, at);
      return;
    }
    if (!Array.isArray(value)) {
      if (property.repeats) this.add('error', 'structure', 'validation.not-array', { name: key }, at);
      this.complex(value, property, at);
      return;
    }
    if (!property.repeats) this.add('error', 'structure', 'validation.array-not-allowed', { name: key }, at);
    if (value.length === 0) {
      this.add('error', 'structure', 'validation.empty', { name: key }, at);
      return;
    }
    this.maxCount(property, key, value.length, at);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const itemPath = `${at}[${i}]`;
      if (item === null) this.add('error', 'structure', 'validation.null', { name: key }, itemPath);
      else this.complex(item, property, itemPath);
    }
  }

  /**
   * A literal reference names a resource of a type the element allows
   * (ElementDefinition.type.targetProfile): Observation.subject may not point
   * at an Organization. Contained (#id), URN and conditional references, and
   * types this server does not know, are left to the reference's resolution.
   */
  private referenceTarget(reference: Json, targets: readonly string[], path: string): void {
    if (targets.includes('Resource')) return;
    const named: [string, string][] = [];
    if (typeof reference.reference === 'string') {
      const type = LITERAL_REFERENCE.exec(reference.reference)?.[1];
      if (type !== undefined && this.index.schema.isResourceType(type)) named.push([type, `${path}.reference`]);
    }
    if (typeof reference.type === 'string' && this.index.schema.isResourceType(reference.type)) named.push([reference.type, `${path}.type`]);
    for (const [type, where] of named) {
      if (!targets.includes(type)) this.add('error', 'invalid', 'validation.reference-target', { type, allowed: targets.join(', ') }, where);
    }
  }

  private maxCount(property: PropertyInfo, key: string, count: number, path: string, locationKey?: string): void {
    const max = property.element.max;
    if (max >= 0 && count > max) {
      this.add('error', 'invalid', 'validation.max', { name: key, count, max }, locationKey === undefined ? path : `${path}.${locationKey}`);
    }
  }

  private complex(value: unknown, property: PropertyInfo, path: string): void {
    if (property.kind === 'resource') {
      if (this.skipEntryResources && ENTRY_RESOURCE.test(path)) {
        // Validated by its own interaction later, but copied and rewritten before that: too deep a nesting is refused now.
        if (deeperThan(value, MAX_DEPTH - this.depth)) this.add('error', 'structure', 'validation.too-deep', { max: MAX_DEPTH }, path);
        return;
      }
      this.resource(value, path, property.contained);
      return;
    }
    const type = this.index.type(property.typeCode);
    if (!isObject(value) || !type) {
      this.add('error', 'structure', 'validation.type', { expected: property.typeCode, actual: jsonType(value) }, path);
      return;
    }
    this.object(value, type, path, false);
    const element = property.element;
    if (element.binding) this.binding(element.binding.valueSet, property.typeCode, value, path);
    if (property.typeCode === 'Reference' && element.targets) this.referenceTarget(value, element.targets, path);
    if (element.constraints) {
      this.check(element.constraints, element.choice ? property.typeCode : element.path, property.typeCode, { value, ext: undefined, type }, path);
    }
  }

  /**
   * A primitive element with its "_name" sibling (json.html#primitive): a
   * value, an object of id and extensions, or, when repeating, two arrays
   * aligned by index with null where one side has nothing.
   */
  private primitiveProperty(object: Json, key: string, value: unknown, property: PropertyInfo, path: string): void {
    const ext = object[property.extName];
    // The common shapes first, without building locations: a single value, or an array of values, without extensions.
    if (ext === undefined) {
      if (!property.repeats && !Array.isArray(value)) {
        if (value === null) this.add('error', 'structure', 'validation.null', { name: key }, `${path}.${key}`);
        else if (value !== undefined) this.primitive(value, undefined, property, path, key, -1);
        return;
      }
      if (property.repeats && Array.isArray(value) && value.length > 0) {
        this.maxCount(property, key, value.length, path, key);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === null) this.add('error', 'structure', 'validation.null', { name: key }, `${path}.${key}[${i}]`);
          else this.primitive(item, undefined, property, path, key, i);
        }
        return;
      }
    }
    const at = `${path}.${key}`;
    const extAt = `${path}.${property.extName}`;
    const values = Array.isArray(value) ? value : undefined;
    const exts = Array.isArray(ext) ? ext : undefined;
    if (!property.repeats) {
      if (values) this.add('error', 'structure', 'validation.array-not-allowed', { name: key }, at);
      if (exts) this.add('error', 'structure', 'validation.array-not-allowed', { name: property.extName }, extAt);
    } else {
      if (value !== undefined && value !== null && !values) this.add('error', 'structure', 'validation.not-array', { name: key }, at);
      if (ext !== undefined && ext !== null && !exts) this.add('error', 'structure', 'validation.not-array', { name: property.extName }, extAt);
    }
    if (values || exts) {
      this.primitiveArrays(key, values, exts, value, ext, property, path);
      return;
    }
    if (value === null) this.add('error', 'structure', 'validation.null', { name: key }, at);
    if (ext === null) this.add('error', 'structure', 'validation.null', { name: property.extName }, extAt);
    const hasValue = value !== undefined && value !== null;
    if (hasValue) this.primitive(value, ext, property, path, key, -1);
    if (ext !== undefined && ext !== null) this.primitiveExtension(ext, hasValue, at);
  }

  private primitiveArrays(
    key: string, values: readonly unknown[] | undefined, exts: readonly unknown[] | undefined,
    value: unknown, ext: unknown, property: PropertyInfo, path: string,
  ): void {
    const at = `${path}.${key}`;
    const extAt = `${path}.${property.extName}`;
    if (values?.length === 0) this.add('error', 'structure', 'validation.empty', { name: key }, at);
    if (exts?.length === 0) this.add('error', 'structure', 'validation.empty', { name: property.extName }, extAt);
    // A lone value beside an array of extensions (or the reverse) was reported above; align it at index 0.
    const valueList = values ?? (value === undefined || value === null ? [] : [value]);
    const extList = exts ?? (ext === undefined || ext === null ? [] : [ext]);
    const length = Math.max(valueList.length, extList.length);
    this.maxCount(property, key, length, path, key);
    for (let i = 0; i < length; i++) {
      const v = valueList[i];
      const e = extList[i];
      const itemPath = `${at}[${i}]`;
      const hasValue = v !== undefined && v !== null;
      const hasExt = e !== undefined && e !== null;
      if (!hasValue && !hasExt) {
        this.add('error', 'structure', 'validation.null', { name: key }, itemPath);
        continue;
      }
      if (hasExt && !hasValue && values !== undefined && i >= values.length) {
        this.add('error', 'structure', 'validation.primitive-extension-orphan', { name: `${property.extName}[${i}]` }, `${extAt}[${i}]`);
      }
      if (hasValue) this.primitive(v, e, property, path, key, i);
      if (hasExt) this.primitiveExtension(e, hasValue, itemPath);
    }
  }

  /** A primitive value at `path.key` or `path.key[index]`; the location is only built for an issue. */
  private primitive(value: unknown, ext: unknown, property: PropertyInfo, path: string, key: string, index: number): void {
    const problem = property.check?.(value);
    if (problem) {
      this.primitiveProblem(problem, value, property, location(path, key, index));
      return;
    }
    if (typeof value === 'string' && value.charCodeAt(0) === 35 /* # */ && (property.stem === 'reference' || LOCAL_REFERENCE_TYPES.has(property.typeCode)) && this.frame) {
      (this.frame.references ??= new Set()).add(value);
    }
    const element = property.element;
    if (element.binding) this.binding(element.binding.valueSet, property.typeCode, value, path, key, index);
    if (element.constraints) {
      this.check(element.constraints, element.choice ? property.typeCode : element.path, property.typeCode, { value, ext, type: property.typeCode }, location(path, key, index));
    }
  }

  private primitiveProblem(problem: PrimitiveProblem, value: unknown, property: PropertyInfo, path: string): void {
    switch (problem.kind) {
      case 'type':
        this.add('error', 'structure', 'validation.type', { expected: problem.expected, actual: jsonType(value) }, path);
        return;
      case 'empty':
        this.add('error', 'structure', 'validation.empty', { name: property.jsonName }, path);
        return;
      case 'format':
        this.add('error', 'value', 'validation.format', { value: shown(value), type: property.typeCode }, path);
    }
  }

  /** The "_name" object: only id and extension (json.html#primitive). */
  private primitiveExtension(ext: unknown, hasValue: boolean, path: string): void {
    const type = this.index.type('Element');
    if (!isObject(ext) || !type) {
      this.add('error', 'structure', 'validation.type', { expected: 'Element', actual: jsonType(ext) }, path);
      return;
    }
    this.object(ext, type, path, hasValue);
  }

  private binding(valueSet: string, typeCode: string, value: unknown, path: string, key?: string, index = -1): void {
    const set = this.bindings.codeSet(valueSet);
    if (!set) return;
    const code = bindingViolation(set, typeCode, value);
    if (code !== undefined) this.add('error', 'code-invalid', 'validation.binding', { code, valueSet }, key === undefined ? path : location(path, key, index));
  }

  private check(constraints: readonly Constraint[], base: string, rootName: string, item: Item, path: string): void {
    const frame = this.frame;
    const env = { resource: frame?.resource, rootResource: frame?.rootResource };
    let lastExpression: string | undefined;
    let lastHolds = true;
    for (const invariant of this.invariants.prepare(constraints, base, rootName)) {
      const key = invariant.constraint.key;
      let holds: boolean;
      if ((key === 'txt-1' || key === 'txt-2') && typeof item.value === 'string') {
        // One htmlChecks() for both in R4: told apart, and txt-1 read with R4's attribute list (narrative-checks.ts).
        holds = key === 'txt-2' ? hasNarrativeContent(item.value) : this.invariants.holds(invariant, { ...item, value: divForTxt1(item.value) }, env);
      } else {
        // Invariants sharing one expression are evaluated once.
        holds = invariant.constraint.expression === lastExpression ? lastHolds : this.invariants.holds(invariant, item, env);
        lastExpression = invariant.constraint.expression;
        lastHolds = holds;
      }
      if (holds) continue;
      const { human, severity } = invariant.constraint;
      this.add(severity === 'error' ? 'error' : 'warning', 'invariant', 'validation.invariant', { key, human }, path);
    }
  }
}

/**
 * Validates a resource against the base FHIR R4 definitions of its type.
 * Never throws on any JSON value; every issue carries its FHIRPath location.
 */
export function validateResource(schema: FhirSchema, resource: unknown, options: ValidationOptions = {}): ValidationResult {
  const walk = new Walk(schemaIndex(schema), requiredBindings(schema), invariantEngine(schema), options.skipEntryResources === true);
  walk.root(resource, options.expectedType);
  const issues = walk.issues;
  let valid = true;
  for (const issue of issues) {
    if (issue.severity === 'error' || issue.severity === 'fatal') {
      valid = false;
      break;
    }
  }
  return { issues, valid };
}
