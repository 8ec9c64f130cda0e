/**
 * FHIRPath Patch (http://hl7.org/fhir/R4/fhirpatch.html): a Parameters
 * resource whose `operation` parameters each add, insert, delete, replace or
 * move one element of the resource, located by a FHIRPath expression. The
 * operations apply in order to a copy of the resource, all or none: the first
 * one that cannot apply fails the patch (patch.invalid, naming it), and the
 * caller then processes the result as an update (validation, If-Match, hooks).
 *
 * - add: `path` selects one element; the value is added to it as its element
 *   `name`, appended when that element repeats, refused when it does not
 *   repeat and is already there ("Add can used for non-repeating elements as
 *   long as they do not already exist").
 * - insert: `path` names a list; the value goes at `index` (0 to its length).
 * - delete: `path` selects the element to delete; nothing is no change, more
 *   than one is an error ("Only a single element can be deleted").
 * - replace: `path` selects one element; the value replaces it, extensions included.
 * - move: `path` names a list; the item at `source` is taken out, then put at `destination`.
 */
import { fail } from '../../../core/errors.js';
import { parseJson } from '../../../core/json/decimal-json.js';
import type { SchemaIndex } from '../../validation/element-index.js';
import { isObject, type JsonObject } from '../../validation/json-values.js';
import type { JsonResource } from '../resource-version.js';
import { containerOf, PatchProblem, select, selectList, selectOne } from './fhirpath-patch-paths.js';
import {
  insertElement, listLength, moveElement, removeElement, replaceElement, setElement, type Slot,
} from './fhirpath-patch-slots.js';
import { buildValue, propertiesNamed } from './fhirpath-patch-values.js';

type Operation =
  | { readonly type: 'add'; readonly path: string; readonly name: string; readonly value: JsonObject }
  | { readonly type: 'insert'; readonly path: string; readonly value: JsonObject; readonly index: number }
  | { readonly type: 'delete'; readonly path: string }
  | { readonly type: 'replace'; readonly path: string; readonly value: JsonObject }
  | { readonly type: 'move'; readonly path: string; readonly source: number; readonly destination: number };

type OperationType = Operation['type'];

/** The parts each type takes besides type and path, all required (the fhirpath-patch profile's rules). */
const PARTS: Readonly<Record<OperationType, readonly string[]>> = {
  add: ['name', 'value'],
  insert: ['value', 'index'],
  delete: [],
  replace: ['value'],
  move: ['source', 'destination'],
};

const INTEGER_KEYS = ['valueInteger', 'valueUnsignedInt', 'valuePositiveInt'];

/** What an operation parameter may hold besides its parts (parameters.html). */
const PARAMETER_FIELDS: ReadonlySet<string> = new Set(['name', 'part', 'id', 'extension', 'modifierExtension']);

function invalid(reason: string, parameter?: number): never {
  throw fail('patch.invalid', { reason }, parameter === undefined ? {} : { expression: [`Parameters.parameter[${parameter}]`] });
}

function stringPart(part: JsonObject, key: 'valueCode' | 'valueString', where: string): string {
  const value = part[key];
  if (typeof value !== 'string' || value.trim() === '') throw new PatchProblem(`${where} must be a ${key} with a value`);
  return value;
}

function integerPart(part: JsonObject, where: string): number {
  const key = INTEGER_KEYS.find((k) => part[k] !== undefined);
  const value = key === undefined ? undefined : part[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new PatchProblem(`${where} must be a valueInteger of 0 or more`);
  return value;
}

function readOperation(parameter: unknown): Operation {
  if (!isObject(parameter) || parameter.name !== 'operation') throw new PatchProblem('each parameter must be named operation');
  if (!Array.isArray(parameter.part)) throw new PatchProblem('an operation is given by its parts');
  const extra = Object.keys(parameter).find((key) => !PARAMETER_FIELDS.has(key));
  if (extra !== undefined) throw new PatchProblem(`an operation is given by its parts only, not by ${extra}`);
  const parts = new Map<string, JsonObject>();
  for (const part of parameter.part as unknown[]) {
    if (!isObject(part) || typeof part.name !== 'string') throw new PatchProblem('each part must have a name');
    if (parts.has(part.name)) throw new PatchProblem(`the part ${part.name} is given twice`);
    parts.set(part.name, part);
  }
  const typePart = parts.get('type');
  const pathPart = parts.get('path');
  if (!typePart || !pathPart) throw new PatchProblem('an operation needs a type and a path');
  const type = stringPart(typePart, 'valueCode', 'type');
  if (!Object.hasOwn(PARTS, type)) throw new PatchProblem(`unknown operation type ${type} (add, insert, delete, replace or move)`);
  const wanted = PARTS[type as OperationType];
  for (const name of parts.keys()) {
    if (name !== 'type' && name !== 'path' && !wanted.includes(name)) throw new PatchProblem(`${type} takes no part ${name}`);
  }
  for (const name of wanted) if (!parts.has(name)) throw new PatchProblem(`${type} needs a part ${name}`);
  const path = stringPart(pathPart, 'valueString', 'path');
  // Present: checked just above.
  const part = (name: string): JsonObject => parts.get(name) ?? {};
  switch (type as OperationType) {
    case 'add': return { type: 'add', path, name: stringPart(part('name'), 'valueString', 'name'), value: part('value') };
    case 'insert': return { type: 'insert', path, value: part('value'), index: integerPart(part('index'), 'index') };
    case 'delete': return { type: 'delete', path };
    case 'replace': return { type: 'replace', path, value: part('value') };
    case 'move': return { type: 'move', path, source: integerPart(part('source'), 'source'), destination: integerPart(part('destination'), 'destination') };
  }
}

/** The operations of a FHIRPath Patch Parameters, checked before any applies. */
function readOperations(body: unknown): Operation[] {
  if (!isObject(body) || body.resourceType !== 'Parameters') invalid('a FHIRPath Patch is a Parameters resource');
  if (body.parameter === undefined) return [];
  if (!Array.isArray(body.parameter)) invalid('Parameters.parameter must be a list');
  return body.parameter.map((parameter: unknown, i: number) => {
    try {
      return readOperation(parameter);
    } catch (error) {
      if (error instanceof PatchProblem) invalid(`operation ${i + 1}: ${error.message}`, i);
      throw error;
    }
  });
}

function slotOf(location: ReturnType<typeof selectOne>, path: string, type: OperationType): Slot {
  if (location === 'resource') throw new PatchProblem(`${type} cannot apply to the resource itself (${path})`);
  return location;
}

function add(index: SchemaIndex, resource: JsonResource, operation: Extract<Operation, { type: 'add' }>): void {
  const container = containerOf(index, resource, selectOne(index, resource, operation.path, 'add'), true);
  if (!container) throw new PatchProblem(`the path ${operation.path} selects an element that holds no elements`);
  const candidates = propertiesNamed(container.type, operation.name);
  if (candidates.length === 0) throw new PatchProblem(`${container.type.name} has no element ${operation.name}`);
  const { property, element } = buildValue(index, operation.value, candidates, `${container.type.name}.${operation.name}`);
  if (property.repeats) {
    insertElement(container.object, property.jsonName, listLength(container.object, property.jsonName), element);
    return;
  }
  const present = candidates.some((p) => Object.hasOwn(container.object, p.jsonName) || Object.hasOwn(container.object, `_${p.jsonName}`));
  if (present) throw new PatchProblem(`${container.type.name}.${operation.name} is already there and does not repeat: replace it instead`);
  setElement(container.object, property.jsonName, element);
}

function insert(index: SchemaIndex, resource: JsonResource, operation: Extract<Operation, { type: 'insert' }>): void {
  const { holder, property } = selectList(index, resource, operation.path, true);
  const length = listLength(holder, property.jsonName);
  if (operation.index > length) throw new PatchProblem(`index ${operation.index} is beyond the end of ${operation.path} (${length} items)`);
  const built = buildValue(index, operation.value, [property], operation.path);
  insertElement(holder, property.jsonName, operation.index, built.element);
}

function remove(index: SchemaIndex, resource: JsonResource, operation: Extract<Operation, { type: 'delete' }>): void {
  const selected = select(index, resource, operation.path);
  if (selected.length > 1) throw new PatchProblem(`the path ${operation.path} selects ${selected.length} elements, delete removes only one`);
  const [location] = selected;
  if (location !== undefined) removeElement(slotOf(location, operation.path, 'delete'));
}

function replace(index: SchemaIndex, resource: JsonResource, operation: Extract<Operation, { type: 'replace' }>): void {
  const slot = slotOf(selectOne(index, resource, operation.path, 'replace'), operation.path, 'replace');
  const candidates = slot.owner.byStem.get(slot.property.stem) ?? [slot.property];
  const { property, element } = buildValue(index, operation.value, candidates, operation.path);
  replaceElement(slot, property.jsonName, element);
}

function move(index: SchemaIndex, resource: JsonResource, operation: Extract<Operation, { type: 'move' }>): void {
  const { holder, property } = selectList(index, resource, operation.path, false);
  const length = listLength(holder, property.jsonName);
  for (const at of [operation.source, operation.destination]) {
    if (at >= length) throw new PatchProblem(`index ${at} is beyond the end of ${operation.path} (${length} items)`);
  }
  moveElement(holder, property.jsonName, operation.source, operation.destination);
}

function applyOne(index: SchemaIndex, resource: JsonResource, operation: Operation): void {
  switch (operation.type) {
    case 'add': return add(index, resource, operation);
    case 'insert': return insert(index, resource, operation);
    case 'delete': return remove(index, resource, operation);
    case 'replace': return replace(index, resource, operation);
    case 'move': return move(index, resource, operation);
  }
}

/**
 * Applies a FHIRPath Patch (`body`, a Parameters resource) to the JSON text of
 * a resource and returns the patched resource, not yet validated. Every
 * failure is a patch.invalid naming the operation.
 */
export function applyFhirPathPatch(index: SchemaIndex, content: string, body: unknown): JsonResource {
  const operations = readOperations(body);
  // parseJson: the decimals the patch does not touch keep their written precision (1.50 stays 1.50).
  const resource = parseJson(content) as JsonResource;
  operations.forEach((operation, i) => {
    try {
      applyOne(index, resource, operation);
    } catch (error) {
      if (error instanceof PatchProblem) invalid(`operation ${i + 1} (${operation.type}): ${error.message}`, i);
      // A value nested too deeply to copy: the engine's limit, said without its internals.
      if (error instanceof RangeError) invalid(`operation ${i + 1} (${operation.type}): a value is nested too deeply`, i);
      throw error;
    }
  });
  return resource;
}
