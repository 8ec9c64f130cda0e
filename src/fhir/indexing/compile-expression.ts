/**
 * Compiles a parsed FHIRPath expression (parse-expression.ts) into plain
 * closures that walk the resource JSON, knowing at every step which FHIR type
 * each selected node has (http://hl7.org/fhirpath/N1/#path-selection).
 *
 * The closures are built back to front in continuation-passing style: every
 * step receives one item and hands each result to the next step, and only the
 * last step writes into the output array, as flat pairs (value, type). No
 * intermediate collection is allocated for plain paths, filters and unions;
 * only the collection-level operators (exists(), first(), [n], =, and, or…)
 * gather their operand into a temporary array.
 *
 * Unions do not remove duplicates here (FHIRPath's `|` does): the indexer
 * deduplicates its rows anyway.
 */
import type { Expression } from './parse-expression.js';
import { UnsupportedExpression } from './parse-expression.js';
import type { ChildKey, TypeModel } from './type-model.js';
import { referenceTargetType } from './values.js';
import type { Compiled, JsonObject, Step } from './compiled-step.js';
import { collector, EMPTY, gather, gatherBoolean, sameValue, singletonBoolean } from './compiled-step.js';

export type { Compiled, JsonObject, Step } from './compiled-step.js';
export { PUSH } from './compiled-step.js';

export interface CompileScope {
  readonly model: TypeModel;
  /** The resource type %resource stands for. */
  readonly resourceType: string;
  /** The text being compiled, for error messages. */
  readonly source: string;
}

function identity(types: readonly string[]): Compiled {
  return { types, valueSets: [], bind: (next) => next };
}

function unsupported(scope: CompileScope, reason: string): never {
  throw new UnsupportedExpression(scope.source, reason);
}

/** Compiles `node`, evaluated on a focus item of one of `inputTypes`. */
export function compileNode(node: Expression, inputTypes: readonly string[], scope: CompileScope): Compiled {
  if (inputTypes.length === 0) return EMPTY;
  switch (node.kind) {
    case 'identifier':
      return compileIdentifier(node.name, inputTypes, scope);
    case 'member':
      return compileMember(compileNode(node.target, inputTypes, scope), node.name, scope);
    case 'call':
      return compileCall(node, inputTypes, scope);
    case 'index': {
      const position = node.index * 2;
      return gather(compileNode(node.target, inputTypes, scope), (items, resource, out, next) => {
        if (items.length > position) next(items[position], items[position + 1] as string, resource, out);
      });
    }
    case 'type':
      return node.op === 'as'
        ? compileOfType(node.operand, node.typeName, inputTypes, scope)
        : compileIs(node.operand, node.typeName, inputTypes, scope);
    case 'binary':
      return compileBinary(node, inputTypes, scope);
    case 'literal': {
      const value = node.value;
      const type = typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'boolean' : Number.isInteger(value) ? 'integer' : 'decimal';
      return { types: [type], valueSets: [], bind: (next) => (_v, _t, resource, out) => next(value, type, resource, out) };
    }
    case 'this':
      return identity(inputTypes);
    case 'variable':
      if (node.name !== 'resource' && node.name !== 'rootResource') unsupported(scope, `%${node.name} is not supported`);
      return {
        types: [scope.resourceType],
        valueSets: [],
        bind: (next) => (_v, _t, resource, out) => next(resource, scope.resourceType, resource, out),
      };
  }
}

/**
 * A capitalised identifier is a type name: at the start of a path it filters
 * the focus by type ("Patient.name" on a Patient; "Account.subject" selects
 * nothing on a Patient). Any other identifier is an element of the focus.
 */
function compileIdentifier(name: string, inputTypes: readonly string[], scope: CompileScope): Compiled {
  if (/^[A-Z]/.test(name)) {
    if (!scope.model.isTypeName(name)) unsupported(scope, `unknown type ${name}`);
    return filterByType(identity(inputTypes), name, scope);
  }
  return compileMember(identity(inputTypes), name, scope);
}

/** Keeps the items of `source` that are of type `typeName` or one of its subtypes. */
function filterByType(source: Compiled, typeName: string, scope: CompileScope): Compiled {
  const { model } = scope;
  const types: string[] = [];
  let needsCheck = false;
  for (const type of source.types) {
    if (model.isSubtypeOf(type, typeName)) {
      types.push(type);
    } else if (type === 'Resource' && model.isSubtypeOf(typeName, 'Resource')) {
      // A resource known only at run time (Bundle.entry.resource): check each one.
      types.push(typeName);
      needsCheck = true;
    } else {
      needsCheck = true;
    }
  }
  if (types.length === 0) return EMPTY;
  if (!needsCheck) return source;
  const accepted = new Map<string, boolean>();
  return {
    types,
    valueSets: source.valueSets,
    bind: (next) => source.bind((value, type, resource, out) => {
      let ok = accepted.get(type);
      if (ok === undefined) {
        ok = model.isSubtypeOf(type, typeName);
        accepted.set(type, ok);
      }
      if (ok) next(value, type, resource, out);
    }),
  };
}

/**
 * Navigates to element `name` of each item. A choice element reaches one key
 * per allowed type (value[x] → valueQuantity, valueString…); `accept`
 * narrows those keys when an ofType() follows, so that only the keys that can
 * match are read.
 */
function compileMember(source: Compiled, name: string, scope: CompileScope, accept?: (type: string) => boolean): Compiled {
  if (source.types.length === 0) return EMPTY;
  const keysByType = new Map<string, readonly ChildKey[]>();
  const types = new Set<string>();
  const valueSets = new Set<string>();
  for (const type of source.types) {
    const children = scope.model.children(type, name);
    if (!children) unsupported(scope, `${type} has no element "${name}"`);
    const kept = accept ? children.filter((c) => accept(c.type)) : children;
    keysByType.set(type, kept);
    for (const child of kept) {
      types.add(child.type);
      if (child.valueSet) valueSets.add(child.valueSet);
    }
  }
  if (types.size === 0) return EMPTY;
  return {
    types: [...types],
    valueSets: [...valueSets],
    bind: (next) => {
      if (keysByType.size === 1) return source.bind(childrenStep([...keysByType.values()][0] ?? [], next));
      const table = new Map<string, Step>();
      for (const [type, keys] of keysByType) table.set(type, childrenStep(keys, next));
      const forAnyResource = table.get('Resource');
      return source.bind((value, type, resource, out) => {
        const step = table.get(type) ?? forAnyResource;
        if (step) step(value, type, resource, out);
      });
    },
  };
}

function childrenStep(keys: readonly ChildKey[], next: Step): Step {
  if (keys.length === 1) return childStep(keys[0] as ChildKey, next);
  const steps = keys.map((key) => childStep(key, next));
  return (value, type, resource, out) => {
    for (let i = 0; i < steps.length; i++) (steps[i] as Step)(value, type, resource, out);
  };
}

function childStep({ key, type }: ChildKey, next: Step): Step {
  if (type === 'Resource') {
    return (value, _type, resource, out) => {
      const child = (value as JsonObject)[key];
      if (child === undefined || child === null) return;
      for (const item of Array.isArray(child) ? child : [child]) {
        if (item !== null && typeof item === 'object') {
          const resourceType = (item as JsonObject).resourceType;
          next(item, typeof resourceType === 'string' ? resourceType : 'Resource', resource, out);
        }
      }
    };
  }
  return (value, _type, resource, out) => {
    const child = (value as JsonObject)[key];
    if (child === undefined || child === null) return;
    if (Array.isArray(child)) {
      // A null entry is a primitive that only carries an extension (http://hl7.org/fhir/R4/json.html#primitive).
      for (let i = 0; i < child.length; i++) {
        const item: unknown = child[i];
        if (item !== null && item !== undefined) next(item, type, resource, out);
      }
    } else {
      next(child, type, resource, out);
    }
  };
}

function compileOfType(operand: Expression, typeName: string, inputTypes: readonly string[], scope: CompileScope): Compiled {
  if (!scope.model.isTypeName(typeName)) unsupported(scope, `unknown type ${typeName}`);
  const { model } = scope;
  // Narrow a choice element to its matching keys before reading them.
  const source = operand.kind === 'member'
    ? compileMember(compileNode(operand.target, inputTypes, scope), operand.name, scope,
      (type) => type === 'Resource' || model.isSubtypeOf(type, typeName))
    : compileNode(operand, inputTypes, scope);
  return filterByType(source, typeName, scope);
}

function compileCall(node: Extract<Expression, { kind: 'call' }>, inputTypes: readonly string[], scope: CompileScope): Compiled {
  const target: Expression = node.target ?? { kind: 'this' };
  const argument = node.args[0];
  const arity = node.args.length;
  switch (node.name) {
    case 'ofType':
    case 'as':
      if (arity !== 1 || argument?.kind !== 'identifier') return unsupported(scope, `${node.name}() takes a type`);
      return compileOfType(target, argument.name, inputTypes, scope);
    case 'is':
      if (arity !== 1 || argument?.kind !== 'identifier') return unsupported(scope, 'is() takes a type');
      return compileIs(target, argument.name, inputTypes, scope);
    case 'where': {
      if (arity !== 1 || !argument) return unsupported(scope, 'where() takes one criterion');
      const source = compileNode(target, inputTypes, scope);
      if (source.types.length === 0) return EMPTY;
      const keep = compilePredicate(argument, source.types, scope);
      return {
        types: source.types,
        valueSets: source.valueSets,
        bind: (next) => source.bind((value, type, resource, out) => {
          if (keep(value, type, resource)) next(value, type, resource, out);
        }),
      };
    }
    case 'extension': {
      if (arity !== 1 || argument?.kind !== 'literal' || typeof argument.value !== 'string') {
        return unsupported(scope, 'extension() takes a URL literal');
      }
      const url = argument.value;
      const extensions = compileMember(compileNode(target, inputTypes, scope), 'extension', scope);
      return {
        types: extensions.types,
        valueSets: [],
        bind: (next) => extensions.bind((value, type, resource, out) => {
          if ((value as JsonObject).url === url) next(value, type, resource, out);
        }),
      };
    }
    case 'exists':
      if (arity > 1) return unsupported(scope, 'exists() takes at most one criterion');
      if (argument) {
        return compileCall({ kind: 'call', target: { kind: 'call', target, name: 'where', args: [argument] }, name: 'exists', args: [] }, inputTypes, scope);
      }
      return gatherBoolean(compileNode(target, inputTypes, scope), (items) => items.length > 0);
    case 'empty':
      return gatherBoolean(compileNode(target, inputTypes, scope), (items) => items.length === 0);
    case 'not':
      return gatherBoolean(compileNode(target, inputTypes, scope), (items) => {
        const truth = singletonBoolean(items);
        return truth === undefined ? undefined : !truth;
      });
    case 'first':
      return compileNode({ kind: 'index', target, index: 0 }, inputTypes, scope);
    default:
      return unsupported(scope, `${node.name}() is not supported`);
  }
}

/**
 * `X is T` on a single item. `resolve() is T` is answered from the reference
 * itself (its Type/id, else Reference.type) rather than by fetching the
 * target, which is what the search parameters that use it mean
 * (http://hl7.org/fhir/R4/searchparameter.html, "resolve() is").
 */
function compileIs(operand: Expression, typeName: string, inputTypes: readonly string[], scope: CompileScope): Compiled {
  const { model } = scope;
  if (!model.isTypeName(typeName)) unsupported(scope, `unknown type ${typeName}`);
  if (operand.kind === 'call' && operand.name === 'resolve' && operand.args.length === 0) {
    const references = compileNode(operand.target ?? { kind: 'this' }, inputTypes, scope);
    if (references.types.some((t) => t !== 'Reference')) unsupported(scope, 'resolve() is only supported on Reference');
    return gatherBoolean(references, (items) => {
      if (items.length !== 2) return undefined;
      const reference = items[0] as JsonObject;
      const target = referenceTargetType(reference.reference, reference.type);
      return target !== undefined && model.isSubtypeOf(target, typeName);
    });
  }
  return gatherBoolean(compileNode(operand, inputTypes, scope), (items) =>
    items.length === 2 ? model.isSubtypeOf(items[1] as string, typeName) : undefined);
}

function compileBinary(node: Extract<Expression, { kind: 'binary' }>, inputTypes: readonly string[], scope: CompileScope): Compiled {
  const left = compileNode(node.left, inputTypes, scope);
  const right = compileNode(node.right, inputTypes, scope);
  if (node.op === '|') {
    if (left.types.length === 0) return right;
    if (right.types.length === 0) return left;
    return {
      types: [...new Set([...left.types, ...right.types])],
      valueSets: [...new Set([...left.valueSets, ...right.valueSets])],
      bind: (next) => {
        const first = left.bind(next);
        const second = right.bind(next);
        return (value, type, resource, out) => {
          first(value, type, resource, out);
          second(value, type, resource, out);
        };
      },
    };
  }
  const gatherLeft = collector(left);
  const gatherRight = collector(right);
  const op = node.op;
  const combine = (value: unknown, type: string, resource: JsonObject): boolean | undefined => {
    const a = gatherLeft(value, type, resource);
    const b = gatherRight(value, type, resource);
    if (op === '=' || op === '!=') {
      // Equality is empty when either side is empty (http://hl7.org/fhirpath/N1/#equality).
      if (a.length === 0 || b.length === 0) return undefined;
      const equal = a.length === b.length && a.every((item, i) => i % 2 === 1 || sameValue(item, b[i]));
      return op === '=' ? equal : !equal;
    }
    // Three-valued logic (http://hl7.org/fhirpath/N1/#boolean-logic).
    const x = singletonBoolean(a);
    const y = singletonBoolean(b);
    if (op === 'and') return x === false || y === false ? false : x === true && y === true ? true : undefined;
    return x === true || y === true ? true : x === false && y === false ? false : undefined;
  };
  return {
    types: ['boolean'],
    valueSets: [],
    bind: (next) => (value, type, resource, out) => {
      const result = combine(value, type, resource);
      if (result !== undefined) next(result, 'boolean', resource, out);
    },
  };
}

/**
 * The where() criterion as a predicate. The two forms of the definitions,
 * `element = 'literal'` and `resolve() is T` (on a Reference), are tested
 * directly on the item instead of gathering a collection.
 */
function compilePredicate(criterion: Expression, inputTypes: readonly string[], scope: CompileScope) {
  type Predicate = (value: unknown, type: string, resource: JsonObject) => boolean;
  if (criterion.kind === 'binary' && criterion.op === '=' && criterion.left.kind === 'identifier'
    && criterion.right.kind === 'literal' && /^[a-z]/.test(criterion.left.name) && inputTypes.length === 1) {
    const children = scope.model.children(inputTypes[0] as string, criterion.left.name);
    const child = children?.length === 1 ? children[0] : undefined;
    if (child && scope.model.schema.isPrimitive(child.type)) {
      const { key } = child;
      const literal = criterion.right.value;
      const predicate: Predicate = (value) => {
        const field = (value as JsonObject)[key];
        return field === literal || (Array.isArray(field) && field.length === 1 && field[0] === literal);
      };
      return predicate;
    }
  }
  if (criterion.kind === 'type' && criterion.op === 'is' && criterion.operand.kind === 'call' && criterion.operand.name === 'resolve'
    && criterion.operand.target === null && criterion.operand.args.length === 0 && inputTypes.every((t) => t === 'Reference')) {
    const { model } = scope;
    const typeName = criterion.typeName;
    if (!model.isTypeName(typeName)) unsupported(scope, `unknown type ${typeName}`);
    const predicate: Predicate = (value) => {
      const target = referenceTargetType((value as JsonObject).reference, (value as JsonObject).type);
      return target !== undefined && (target === typeName || model.isSubtypeOf(target, typeName));
    };
    return predicate;
  }
  const gatherCriterion = collector(compileNode(criterion, inputTypes, scope));
  const predicate: Predicate = (value, type, resource) => singletonBoolean(gatherCriterion(value, type, resource)) === true;
  return predicate;
}
