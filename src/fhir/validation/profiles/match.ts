/**
 * fixed[x] and pattern[x] (http://hl7.org/fhir/R4/elementdefinition-definitions.html#ElementDefinition.fixed_x_):
 * a fixed value must be exactly the instance's ("Missing elements/attributes
 * must also be missing"); a pattern only says what the instance must hold:
 * each property of the pattern present with that value, and for arrays "each
 * element in the pattern must be matched by an element in the instance".
 */

/** Exact equality of JSON values (numbers by value: 1.0 is 1). */
export function sameValue(instance: unknown, fixed: unknown): boolean {
  if (instance === fixed) return true;
  if (typeof instance !== 'object' || typeof fixed !== 'object' || instance === null || fixed === null) return false;
  if (Array.isArray(instance) !== Array.isArray(fixed)) return false;
  if (Array.isArray(instance)) {
    const list = fixed as unknown[];
    return instance.length === list.length && instance.every((item, i) => sameValue(item, list[i]));
  }
  const a = instance as Record<string, unknown>;
  const b = fixed as Record<string, unknown>;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]));
}

/** Whether `instance` holds everything `pattern` holds (arrays by containment, element-wise). */
export function matchesPattern(instance: unknown, pattern: unknown): boolean {
  if (typeof pattern !== 'object' || pattern === null) return instance === pattern;
  if (typeof instance !== 'object' || instance === null) return false;
  if (Array.isArray(pattern)) {
    const items = Array.isArray(instance) ? instance : [instance];
    return pattern.every((wanted) => items.some((item) => matchesPattern(item, wanted)));
  }
  if (Array.isArray(instance)) return false;
  const held = instance as Record<string, unknown>;
  return Object.entries(pattern).every(([key, wanted]) => held[key] !== undefined && matchesPattern(held[key], wanted));
}

/** The values at a dotted path of plain property names, arrays flattened at each step (FHIRPath's navigation). */
export function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [value];
  for (const name of path) {
    const next: unknown[] = [];
    for (const item of current) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
      const child = (item as Record<string, unknown>)[name];
      if (Array.isArray(child)) next.push(...child.filter((c) => c !== null && c !== undefined));
      else if (child !== undefined && child !== null) next.push(child);
    }
    current = next;
  }
  return current;
}

/** A value for a message: JSON, cut short. */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
