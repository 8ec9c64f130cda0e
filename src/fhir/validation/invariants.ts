/**
 * FHIRPath invariants of types and elements
 * (http://hl7.org/fhir/R4/conformance-rules.html#constraints), each compiled
 * once: first to the native subset (fhirpath-subset.ts), then, only if an
 * instance needs it, to fhirpath.js. An expression fhirpath.js cannot parse
 * or that throws is skipped and remembered, never held against the resource.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { Constraint } from '../definitions/model.js';
import type { FhirSchema } from '../definitions/schema.js';
import { schemaIndex, type SchemaIndex } from './element-index.js';
import { compileSubset, UNKNOWN, type Item, type SubsetExpression } from './fhirpath-subset.js';

/** %resource and %rootResource (http://hl7.org/fhir/R4/fhirpath.html#variables). */
export interface InvariantEnvironment {
  readonly resource: unknown;
  readonly rootResource: unknown;
}

type FhirPathFn = (data: unknown, env: Record<string, unknown>) => unknown[];

interface CompiledInvariant {
  readonly constraint: Constraint;
  /** The path fhirpath.js resolves element types from (a type name or an element path). */
  readonly base: string;
  readonly subset: SubsetExpression | undefined;
  /** undefined: not compiled yet; null: fhirpath.js cannot parse it. */
  full: FhirPathFn | null | undefined;
}

const OPTIONS = { traceFn: () => undefined };

/**
 * R4 invariants whose published expression is wrong, as later FHIR versions
 * corrected them. que-7 tests `answer is Boolean` (System.Boolean), which a
 * FHIR boolean never is, so every enableWhen with operator "exists" failed,
 * the specification's own Questionnaire examples included; R5 reads
 * `answer is boolean`.
 */
const ERRATA: Readonly<Record<string, string>> = {
  'que-7': "operator = 'exists' implies (answer is boolean)",
};

function corrected(constraint: Constraint): Constraint {
  const expression = ERRATA[constraint.key];
  return expression === undefined ? constraint : { ...constraint, expression };
}

export class InvariantEngine {
  private readonly compiled = new WeakMap<readonly Constraint[], Map<string, CompiledInvariant[]>>();
  private readonly unparsable = new Set<string>();
  private readonly threw = new Set<string>();
  /**
   * For tests: also run fhirpath.js where the native subset decided, and
   * record the keys where they disagree.
   */
  crossCheck = false;
  readonly disagreements: string[] = [];

  constructor(private readonly index: SchemaIndex) {}

  /**
   * The invariants of a constraint list as seen from `base`; `rootName` is the
   * type an expression may start with. Cached per list and base.
   */
  prepare(constraints: readonly Constraint[], base: string, rootName: string): readonly CompiledInvariant[] {
    let byBase = this.compiled.get(constraints);
    if (!byBase) {
      byBase = new Map();
      this.compiled.set(constraints, byBase);
    }
    let list = byBase.get(base);
    if (!list) {
      list = constraints.map((published) => {
        const constraint = corrected(published);
        return { constraint, base, subset: this.subset(constraint, rootName), full: undefined };
      });
      byBase.set(base, list);
    }
    return list;
  }

  /** False when the invariant fails on `item`; true when it holds or cannot be evaluated. */
  holds(invariant: CompiledInvariant, item: Item, env: InvariantEnvironment): boolean {
    if (invariant.subset) {
      let quick: ReturnType<SubsetExpression['evaluate']>;
      try {
        quick = invariant.subset.evaluate(item, env);
      } catch {
        // A bug of the subset must not fail a resource: let fhirpath.js decide.
        quick = UNKNOWN;
      }
      if (quick !== UNKNOWN) {
        if (this.crossCheck && this.evaluateFull(invariant, item, env) !== (quick !== false)) {
          this.disagreements.push(invariant.constraint.key);
        }
        return quick !== false;
      }
    }
    return this.evaluateFull(invariant, item, env);
  }

  private evaluateFull(invariant: CompiledInvariant, item: Item, env: InvariantEnvironment): boolean {
    const full = this.full(invariant);
    if (!full) return true;
    try {
      const result = full(item.value, { resource: env.resource, rootResource: env.rootResource });
      // Only false is a failure; an empty result means the rule does not apply.
      return !(result.length === 1 && result[0] === false);
    } catch {
      this.threw.add(invariant.constraint.key);
      return true;
    }
  }

  /** Keys of the invariants that are skipped: unparsable, or that threw on some instance. */
  unsupported(): string[] {
    return [...new Set([...this.unparsable, ...this.threw])].sort();
  }

  /** Compiles every invariant of the model, so that unsupported() covers all of them. */
  compileAll(): { readonly total: number; readonly native: number; readonly unsupported: readonly string[] } {
    let total = 0;
    let native = 0;
    for (const type of Object.values(this.index.schema.model.types)) {
      const lists: [readonly Constraint[], string, string][] = [];
      if (type.constraints) lists.push([type.constraints, type.name, type.name]);
      for (const element of Object.values(type.elements)) {
        if (element.constraints) lists.push([element.constraints, element.path.replace('[x]', ''), type.name]);
      }
      for (const [constraints, base, rootName] of lists) {
        for (const invariant of this.prepare(constraints, base, rootName)) {
          total++;
          if (invariant.subset?.complete) native++;
          this.full(invariant);
        }
      }
    }
    return { total, native, unsupported: this.unsupported() };
  }

  private subset(constraint: Constraint, rootName: string): SubsetExpression | undefined {
    try {
      return compileSubset(this.index, rootName, constraint.expression);
    } catch {
      return undefined;
    }
  }

  private full(invariant: CompiledInvariant): FhirPathFn | null {
    if (invariant.full === undefined) {
      try {
        invariant.full = fhirpath.compile({ base: invariant.base, expression: invariant.constraint.expression }, r4, OPTIONS) as FhirPathFn;
      } catch {
        invariant.full = null;
        this.unparsable.add(invariant.constraint.key);
      }
    }
    return invariant.full;
  }
}

const engines = new WeakMap<FhirSchema, InvariantEngine>();

export function invariantEngine(schema: FhirSchema): InvariantEngine {
  let engine = engines.get(schema);
  if (!engine) {
    engine = new InvariantEngine(schemaIndex(schema));
    engines.set(schema, engine);
  }
  return engine;
}

/**
 * The invariants of the model the validator skips (fhirpath.js cannot parse
 * them, or they threw on an instance). Compiles them all on first call.
 */
export function unsupportedInvariants(schema: FhirSchema): readonly string[] {
  return invariantEngine(schema).compileAll().unsupported;
}

/** How many invariants the model has, how many the native subset evaluates alone, and which are skipped. */
export function invariantCoverage(schema: FhirSchema): { readonly total: number; readonly native: number; readonly unsupported: readonly string[] } {
  return invariantEngine(schema).compileAll();
}
