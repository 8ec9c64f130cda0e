/**
 * The inputs of a terminology operation (http://hl7.org/fhir/R4/operations.html#request):
 * query parameters for GET, a Parameters resource for POST (validated as FHIR
 * first), each read in its declared type. In a GET, a Coding may be written
 * as a token, "system|code" (search.html#token), since a query cannot carry
 * the datatype; a CodeableConcept or a resource needs POST.
 */
import { fail, validationFailure } from '../../core/errors.js';
import type { OperationContext } from '../rest/operations.js';
import type { CodeableConcept, Coding, Json } from './types.js';

interface Part {
  readonly name: string;
  /** A query parameter's text, or a Parameters entry. */
  readonly text?: string;
  readonly parameter?: Json;
}

function valueKey(parameter: Json): string | undefined {
  return Object.keys(parameter).find((k) => k.startsWith('value'));
}

export class OperationInput {
  private constructor(readonly operation: string, private readonly parts: readonly Part[]) {}

  /** Reads the request of `context` for `operation` ("$expand"). */
  static read(context: OperationContext, operation: string): OperationInput {
    const { request } = context;
    // An empty query parameter is no parameter, as in a search (search.html#errors).
    const parts: Part[] = request.query.filter(([, text]) => text !== '').map(([name, text]) => ({ name, text }));
    if (request.method === 'POST' && request.body !== undefined) {
      const body = request.body as Json | null;
      if (body === null || typeof body !== 'object' || body.resourceType !== 'Parameters') throw fail('operation.parameters-required', { operation });
      const result = context.deps.validate(body, 'Parameters');
      if (!result.valid) throw validationFailure(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'));
      for (const parameter of Array.isArray(body.parameter) ? (body.parameter as Json[]) : []) {
        parts.push({ name: String(parameter.name), parameter });
      }
    }
    return new OperationInput(operation, parts);
  }

  has(name: string): boolean {
    return this.parts.some((p) => p.name === name);
  }

  private one(name: string): Part | undefined {
    const found = this.parts.filter((p) => p.name === name);
    if (found.length > 1) throw fail('operation.parameter-repeated', { operation: this.operation, name });
    return found[0];
  }

  private invalid(name: string, value: unknown, expected: string): never {
    throw fail('terminology.parameter-invalid', { operation: this.operation, name, value: String(value), expected });
  }

  /** A primitive parameter (string, uri, code, canonical…) as text. */
  string(name: string): string | undefined {
    const part = this.one(name);
    if (!part) return undefined;
    if (part.text !== undefined) return part.text;
    const key = valueKey(part.parameter ?? {});
    const value = key === undefined ? undefined : (part.parameter as Json)[key];
    if (typeof value !== 'string') return this.invalid(name, key ?? '-', 'a primitive value');
    return value;
  }

  /** Every occurrence of a repeating primitive parameter. */
  strings(name: string): string[] {
    return this.parts.filter((p) => p.name === name).map((p) => {
      if (p.text !== undefined) return p.text;
      const key = valueKey(p.parameter ?? {});
      const value = key === undefined ? undefined : (p.parameter as Json)[key];
      return typeof value === 'string' ? value : this.invalid(name, key ?? '-', 'a primitive value');
    });
  }

  boolean(name: string): boolean | undefined {
    const part = this.one(name);
    if (!part) return undefined;
    if (part.text !== undefined) {
      if (part.text !== 'true' && part.text !== 'false') return this.invalid(name, part.text, 'true | false');
      return part.text === 'true';
    }
    const value = part.parameter?.valueBoolean;
    return typeof value === 'boolean' ? value : this.invalid(name, valueKey(part.parameter ?? {}) ?? '-', 'valueBoolean');
  }

  /** A whole number from `min` (0 by default). */
  integer(name: string, min = 0): number | undefined {
    const part = this.one(name);
    if (!part) return undefined;
    if (part.text !== undefined) {
      const value = /^-?\d{1,9}$/.test(part.text) ? Number(part.text) : Number.NaN;
      return Number.isInteger(value) && value >= min ? value : this.invalid(name, part.text, `an integer ≥ ${min}`);
    }
    const value = part.parameter?.valueInteger;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
    // Show what was sent ("1" of a valueString), and that a Parameters entry needs valueInteger.
    const key = valueKey(part.parameter ?? {});
    const given = key === undefined ? '-' : (part.parameter as Json)[key];
    return this.invalid(name, typeof given === 'object' ? `${key} ${JSON.stringify(given)}` : given, `valueInteger ≥ ${min}`);
  }

  coding(name: string): Coding | undefined {
    const part = this.one(name);
    if (!part) return undefined;
    if (part.text !== undefined) {
      const bar = part.text.indexOf('|');
      if (bar <= 0 || bar === part.text.length - 1) return this.invalid(name, part.text, 'system|code');
      return { system: part.text.slice(0, bar), code: part.text.slice(bar + 1) };
    }
    const value = part.parameter?.valueCoding;
    return value !== null && typeof value === 'object' ? (value as Coding) : this.invalid(name, valueKey(part.parameter ?? {}) ?? '-', 'valueCoding');
  }

  codeableConcept(name: string): CodeableConcept | undefined {
    const part = this.one(name);
    if (!part) return undefined;
    const value = part.parameter?.valueCodeableConcept;
    if (value === null || typeof value !== 'object') return this.invalid(name, part.text ?? valueKey(part.parameter ?? {}) ?? '-', 'valueCodeableConcept (POST)');
    return value as CodeableConcept;
  }

  /** A resource parameter (POST only), checked to be of `type`. */
  resource<T>(name: string, type: string): T | undefined {
    const part = this.one(name);
    if (!part) return undefined;
    const value = part.parameter?.resource as Json | undefined;
    if (value === undefined || value === null || value.resourceType !== type) return this.invalid(name, part.text ?? (value?.resourceType as string | undefined) ?? '-', `a ${type} resource (POST)`);
    return value as T;
  }
}
