/**
 * The value a FHIRPath Patch operation writes, read from its `value` part
 * (http://hl7.org/fhir/R4/fhirpatch.html): a `value[x]` (a primitive or a
 * datatype), a `resource` (for contained resources), or, for an element with
 * no datatype of its own (a backbone element such as Patient.contact), nested
 * `part`s named after its elements, recursively.
 *
 * "The type of the value must be correct for the place at which it will be
 * added/inserted. Servers SHALL return an error if the type is wrong": the
 * type is checked against the R4 model here. A primitive may be given in any
 * primitive type written the same way in JSON (a valueString for a code, or
 * for Narrative.div, which has no value[x] of its own), since the validation of
 * the patched resource then checks it against the element's own type; the
 * type of a choice element is its JSON name, so there it must be exact.
 */
import { cloneJson, decimalText } from '../../../core/json/decimal-json.js';
import type { PropertyInfo, SchemaIndex, TypeIndex } from '../../validation/element-index.js';
import { isObject, type JsonObject } from '../../validation/json-values.js';
import { PatchProblem } from './fhirpath-patch-paths.js';
import { putValue, type ElementJson } from './fhirpath-patch-slots.js';

/** The element a value part fills, in the form its type asks for. */
export interface BuiltValue {
  readonly property: PropertyInfo;
  readonly element: ElementJson;
}

/** Quantity's profiles, written as a Quantity: each fits where a Quantity goes. */
const QUANTITIES: ReadonlySet<string> = new Set(['Age', 'Count', 'Distance', 'Duration']);

/** Beyond this, nested parts are not a value anyone writes (and recursion must stop somewhere). */
const MAX_DEPTH = 50;

/** Fields a Parameters part may carry besides its value (parameters.html). */
const PART_FIELDS: ReadonlySet<string> = new Set(['name', '_name', 'id', 'extension', 'modifierExtension']);

function valueKeys(part: JsonObject): string[] {
  return Object.keys(part).filter((key) => key.startsWith('value') && key.length > 'value'.length);
}

/** The type a `value[x]` name gives: valueDate → date, valueHumanName → HumanName. */
function typeOfValueKey(index: SchemaIndex, key: string): string | undefined {
  const suffix = key.slice('value'.length);
  const primitive = suffix.charAt(0).toLowerCase() + suffix.slice(1);
  if (index.schema.isPrimitive(primitive)) return primitive;
  return index.type(suffix)?.definition.kind === 'complex-type' ? suffix : undefined;
}

function fits(index: SchemaIndex, property: PropertyInfo, type: string): boolean {
  if (type === property.typeCode) return true;
  if (property.element.choice) return false;
  if (property.kind === 'primitive') {
    const json = index.schema.primitive(type)?.json;
    return json !== undefined && json === index.schema.primitive(property.typeCode)?.json;
  }
  return property.kind === 'complex' && property.typeCode === 'Quantity' && QUANTITIES.has(type);
}

/** A copy, so that no two places of the resource share an object; with the written form of its decimals. */
function copy<T>(value: T): T {
  return cloneJson(value);
}

/** The elements named `name` of `type`: by element name ("value"), or by JSON name ("valueQuantity"). */
export function propertiesNamed(type: TypeIndex, name: string): readonly PropertyInfo[] {
  const byStem = type.byStem.get(name);
  if (byStem) return byStem;
  const byJsonName = type.properties.get(name);
  return byJsonName ? [byJsonName] : [];
}

function checkFields(part: JsonObject, where: string): void {
  const values = valueKeys(part);
  for (const key of Object.keys(part)) {
    const known = PART_FIELDS.has(key) || key === 'resource' || key === 'part' || values.includes(key) || values.includes(key.slice(1));
    if (!known) throw new PatchProblem(`${where}: a part has no field ${key}`);
  }
}

/**
 * The element a `value` part (or a nested part) gives for an element defined
 * as `candidates` (one per type of a choice element); `where` names the
 * element in messages.
 */
export function buildValue(index: SchemaIndex, part: JsonObject, candidates: readonly PropertyInfo[], where: string, depth = 0): BuiltValue {
  if (depth > MAX_DEPTH) throw new PatchProblem(`${where}: the value is nested too deeply`);
  checkFields(part, where);
  const values = valueKeys(part);
  const forms = values.length + (part.resource !== undefined ? 1 : 0) + (part.part !== undefined ? 1 : 0);
  if (forms !== 1) throw new PatchProblem(`${where}: a value is given by exactly one of value[x], resource or part`);
  const [key] = values;
  if (key !== undefined) return fromValueX(index, part, key, candidates, where);
  if (part.resource !== undefined) return fromResource(part.resource, candidates, where);
  return fromParts(index, part.part, candidates, where, depth);
}

function fromValueX(index: SchemaIndex, part: JsonObject, key: string, candidates: readonly PropertyInfo[], where: string): BuiltValue {
  const type = typeOfValueKey(index, key);
  if (type === undefined) throw new PatchProblem(`${where}: ${key} names no FHIR datatype`);
  const property = candidates.find((p) => p.typeCode === type) ?? candidates.find((p) => fits(index, p, type));
  if (!property) throw new PatchProblem(`${where}: a value of type ${type} cannot go there (${candidates.map((p) => p.typeCode).join(', ')} expected)`);
  const value = part[key];
  if (value === null || value === undefined) throw new PatchProblem(`${where}: ${key} has no value`);
  const extras = part[`_${key}`];
  // A bare number's written text (50.6300) is noted on the part, not carried by the number: it goes along.
  const decimal = decimalText(part, key);
  return {
    property,
    element: { value: copy(value), ...(isObject(extras) ? { extras: copy(extras) } : {}), ...(decimal === undefined ? {} : { decimal }) },
  };
}

function fromResource(resource: unknown, candidates: readonly PropertyInfo[], where: string): BuiltValue {
  const property = candidates.find((p) => p.kind === 'resource');
  if (!property) throw new PatchProblem(`${where}: a resource cannot go there`);
  if (!isObject(resource) || typeof resource.resourceType !== 'string') throw new PatchProblem(`${where}: resource must be a resource`);
  return { property, element: { value: copy(resource) } };
}

function fromParts(index: SchemaIndex, parts: unknown, candidates: readonly PropertyInfo[], where: string, depth: number): BuiltValue {
  const [property] = candidates;
  // A choice element's type is only known from a value[x].
  if (candidates.length !== 1 || property?.kind !== 'complex') {
    throw new PatchProblem(`${where}: a value of this element is given as value[x]${candidates.some((p) => p.kind === 'resource') ? ' or resource' : ''}, not as parts`);
  }
  const type = index.type(property.typeCode);
  if (!type) throw new PatchProblem(`${where}: the type ${property.typeCode} is unknown`);
  if (!Array.isArray(parts) || parts.length === 0) throw new PatchProblem(`${where}: part must be a non-empty list of parts`);
  const object: JsonObject = {};
  for (const item of parts) {
    if (!isObject(item) || typeof item.name !== 'string') throw new PatchProblem(`${where}: each part must have a name`);
    const inner = propertiesNamed(type, item.name);
    if (inner.length === 0) throw new PatchProblem(`${where}: ${type.name} has no element ${item.name}`);
    const built = buildValue(index, item, inner, `${where}.${item.name}`, depth + 1);
    addTo(object, built, `${where}.${item.name}`);
  }
  return { property, element: { value: object } };
}

/** Puts a built element into an object being built: appended when it repeats, once otherwise. */
function addTo(object: JsonObject, built: BuiltValue, where: string): void {
  const { property, element } = built;
  const key = property.jsonName;
  if (!property.repeats) {
    if (Object.hasOwn(object, key)) throw new PatchProblem(`${where} is given twice but does not repeat`);
    putValue(object, key, element.value, element.decimal);
    if (element.extras) object[`_${key}`] = element.extras;
    return;
  }
  const values = (object[key] ??= []) as unknown[];
  const extras = object[`_${key}`] as unknown[] | undefined;
  if (element.extras || extras) {
    const list = extras ?? values.map(() => null);
    list.push(element.extras ?? null);
    object[`_${key}`] = list;
  }
  putValue(values, values.length, element.value, element.decimal);
}
