/**
 * The values and operators of the native FHIRPath subset (fhirpath-subset.ts):
 * collections of instance nodes, FHIRPath's three-valued logic
 * (http://hl7.org/fhirpath/N1/#boolean-logic) and comparisons with literals,
 * each returning UNKNOWN where fhirpath.js must decide instead.
 */
import type { SchemaIndex, TypeIndex } from './element-index.js';
import { isObject } from './json-values.js';

export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

/** A node of the instance: a JSON value with its primitive extension ("_x") and its type. */
export interface Item {
  readonly value: unknown;
  readonly ext: unknown;
  readonly type: TypeIndex | string;
}

/** %resource and %rootResource (http://hl7.org/fhir/R4/fhirpath.html#variables). */
export interface SubsetEnvironment {
  readonly resource: unknown;
  readonly rootResource: unknown;
}

/** FHIRPath's three-valued booleans, null standing for the empty collection. */
export type Tri = boolean | null;
export type SubsetFn = (context: Item, env: SubsetEnvironment) => Tri | Unknown;

export type Coll = readonly Item[] | Unknown;
export type CollFn = (context: Item, env: SubsetEnvironment) => Coll;
export type BoolFn = (context: Item, env: SubsetEnvironment) => Tri | Unknown;
export type Compiled =
  | { readonly kind: 'coll'; readonly fn: CollFn }
  | { readonly kind: 'bool'; readonly fn: BoolFn }
  | { readonly kind: 'int'; readonly fn: (context: Item, env: SubsetEnvironment) => number | Unknown }
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | { readonly kind: 'unknown' };

export const NOT_SUPPORTED: Compiled = { kind: 'unknown' };
const TEXT_PRIMITIVES = new Set(['string', 'code', 'id', 'uri', 'url', 'canonical', 'markdown', 'oid', 'uuid']);

export function resourceItem(index: SchemaIndex, resource: unknown): Coll {
  if (!isObject(resource) || typeof resource.resourceType !== 'string') return UNKNOWN;
  const type = index.type(resource.resourceType);
  return type ? [{ value: resource, ext: undefined, type }] : UNKNOWN;
}

/**
 * Appends to `out` the items of one element of a JSON object, primitives
 * paired with their "_" forms; false when the subset cannot navigate there
 * (not an object, not an element of its type, malformed content).
 */
export function children(index: SchemaIndex, item: Item, stem: string, out: Item[]): boolean {
  if (typeof item.type === 'string' || !isObject(item.value)) return false;
  const properties = item.type.byStem.get(stem);
  if (!properties) return false;
  const object = item.value;
  for (const property of properties) {
    const value = object[property.jsonName];
    if (property.kind === 'primitive') {
      const ext = object[property.extName];
      if (value == null && ext == null) continue;
      if (Array.isArray(value) || Array.isArray(ext)) {
        const values: readonly unknown[] = Array.isArray(value) ? value : [];
        const exts: readonly unknown[] = Array.isArray(ext) ? ext : [];
        const length = Math.max(values.length, exts.length);
        for (let i = 0; i < length; i++) {
          const v = values[i];
          const e = exts[i];
          if (v != null || e != null) out.push({ value: v ?? undefined, ext: e ?? undefined, type: property.typeCode });
        }
      } else {
        out.push({ value: value ?? undefined, ext, type: property.typeCode });
      }
      continue;
    }
    if (value === undefined || value === null) continue;
    const list: readonly unknown[] = Array.isArray(value) ? value : [value];
    for (const element of list) {
      // Malformed content (already reported by the walk): leave it to fhirpath.js.
      if (!isObject(element)) return false;
      const type = property.kind === 'resource'
        ? (typeof element.resourceType === 'string' ? index.type(element.resourceType) : undefined)
        : index.type(property.typeCode);
      if (!type) return false;
      out.push({ value: element, ext: undefined, type });
    }
  }
  return true;
}

/** A single string (or nothing) for `&` and the string functions. */
export function singleString(items: readonly Item[]): string | null | Unknown {
  if (items.length === 0) return null;
  const only = items[0];
  return items.length === 1 && typeof only?.value === 'string' ? only.value : UNKNOWN;
}

export function toBool(compiled: Compiled): BoolFn | undefined {
  if (compiled.kind === 'bool') return compiled.fn;
  if (compiled.kind === 'literal' && typeof compiled.value === 'boolean') {
    const value = compiled.value;
    return () => value;
  }
  if (compiled.kind === 'coll') {
    // A singleton boolean collection converts to a boolean (fhirpath spec §4.5).
    const fn = compiled.fn;
    return (c, env) => {
      const items = fn(c, env);
      if (items === UNKNOWN) return UNKNOWN;
      if (items.length === 0) return null;
      const only = items[0];
      return items.length === 1 && typeof only?.value === 'boolean' ? only.value : UNKNOWN;
    };
  }
  return undefined;
}

export function logical(operator: string, left: Compiled, right: Compiled): Compiled {
  const a = toBool(left) ?? (() => UNKNOWN);
  const b = toBool(right) ?? (() => UNKNOWN);
  switch (operator) {
    case 'or':
      return { kind: 'bool', fn: (c, env) => {
        const x = a(c, env);
        if (x === true) return true;
        const y = b(c, env);
        if (y === true) return true;
        if (x === UNKNOWN || y === UNKNOWN) return UNKNOWN;
        return x === null || y === null ? null : false;
      } };
    case 'and':
      return { kind: 'bool', fn: (c, env) => {
        const x = a(c, env);
        if (x === false) return false;
        const y = b(c, env);
        if (y === false) return false;
        if (x === UNKNOWN || y === UNKNOWN) return UNKNOWN;
        return x === null || y === null ? null : true;
      } };
    case 'xor':
      return { kind: 'bool', fn: (c, env) => {
        const x = a(c, env);
        const y = b(c, env);
        if (x === UNKNOWN || y === UNKNOWN) return UNKNOWN;
        return x === null || y === null ? null : x !== y;
      } };
    case 'implies':
      return { kind: 'bool', fn: (c, env) => {
        const x = a(c, env);
        if (x === false) return true;
        const y = b(c, env);
        if (y === true) return true;
        if (x === UNKNOWN || y === UNKNOWN) return UNKNOWN;
        return x === true ? y : null;
      } };
    default:
      return NOT_SUPPORTED;
  }
}

function order(operator: string, left: number, right: number): boolean | undefined {
  switch (operator) {
    case '=': return left === right;
    case '!=': return left !== right;
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
    default: return undefined;
  }
}

/** Equality or ordering of a collection, a count or a boolean against a literal or a boolean. */
export function comparison(operator: string, left: Compiled, right: Compiled): Compiled {
  const equality = operator === '=' || operator === '!=';
  const negate = operator === '!=';
  if (left.kind === 'literal' && right.kind !== 'literal') return equality ? comparison(operator, right, left) : NOT_SUPPORTED;
  if (left.kind === 'bool' && right.kind === 'bool' && equality) {
    const a = left.fn;
    const b = right.fn;
    return { kind: 'bool', fn: (c, env) => {
      const x = a(c, env);
      const y = b(c, env);
      if (x === UNKNOWN || y === UNKNOWN) return UNKNOWN;
      return x === null || y === null ? null : (x === y) !== negate;
    } };
  }
  if (right.kind !== 'literal') return NOT_SUPPORTED;
  const literal = right.value;
  if (left.kind === 'int' && typeof literal === 'number') {
    const fn = left.fn;
    return { kind: 'bool', fn: (c, env) => {
      const n = fn(c, env);
      return n === UNKNOWN ? UNKNOWN : order(operator, n, literal) ?? UNKNOWN;
    } };
  }
  if (left.kind !== 'coll' || !equality) return NOT_SUPPORTED;
  const fn = left.fn;
  return { kind: 'bool', fn: (c, env) => {
    const items = fn(c, env);
    if (items === UNKNOWN) return UNKNOWN;
    if (items.length === 0) return null;
    const only = items[0];
    if (items.length !== 1 || !only || typeof only.type !== 'string' || only.value === undefined) return UNKNOWN;
    // Only types whose FHIRPath equality is JavaScript equality (no dates, no quantities).
    const comparable = typeof literal === 'string' ? TEXT_PRIMITIVES.has(only.type) : typeof only.value === typeof literal;
    if (!comparable) return UNKNOWN;
    return (only.value === literal) !== negate;
  } };
}

/** `a & b`: string concatenation where an empty side counts as '' (fhirpath spec §6.6). */
export function concatenation(left: Compiled, right: Compiled): Compiled {
  const side = (compiled: Compiled): ((c: Item, env: SubsetEnvironment) => string | null | Unknown) | undefined => {
    if (compiled.kind === 'literal') return typeof compiled.value === 'string' ? () => compiled.value as string : undefined;
    if (compiled.kind !== 'coll') return undefined;
    const fn = compiled.fn;
    return (c, env) => {
      const items = fn(c, env);
      return items === UNKNOWN ? UNKNOWN : singleString(items);
    };
  };
  const a = side(left);
  const b = side(right);
  if (!a || !b) return NOT_SUPPORTED;
  return { kind: 'coll', fn: (c, env) => {
    const x = a(c, env);
    const y = b(c, env);
    if (x === UNKNOWN || y === UNKNOWN) return UNKNOWN;
    return [{ value: (x ?? '') + (y ?? ''), ext: undefined, type: 'string' }];
  } };
}
