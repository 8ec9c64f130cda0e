/**
 * The parameters of Patient/[id]/$everything (OperationDefinition
 * Patient-everything, http://hl7.org/fhir/R4/patient-operation-everything.html:
 * start, end, _since, _type, _count), from the URL and, when POSTed, from a
 * Parameters body; plus the page cursor its own page links carry. Each value
 * is checked here, so that an error names the parameter the client gave.
 */
import { fail } from '../../../core/errors.js';
import type { FhirSchema } from '../../definitions/schema.js';
import { operationPairs, parameterReader, type ParameterEntry } from '../operation-parameters.js';
import type { FhirRequest } from '../types.js';

export const OPERATION = '$everything';

export interface EverythingInput {
  /** FHIR dates bounding the care dates (everything-care-dates.ts). */
  readonly start?: string;
  readonly end?: string;
  /** An instant: only resources updated since then. */
  readonly since?: string;
  /** The types to return; empty: every type of the compartment. */
  readonly types: readonly string[];
  readonly count?: string;
  /** The page cursor of a next or previous link (the search's own, opaque). */
  readonly cursor?: string;
  /** Names the operation does not define: reported in the Bundle, or refused under handling=strict. */
  readonly unknown: readonly string[];
}

/** Read by the HTTP layer (response format), not by the operation. */
const PRESENTATION = new Set(['_format', '_pretty']);
const KNOWN = new Set(['start', 'end', '_since', '_type', '_count', '_cursor']);

/** datatypes.html#date: a year, a month or a day. */
const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
/** datatypes.html#instant (a date or dateTime is accepted too: _lastUpdated, which it becomes, reads them). */
const INSTANT = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** The value of a Parameters entry: its primitive value[x] (start and end are dates, _type a string…). */
function valueOf(parameter: ParameterEntry, name: string): string | undefined {
  const key = Object.keys(parameter).find((k) => k.startsWith('value'));
  const value = key === undefined ? undefined : parameter[key];
  if (value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value?.toString();
  return invalid(name, JSON.stringify(value), 'a primitive value[x] is expected');
}

function invalid(name: string, value: string, reason: string): never {
  throw fail('search.invalid-value', { name, value, reason });
}

/** A date that exists (no 2021-02-30), so that the search's own date parsing never refuses it under another name. */
function checkDate(name: string, value: string | undefined): void {
  if (value === undefined) return;
  const [year, month = 1, day = 1] = value.split('-').map(Number) as [number, number?, number?];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!DATE.test(value) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    invalid(name, value, 'a date is expected: YYYY, YYYY-MM or YYYY-MM-DD');
  }
}

export function everythingInput(request: FhirRequest, schema: FhirSchema): EverythingInput {
  const pairs = operationPairs(request, OPERATION, valueOf, (name) => invalid(name, '-', 'each Parameters entry is an object with a name'));
  const { all, one } = parameterReader(pairs, OPERATION);
  const since = one('_since');
  if (since !== undefined && !INSTANT.test(since)) invalid('_since', since, 'an instant is expected, e.g. 2024-01-01T00:00:00Z');
  const start = one('start');
  const end = one('end');
  checkDate('start', start);
  checkDate('end', end);
  // Compared on their common precision: 2021-06 starts within 2021, which ends after it.
  if (start !== undefined && end !== undefined) {
    const common = Math.min(start.length, end.length);
    if (start.slice(0, common) > end.slice(0, common)) invalid('end', end, `it is before the start, ${start}`);
  }
  // "One or more parameters, each containing one or more comma-delimited FHIR resource types".
  const types = [...new Set(all('_type').flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== ''))];
  for (const type of types) if (!schema.isResourceType(type)) invalid('_type', type, 'not an R4 resource type');
  const count = one('_count');
  const cursor = one('_cursor');
  return {
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    ...(since !== undefined ? { since } : {}),
    types,
    ...(count !== undefined ? { count } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
    unknown: [...new Set(pairs.map(([name]) => name).filter((name) => !KNOWN.has(name) && !PRESENTATION.has(name)))],
  };
}

/** The operation's parameters as its page links repeat them (the search adds its _cursor). */
export function linkParameters(input: EverythingInput): [string, string][] {
  const pairs: [string, string][] = [];
  if (input.start !== undefined) pairs.push(['start', input.start]);
  if (input.end !== undefined) pairs.push(['end', input.end]);
  if (input.since !== undefined) pairs.push(['_since', input.since]);
  if (input.types.length > 0) pairs.push(['_type', input.types.join(',')]);
  if (input.count !== undefined) pairs.push(['_count', input.count]);
  return pairs;
}
