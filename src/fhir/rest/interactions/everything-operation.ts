/**
 * Patient/[id]/$everything (http://hl7.org/fhir/R4/patient-operation-everything.html):
 * the patient, every resource of its compartment, and what those reference,
 * as a searchset Bundle paged like a search (its next links carry on).
 *
 * It is the compartment search `Patient/[id]/*` with `_include=*`, run through
 * the engine as the caller's own request: the same access policies, the same
 * audit trail, the same paging. `_since` becomes `_lastUpdated=ge…`, `_type`
 * and `_count` pass through. `start` and `end` bound care dates, which R4 does
 * not define per resource type; they are not applied: with Prefer:
 * handling=strict they are refused, otherwise the Bundle says, in an
 * OperationOutcome entry, that they were ignored (as for unknown search parameters).
 */
import { fail } from '../../../core/errors.js';
import { parseJson, stringifyJson } from '../../../core/json/decimal-json.js';
import { operationOutcome } from '../../../core/operation-outcome.js';
import { parsePrefer } from '../headers.js';
import type { FhirOperation, OperationContext } from '../operations.js';
import type { FhirResponse } from '../types.js';

interface EverythingInput {
  readonly since?: string;
  readonly types: readonly string[];
  readonly count?: string;
  /** start and end, when given: they are not applied. */
  readonly unapplied: readonly string[];
}

type Parameter = Record<string, unknown> & { name?: unknown };

/** datatypes.html#instant (a date or dateTime is accepted too: _lastUpdated, which it becomes, reads them). */
const INSTANT = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** The value of a Parameters entry, whatever its value[x]. */
function valueOf(parameter: Parameter): string | undefined {
  const key = Object.keys(parameter).find((k) => k.startsWith('value'));
  const value = key === undefined ? undefined : parameter[key];
  return value === undefined ? undefined : String(value);
}

function inputOf(context: OperationContext): EverythingInput {
  const { request } = context;
  const pairs: [string, string][] = request.query.map(([k, v]) => [k, v]);
  const body = request.body as { resourceType?: unknown; parameter?: unknown } | undefined;
  if (request.method === 'POST' && body !== undefined) {
    if (body?.resourceType !== 'Parameters') throw fail('operation.parameters-required', { operation: '$everything' });
    for (const parameter of Array.isArray(body.parameter) ? (body.parameter as Parameter[]) : []) {
      const value = valueOf(parameter);
      if (typeof parameter.name === 'string' && value !== undefined) pairs.push([parameter.name, value]);
    }
  }
  const all = (name: string): string[] => pairs.filter(([k]) => k === name).map(([, v]) => v);
  const one = (name: string): string | undefined => {
    const values = all(name);
    if (values.length > 1) throw fail('operation.parameter-repeated', { operation: '$everything', name });
    return values[0];
  };
  const since = one('_since');
  // An instant (patient-operation-everything.html), checked here so that the error names the parameter the client gave.
  if (since !== undefined && !INSTANT.test(since)) throw fail('search.invalid-value', { name: '_since', value: since, reason: 'an instant is expected, e.g. 2024-01-01T00:00:00Z' });
  const count = one('_count');
  return {
    ...(since !== undefined ? { since } : {}),
    ...(count !== undefined ? { count } : {}),
    types: all('_type').flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== ''),
    unapplied: ['start', 'end'].filter((name) => one(name) !== undefined),
  };
}

/** Adds an OperationOutcome entry saying which parameters were ignored. */
function withIgnoredNotice(response: FhirResponse, ignored: readonly string[], context: OperationContext): FhirResponse {
  if (ignored.length === 0 || response.status !== 200 || response.body?.kind !== 'text') return response;
  const bundle = parseJson(response.body.text) as { entry?: unknown[] };
  const issues = ignored.map((name) => ({
    severity: 'warning' as const, type: 'not-supported' as const, message: 'operation.parameter-ignored' as const, params: { operation: '$everything', name },
  }));
  const notice = { resource: operationOutcome(issues, context.request.language), search: { mode: 'outcome' } };
  bundle.entry = [...(bundle.entry ?? []), notice];
  return { ...response, body: { kind: 'text', text: stringifyJson(bundle) } };
}

async function invoke(context: OperationContext): Promise<FhirResponse> {
  const { request, target } = context;
  const input = inputOf(context);
  if (input.unapplied.length > 0 && parsePrefer(request.headers.prefer).handling === 'strict') {
    throw fail('operation.parameter-unsupported', { operation: '$everything', name: input.unapplied.join(', ') });
  }
  const base = { ...request, method: 'GET' as const, body: undefined, headers: { ...request.headers, contentType: undefined } };
  // The patient itself first: absent is 404, deleted 410, hidden as its read says, not an empty Bundle.
  const patient = await context.dispatch({ ...base, path: `Patient/${target.id}`, query: [] });
  if (patient.status !== 200) return patient;
  const query: [string, string][] = [['_include', '*']];
  if (input.types.length > 0) query.push(['_type', input.types.join(',')]);
  if (input.since !== undefined) query.push(['_lastUpdated', `ge${input.since}`]);
  if (input.count !== undefined) query.push(['_count', input.count]);
  const found = await context.dispatch({ ...base, path: `Patient/${target.id}/*`, query });
  return withIgnoredNotice({ ...found, interaction: 'operation' }, input.unapplied, context);
}

export const everythingOperation: FhirOperation = {
  name: 'everything',
  definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
  types: ['Patient'],
  instance: true,
  instanceOnly: true,
  methods: ['GET', 'POST'],
  access: 'read',
  invoke,
};
