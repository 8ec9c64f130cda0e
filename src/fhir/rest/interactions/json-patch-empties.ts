/**
 * JSON Patch (RFC 6902) works on JSON, where removing the last item of an
 * array leaves []; in FHIR an array is never empty (json.html: "arrays SHALL
 * not be empty"), the element is absent instead. So an array that a remove or
 * a move emptied is dropped, as a FHIRPath Patch delete of the last item does:
 * `remove /telecom/0` on a single telecom means "no telecom", not a 400.
 */
import type { Operation } from 'fast-json-patch';

function tokensOf(pointer: string): string[] {
  return pointer.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Drops, in place, each array of `document` that a remove or move of one of its items left empty. */
export function dropEmptiedArrays(document: object, operations: readonly Operation[]): void {
  for (const operation of operations) {
    const pointer = operation.op === 'remove' ? operation.path : operation.op === 'move' ? operation.from : undefined;
    if (pointer === undefined) continue;
    const tokens = tokensOf(pointer);
    if (tokens.length < 2) continue;
    let holder: unknown = document;
    for (const token of tokens.slice(0, -2)) {
      holder = typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>)[token] : undefined;
    }
    if (typeof holder !== 'object' || holder === null) continue;
    const key = tokens[tokens.length - 2]!;
    const array = (holder as Record<string, unknown>)[key];
    if (!Array.isArray(array) || array.length > 0) continue;
    if (Array.isArray(holder)) continue; // an array in an array is not FHIR JSON: left for validation to report
    delete (holder as Record<string, unknown>)[key];
  }
}
