/**
 * A search parameter expression (http://hl7.org/fhir/R4/searchparameter-definitions.html#SearchParameter.expression)
 * made ready to run on one resource type: each top-level `|` branch is
 * compiled to JSON-walking closures (compile-expression.ts), or, when it uses
 * FHIRPath beyond the supported subset, evaluated by the fhirpath package.
 * Branches that start with another resource type ("Account.subject…" when
 * indexing a Patient) compile to nothing and cost nothing at run time.
 */
import type { Compiled, JsonObject, Step } from './compile-expression.js';
import { compileNode, PUSH } from './compile-expression.js';
import { fallbackStep } from './fallback-path.js';
import { parseExpression, UnsupportedExpression } from './parse-expression.js';
import type { TypeModel } from './type-model.js';

export interface CompiledPath {
  readonly expression: string;
  /** Runtime types the selected nodes may have (compiled branches only). */
  readonly types: readonly string[];
  /** Required value sets of the `code` elements selected. */
  readonly valueSets: readonly string[];
  /** Branches evaluated by the fhirpath package, with the reason; empty in the usual case. */
  readonly fallbacks: readonly { readonly branch: string; readonly reason: string }[];
  /** True when no branch can select anything for this resource type. */
  readonly empty: boolean;
  /** Pushes each node selected from `focus` into `out` as a (value, type) pair. */
  readonly select: Step;
}

/** Splits `a | (b | c) | d` into its top-level branches, leaving parentheses and strings alone. */
export function splitUnion(expression: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'" && expression[i - 1] !== '\\') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  branches.push(expression.slice(start).trim());
  return branches.filter((b) => b.length > 0);
}

/** The leading type name of a branch, e.g. "Account" in "(Account.subject.where(…))". */
function leadingTypeName(branch: string): string | undefined {
  return /^\(*([A-Z][A-Za-z]*)\b/.exec(branch)?.[1];
}

/**
 * Compiles `expression` for items of `focusTypes` (the resource type, or the
 * elements a composite parameter selected) inside resources of `resourceType`.
 */
export function compilePath(model: TypeModel, expression: string, resourceType: string, focusTypes: readonly string[] = [resourceType]): CompiledPath {
  const compiled: Compiled[] = [];
  const fallbacks: { branch: string; reason: string }[] = [];
  for (const branch of splitUnion(expression)) {
    const leading = leadingTypeName(branch);
    // Cheap pre-filter: a branch about another resource type never applies (and is not worth a fallback).
    if (leading && model.isResourceType(leading) && !focusTypes.some((t) => model.isSubtypeOf(t, leading))) continue;
    try {
      const node = parseExpression(branch);
      const result = compileNode(node, focusTypes, { model, resourceType, source: branch });
      if (result.types.length > 0) compiled.push(result);
    } catch (error) {
      if (!(error instanceof UnsupportedExpression)) throw error;
      fallbacks.push({ branch, reason: error.message });
    }
  }
  const steps: Step[] = [
    ...compiled.map((c) => c.bind(PUSH)),
    ...fallbacks.map((f) => fallbackStep(f.branch, PUSH)),
  ];
  return {
    expression,
    types: [...new Set(compiled.flatMap((c) => c.types))],
    valueSets: [...new Set(compiled.flatMap((c) => c.valueSets))],
    fallbacks,
    empty: steps.length === 0,
    select: combineSteps(steps),
  };
}

function combineSteps(steps: readonly Step[]): Step {
  const [first, second] = steps;
  if (!first) return () => undefined;
  if (!second) return first;
  if (steps.length === 2) {
    return (value, type, resource: JsonObject, out) => {
      first(value, type, resource, out);
      second(value, type, resource, out);
    };
  }
  return (value, type, resource, out) => {
    for (let i = 0; i < steps.length; i++) (steps[i] as Step)(value, type, resource, out);
  };
}
