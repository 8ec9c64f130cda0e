/**
 * The contract between compiled FHIRPath steps (compile-expression.ts): how a
 * step hands on what it selects, and the collection-level helpers that gather
 * a step's results (FHIRPath functions and operators that need the whole
 * collection: exists(), first(), =, and, or…).
 */

export type JsonObject = Record<string, unknown>;

/** Hands each node selected from one input item to what follows, or pushes it (value, type) into `out`. */
export type Step = (value: unknown, type: string, resource: JsonObject, out: unknown[]) => void;

export interface Compiled {
  /** The runtime types the selected nodes may have; empty when the expression can never select anything here. */
  readonly types: readonly string[];
  /** Required value sets of the `code` elements the expression lands on. */
  readonly valueSets: readonly string[];
  bind(next: Step): Step;
}

export const PUSH: Step = (value, type, _resource, out) => {
  out.push(value, type);
};
export const NOTHING: Step = () => undefined;
export const EMPTY: Compiled = { types: [], valueSets: [], bind: () => NOTHING };

/** Runs `source` on one item and returns what it selected, as (value, type) pairs. */
export function collector(source: Compiled): (value: unknown, type: string, resource: JsonObject) => unknown[] {
  const step = source.bind(PUSH);
  return (value, type, resource) => {
    const items: unknown[] = [];
    step(value, type, resource, items);
    return items;
  };
}

/** A collection-level operation: gathers `source`, then `apply` emits from the whole collection. */
export function gather(source: Compiled, apply: (items: unknown[], resource: JsonObject, out: unknown[], next: Step) => void): Compiled {
  if (source.types.length === 0) return EMPTY;
  const gatherSource = collector(source);
  return {
    types: source.types,
    valueSets: source.valueSets,
    bind: (next) => (value, type, resource, out) => apply(gatherSource(value, type, resource), resource, out, next),
  };
}

/** A collection-level test that yields one boolean (or nothing, for an empty result). */
export function gatherBoolean(source: Compiled, test: (items: unknown[]) => boolean | undefined): Compiled {
  const gatherSource = collector(source);
  return {
    types: ['boolean'],
    valueSets: [],
    bind: (next) => (value, type, resource, out) => {
      const result = test(gatherSource(value, type, resource));
      if (result !== undefined) next(result, 'boolean', resource, out);
    },
  };
}

/**
 * Singleton evaluation of collections (http://hl7.org/fhirpath/N1/#singleton-evaluation-of-collections):
 * one boolean is itself, one other item is true, none is empty. Several items
 * are an error in FHIRPath; here they count as empty.
 */
export function singletonBoolean(items: readonly unknown[]): boolean | undefined {
  if (items.length !== 2) return undefined;
  const item = items[0];
  return typeof item === 'boolean' ? item : true;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
