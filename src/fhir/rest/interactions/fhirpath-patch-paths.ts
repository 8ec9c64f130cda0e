/**
 * The elements a FHIRPath Patch path selects (http://hl7.org/fhir/R4/fhirpatch.html:
 * "The FHIRPath statement must return elements from the resource being
 * modified").
 *
 * Paths are evaluated by fhirpath.js, the engine the invariants and the
 * search index already fall back on, so a patch path means what it means
 * everywhere else in Socle, where() and its friends included, within the
 * subset whose cost the resource bounds (fhirpath-patch-limits.ts). With
 * `resolveInternalTypes: false` it answers with its ResourceNodes, and each
 * knows its parent node, its property name and its position in a list: the
 * chain from the resource down to a node is the way to the node's JSON, for
 * primitives as for complex values. That chain is followed here through the
 * R4 model (element-index.ts) rather than trusted blindly: a node that does not
 * lead back to the patched resource, or whose way does not match the JSON, is
 * a computed value (`name.given + 'x'`, `birthDate.toString()`), not a place a
 * patch can write to.
 */
import fhirpath, { type UserInvocationTable } from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { PropertyInfo, SchemaIndex, TypeIndex } from '../../validation/element-index.js';
import { isObject, type JsonObject } from '../../validation/json-values.js';
import type { JsonResource } from '../resource-version.js';
import { callsResolve, MAX_PATH_LENGTH, pathRefusal, type AstNode } from './fhirpath-patch-limits.js';
import { extrasOf, valueAt, type Slot } from './fhirpath-patch-slots.js';

/** Why an operation cannot apply; the caller names the operation and answers patch.invalid. */
export class PatchProblem extends Error {
  override readonly name = 'PatchProblem';
}

/** The resource itself, or one element in it. */
export type Location = 'resource' | Slot;

/** An object elements can be added to: the resource, a complex element, or a primitive's `_name` object. */
export interface Container {
  readonly object: JsonObject;
  readonly type: TypeIndex;
  readonly primitive: Slot | undefined;
}

/** What fhirpath.js says of each node it selects (types.js, ResourceNode). */
interface PathNode {
  readonly data: unknown;
  readonly parentResNode: unknown;
  readonly propName: unknown;
  readonly index: unknown;
}

function isPathNode(value: unknown): value is PathNode {
  return typeof value === 'object' && value !== null && 'parentResNode' in value && 'data' in value;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** What went wrong, in the client's terms: fhirpath.js words its refusal of asynchronous functions for its callers. */
function evaluationProblem(expression: string, error: unknown): PatchProblem {
  // The engine's own limits (a path recursing past the stack) are not the client's to read about.
  if (error instanceof RangeError) return new PatchProblem(`the path ${expression} cannot be evaluated (it recurses too deeply)`);
  const asynchronous = /asynchronous function "([^"]+)"/.exec(firstLine(error))?.[1];
  const reason = asynchronous === undefined ? firstLine(error) : `${asynchronous}() needs a server or a terminology service, which patch paths do not use`;
  return new PatchProblem(`the path ${expression} cannot be evaluated (${reason})`);
}

/** The syntax tree of a path, once it is known to cost at most in proportion to the resource (fhirpath-patch-limits.ts). */
function parsePath(expression: string): AstNode {
  if (expression.length > MAX_PATH_LENGTH) {
    throw new PatchProblem(`a path of ${expression.length} characters is longer than the ${MAX_PATH_LENGTH} a patch path may have`);
  }
  let ast: AstNode;
  try {
    ast = fhirpath.parse(expression) as AstNode;
  } catch (error) {
    throw evaluationProblem(expression, error);
  }
  const refusal = pathRefusal(ast);
  if (refusal !== undefined) throw new PatchProblem(`the path ${expression} is refused: ${refusal}`);
  return ast;
}

/** Trace output stays out of the server's stdout. */
const OPTIONS = { resolveInternalTypes: false, traceFn: (): void => undefined } as const;

/**
 * resolve() as fhirpatch.html allows it: "SHALL only be used to refer to
 * contained resource within the resource being patched". A `#id` reference
 * gives that contained resource, found among the nodes of
 * `%resource.contained` so that its way back to the resource is known; each
 * once (references to one resource give one element to patch). Any other
 * reference, `#` alone (the container) included, is refused: a patch never
 * reads another resource.
 */
function localResolve(resource: JsonResource): UserInvocationTable[string] {
  let byId: Map<string, unknown> | undefined;
  const contained = (): Map<string, unknown> => {
    if (byId) return byId;
    byId = new Map();
    const nodes = fhirpath.evaluate(resource, '%resource.contained', { resource }, r4, OPTIONS) as unknown[];
    for (const node of nodes) {
      const id = isPathNode(node) && isObject(node.data) ? node.data.id : undefined;
      if (typeof id === 'string' && !byId.has(id)) byId.set(id, node);
    }
    return byId;
  };
  const fn = (inputs: unknown[]): unknown[] => {
    const found = new Set<unknown>();
    for (const input of inputs) {
      const data = isPathNode(input) ? input.data : input;
      const reference = typeof data === 'string' ? data : isObject(data) && typeof data.reference === 'string' ? data.reference : undefined;
      if (reference === undefined) continue;
      if (!reference.startsWith('#') || reference === '#') {
        throw new PatchProblem(`resolve() finds only the resources contained in the patched one (#id) in a patch path, not ${reference}`);
      }
      const node = contained().get(reference.slice(1));
      if (node !== undefined) found.add(node);
    }
    return [...found];
  };
  return { fn, arity: { 0: [] }, internalStructures: true };
}

function evaluate(expression: string, resource: JsonResource): unknown[] {
  const ast = parsePath(expression);
  const options = callsResolve(ast) ? { ...OPTIONS, userInvocationTable: { resolve: localResolve(resource) } } : OPTIONS;
  let result: unknown;
  try {
    result = fhirpath.evaluate(resource, expression, { resource, rootResource: resource }, r4, options);
  } catch (error) {
    // Syntax errors, a reference resolve() refuses, engine limits: all the client's path.
    throw evaluationProblem(expression, error);
  }
  if (!Array.isArray(result)) throw new PatchProblem(`the path ${expression} cannot be evaluated`);
  return result;
}

/** The object under `location` that elements can be added to; created for a primitive's extensions when asked. */
export function containerOf(index: SchemaIndex, resource: JsonResource, location: Location, create = false): Container | undefined {
  if (location === 'resource') {
    const type = index.type(resource.resourceType);
    return type ? { object: resource, type, primitive: undefined } : undefined;
  }
  const { property } = location;
  if (property.kind === 'primitive') {
    const object = extrasOf(location, create);
    const type = index.type('Element');
    return object && type ? { object, type, primitive: location } : undefined;
  }
  const value = valueAt(location);
  if (!isObject(value)) return undefined;
  let type: TypeIndex | undefined;
  if (property.kind === 'complex') type = index.type(property.typeCode);
  else if (typeof value.resourceType === 'string' && index.schema.isResourceType(value.resourceType)) type = index.type(value.resourceType);
  return type ? { object: value, type, primitive: undefined } : undefined;
}

/** The form of element `stem` present in `container` (for a choice, the one type it has). */
function presentProperty(container: Container, stem: string): PropertyInfo | undefined {
  return container.type.byStem.get(stem)?.find((p) => Object.hasOwn(container.object, p.jsonName) || Object.hasOwn(container.object, `_${p.jsonName}`));
}

function locate(index: SchemaIndex, resource: JsonResource, node: unknown, expression: string): Location {
  const notAnElement = new PatchProblem(`the path ${expression} selects a value that is not an element of the resource`);
  const chain: PathNode[] = [];
  for (let current = node; current !== null; current = (current as PathNode).parentResNode) {
    if (!isPathNode(current)) throw notAnElement;
    chain.unshift(current);
  }
  if (chain[0]?.data !== resource) throw notAnElement;
  let location: Location = 'resource';
  for (const step of chain.slice(1)) {
    const container = containerOf(index, resource, location);
    const property = container && typeof step.propName === 'string' ? presentProperty(container, step.propName) : undefined;
    if (!container || !property) throw notAnElement;
    const position = typeof step.index === 'number' ? step.index : undefined;
    const json = container.object[property.jsonName] ?? container.object[`_${property.jsonName}`];
    if (Array.isArray(json) !== (position !== undefined)) throw notAnElement;
    location = { holder: container.object, key: property.jsonName, index: position, property, owner: container.type, primitive: container.primitive };
    // A complex node is the very object of the resource (fhirpath.js does not copy them); a primitive's
    // data may be fhirpath.js's own wrapper (numbers are), so only complex properties are checked so.
    if (property.kind !== 'primitive' && isObject(step.data) && step.data !== valueAt(location)) throw notAnElement;
  }
  return location;
}

/** Every element `expression` selects in the resource. */
export function select(index: SchemaIndex, resource: JsonResource, expression: string): Location[] {
  return evaluate(expression, resource).map((node) => locate(index, resource, node, expression));
}

/** The one element `expression` selects; `purpose` says what it is for, in the message otherwise. */
export function selectOne(index: SchemaIndex, resource: JsonResource, expression: string, purpose: string): Location {
  const selected = select(index, resource, expression);
  const [only] = selected;
  if (only === undefined || selected.length > 1) {
    throw new PatchProblem(`the path ${expression} selects ${selected.length} elements, ${purpose} needs exactly one`);
  }
  return only;
}

/** A name as written, `backticks` removed. */
function identifier(text: string): string {
  return text.startsWith('`') && text.endsWith('`') ? text.slice(1, -1) : text;
}

/** The offset in `text` of a parser position (1-based line and column). */
function offsetOf(text: string, start: { line: number; column: number }): number {
  const lines = text.split('\n');
  return lines.slice(0, start.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + start.column - 1;
}

/**
 * A list path ("Patient.name[0].given") as the path of the element holding
 * the list and the list's name. insert and move name "the collection": an
 * empty or absent list selects nothing, so the list is found from its holder.
 * Anything but a member name at the end (`.where(…)`, `[0]`) names no list.
 */
function splitListPath(expression: string): { readonly holder: string | undefined; readonly name: string } | undefined {
  let node: AstNode | undefined = parsePath(expression);
  while (node?.type === 'EntireExpression' && node.children?.length === 1) node = node.children[0];
  if (node?.type === 'TermExpression') {
    const member = node.children?.[0]?.type === 'InvocationTerm' ? node.children[0].children?.[0] : undefined;
    return member?.type === 'MemberInvocation' && member.text ? { holder: undefined, name: identifier(member.text) } : undefined;
  }
  const member = node?.type === 'InvocationExpression' && node.children?.length === 2 ? node.children[1] : undefined;
  if (member?.type !== 'MemberInvocation' || !member.text || !member.start) return undefined;
  // The parser gives positions, not the text of the left side: cut the expression there, and only where the cut is plainly right.
  const offset = offsetOf(expression, member.start);
  if (expression.slice(offset, offset + member.text.length) !== member.text) return undefined;
  const before = expression.slice(0, offset).trimEnd();
  return before.endsWith('.') ? { holder: before.slice(0, -1), name: identifier(member.text) } : undefined;
}

/** The list a path of insert or move names: the object holding it, and its definition. */
export function selectList(
  index: SchemaIndex, resource: JsonResource, expression: string, create: boolean,
): { readonly holder: JsonObject; readonly property: PropertyInfo } {
  const split = splitListPath(expression);
  if (!split) throw new PatchProblem(`the path ${expression} does not name a list: it must end with the name of a repeating element`);
  const location = split.holder === undefined ? 'resource' : selectOne(index, resource, split.holder, 'the element holding the list');
  const container = containerOf(index, resource, location, create);
  const candidates = container?.type.byStem.get(split.name) ?? [];
  const [property] = candidates;
  if (!container || !property || candidates.length > 1 || !property.repeats) {
    throw new PatchProblem(`the path ${expression} does not name a list: ${split.name} is not a repeating element${container ? ` of ${container.type.name}` : ''}`);
  }
  return { holder: container.object, property };
}
