/**
 * Reading operation inputs (http://hl7.org/fhir/R4/operations.html#request):
 * a Parameters body for POST, the query for GET, with each parameter in its
 * declared type. Form errors answer 400 from the catalogue.
 */
import { fail, validationFailure } from '../../core/errors.js';
import type { OperationContext } from '../../fhir/rest/operations.js';
import { parseJson } from '../../core/json/decimal-json.js';
import { localLiteral } from '../../fhir/rest/local-reference.js';
import { escapeValue } from '../../fhir/search/search-values.js';

export type Json = Record<string, unknown>;

export interface Parameter {
  readonly name: string;
  readonly part: Json;
}

/** The parameters of a POSTed Parameters resource, validated as FHIR. */
export function postedParameters(context: OperationContext): Parameter[] {
  const body = context.request.body;
  if (body === null || typeof body !== 'object' || (body as Json).resourceType !== 'Parameters') throw fail('mpi.parameters-required');
  const result = context.deps.validate(body, 'Parameters');
  if (!result.valid) throw validationFailure(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'));
  const list = Array.isArray((body as Json).parameter) ? ((body as Json).parameter as Json[]) : [];
  return list.map((part) => ({ name: String(part.name), part }));
}

export function named(list: readonly Parameter[], name: string): Parameter[] {
  return list.filter((p) => p.name === name);
}

/** At most one occurrence of `name`, as value[type]; undefined when absent. */
export function single<T>(list: readonly Parameter[], name: string, type: string): T | undefined {
  const found = named(list, name);
  if (found.length > 1) throw fail('mpi.parameter-invalid', { name, reason: 'repeated' });
  if (found.length === 0) return undefined;
  const value = (found[0] as Parameter).part[`value${type}`];
  if (value === undefined) throw fail('mpi.parameter-invalid', { name, reason: `value${type} expected` });
  return value as T;
}

/** The values of a query parameter, in order. */
export function queryValues(context: OperationContext, name: string): string[] {
  return context.request.query.filter(([k]) => k === name).map(([, v]) => v);
}

/** Splits a token "system|value" (http://hl7.org/fhir/R4/search.html#token); both parts required. */
export function parseToken(token: string): { system: string; value: string } | undefined {
  const bar = token.indexOf('|');
  if (bar <= 0 || bar === token.length - 1) return undefined;
  return { system: token.slice(0, bar), value: token.slice(bar + 1) };
}

/** A value escaped for a token search parameter (http://hl7.org/fhir/R4/search.html#escaping). */
export const escapeToken = escapeValue;

/** The JSON of an engine response body (stored text or a value). */
export function responseJson(response: { body?: { kind: string; text?: string; value?: unknown } }): Json {
  const body = response.body;
  if (!body) return {};
  if (body.kind === 'text') return parseJson(body.text as string) as Json;
  if (body.kind === 'json') return body.value as Json;
  return {};
}

/**
 * The id of the local Patient a literal reference names: "Patient/123",
 * "[base]/Patient/123" on this server's base, either with "/_history/2" →
 * "123". A reference on another server's base names that server's patient
 * (fhir/rest/local-reference.ts), not the local one of the same id: undefined,
 * as for anything else.
 */
export function patientIdOf(reference: unknown, baseUrl: string): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const literal = localLiteral(reference, baseUrl);
  return literal?.type === 'Patient' ? literal.id : undefined;
}
