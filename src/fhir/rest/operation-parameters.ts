/**
 * An operation's parameters as name/value pairs (http://hl7.org/fhir/R4/operations.html#request):
 * those of the URL and, when the operation is POSTed, those of its Parameters body; then read by
 * name, a parameter given twice where once is expected being refused. Shared by the operations
 * that take simple values ($export, $everything); each says how it reads an entry's value.
 */
import { fail } from '../../core/errors.js';
import type { FhirRequest } from './types.js';

export type ParameterEntry = Record<string, unknown> & { name?: unknown };

/**
 * `value` reads one entry of a Parameters body (undefined: no value, the entry is left out);
 * `malformed` answers an entry that is no object with a name.
 */
export function operationPairs(
  request: FhirRequest, operation: string,
  value: (entry: ParameterEntry, name: string) => string | undefined, malformed: (name: string) => never,
): [string, string][] {
  const pairs: [string, string][] = request.query.map(([k, v]) => [k, v]);
  const body = request.body as { resourceType?: unknown; parameter?: unknown } | undefined;
  if (request.method === 'POST' && body !== undefined) {
    if (body?.resourceType !== 'Parameters') throw fail('operation.parameters-required', { operation });
    for (const entry of Array.isArray(body.parameter) ? (body.parameter as unknown[]) : []) {
      const name = (entry as ParameterEntry | null)?.name;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || typeof name !== 'string') {
        return malformed(typeof name === 'string' ? name : '?');
      }
      const read = value(entry as ParameterEntry, name);
      if (read !== undefined) pairs.push([name, read]);
    }
  }
  return pairs;
}

/** Every value of `name`, and its one value (a second one refused: operation.parameter-repeated). */
export function parameterReader(pairs: readonly (readonly [string, string])[], operation: string): {
  all(name: string): string[];
  one(name: string): string | undefined;
} {
  const all = (name: string): string[] => pairs.filter(([k]) => k === name).map(([, v]) => v);
  return {
    all,
    one(name) {
      const values = all(name);
      if (values.length > 1) throw fail('operation.parameter-repeated', { operation, name });
      return values[0];
    },
  };
}
