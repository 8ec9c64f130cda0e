/**
 * Which string parameters of a resource type hold a subset of another's
 * values, so that a value is stored once. The R4 definitions repeat values
 * across parameters: `address` indexes every part of an Address and
 * `address-city` its city again; `name` every part of a HumanName and
 * `family` and `given` the same strings; `phonetic` has the very expression
 * of `name`. A Patient's thirteen string rows hold six distinct values.
 *
 * Parameter P covers Q when every value Q can index is one P indexes too:
 * each branch of Q's expression is a branch of P's, or a branch of P's that
 * selects a HumanName or an Address followed by one of the parts the string
 * extractor takes from it (extract-values.ts). Only plain paths are compared
 * (no function, no filter); two parameters with the same values are ordered
 * by code, so that exactly one of them keeps the rows.
 *
 * The indexer then drops a row of P when a row of a parameter P covers has the
 * same value, and a search on P also reads the rows of the parameters it
 * covers (parse-parameter.ts): every search finds what it found before.
 */
import type { CompiledPath } from './compile-path.js';

/** The parts of a HumanName and an Address the string extractor indexes (extract-values.ts). */
const PARTS: Readonly<Record<string, ReadonlySet<string>>> = {
  HumanName: new Set(['family', 'given', 'prefix', 'suffix', 'text']),
  Address: new Set(['line', 'city', 'district', 'state', 'postalCode', 'country', 'text']),
};

const PLAIN_PATH = /^[A-Za-z]+(\.[A-Za-z]+)*$/;

export interface StringParameter {
  readonly code: string;
  /** The branches of its expression for this resource type; undefined when one is not a plain path. */
  readonly branches: readonly string[] | undefined;
}

/** The branches of `expression` that apply to `resourceType`, or undefined when one is not a plain path. */
export function plainBranches(expression: string, resourceType: string): string[] | undefined {
  const branches = expression.split('|').map((b) => b.trim()).filter((b) => b === resourceType || b.startsWith(`${resourceType}.`));
  return branches.length > 0 && branches.every((b) => PLAIN_PATH.test(b)) ? branches : undefined;
}

/**
 * For each string parameter, the parameters it covers (transitively closed).
 * `typeOf(branch)`: the datatypes a plain branch selects.
 */
export function stringCoverage(
  parameters: readonly StringParameter[], typeOf: (branch: string) => readonly string[],
): Map<string, readonly string[]> {
  const within = (branch: string, of: readonly string[]): boolean => of.some((p) => {
    if (p === branch) return true;
    if (!branch.startsWith(`${p}.`)) return false;
    const part = branch.slice(p.length + 1);
    const types = typeOf(p);
    return types.length === 1 && PARTS[types[0] as string]?.has(part) === true;
  });
  const covers = (p: StringParameter, q: StringParameter): boolean =>
    p.code !== q.code && p.branches !== undefined && q.branches !== undefined && q.branches.every((b) => within(b, p.branches!));
  const direct = new Map<string, Set<string>>();
  for (const p of parameters) {
    for (const q of parameters) {
      // Equal value sets: the later code reads the earlier's rows, never both ways.
      if (covers(p, q) && !(covers(q, p) && p.code < q.code)) {
        let set = direct.get(p.code);
        if (!set) direct.set(p.code, (set = new Set()));
        set.add(q.code);
      }
    }
  }
  const closed = new Map<string, readonly string[]>();
  for (const code of direct.keys()) {
    const seen = new Set<string>();
    const stack = [...(direct.get(code) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next) || next === code) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    closed.set(code, [...seen].sort());
  }
  return closed;
}

/** The types a compiled plain branch selects (for stringCoverage's `typeOf`). */
export function branchTypes(compile: (branch: string) => CompiledPath): (branch: string) => readonly string[] {
  const cache = new Map<string, readonly string[]>();
  return (branch) => {
    let types = cache.get(branch);
    if (!types) cache.set(branch, (types = compile(branch).types));
    return types;
  };
}
