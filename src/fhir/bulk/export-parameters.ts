/**
 * The kick-off parameters of $export (https://hl7.org/fhir/uv/bulkdata/export.html#query-parameters),
 * read from the query string (GET) or a Parameters resource (POST), and
 * checked one by one. What depends on the caller's rights and on the export
 * level (which types, which patients) is decided in export-scope.ts.
 */
import { fail } from '../../core/errors.js';
import { parsePrefer } from '../rest/headers.js';
import type { FhirRequest } from '../rest/types.js';
import { operationPairs, parameterReader, type ParameterEntry } from '../rest/operation-parameters.js';

export interface ExportParameters {
  /** _type, split on commas (repeats concatenated); undefined when absent. */
  readonly types?: readonly string[];
  /** _since as an ISO instant (UTC, milliseconds). */
  readonly since?: string;
  /** _typeFilter values, one search each. */
  readonly typeFilters: readonly string[];
  /** The patient parameter's references, as written. */
  readonly patients: readonly string[];
  /** Prefer: handling=lenient: unknown parameters and types are left out instead of refused. */
  readonly lenient: boolean;
  /** Under handling=lenient, the unknown parameters left out: the export's error file says so (export.html). */
  readonly ignored: readonly string[];
}

const OPERATION = '$export';

/** "The server SHALL accept the full content type of application/fhir+ndjson as well as the abbreviated representations application/ndjson and ndjson." */
const NDJSON_FORMATS: ReadonlySet<string> = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

/** Parameters of the HTTP exchange rather than of the operation. */
const PRESENTATION = new Set(['_format', '_pretty']);

const KNOWN = new Set(['_outputFormat', '_since', '_type', '_typeFilter', 'patient']);

/** FHIR instant (datatypes.html#instant): date, time to the second at least, and a zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The Prefer header holds respond-async (async.html, RFC 7240 §4.1). */
export function prefersAsync(prefer: string | undefined): boolean {
  return (prefer ?? '').split(/[,;]/).some((token) => token.trim().toLowerCase() === 'respond-async');
}


/**
 * The value of a Parameters entry: the patient parameter's reference
 * (valueReference.reference, the only form export.html gives it), or the
 * first primitive value[x] of the others. Anything else is unreadable: a 400,
 * never a parameter silently dropped (an export of every patient instead of
 * the ones asked for).
 */
function valueOf(parameter: ParameterEntry, name: string): string {
  if (name === 'patient') {
    const reference = (parameter.valueReference as { reference?: unknown } | undefined)?.reference;
    if (typeof reference === 'string' && reference !== '') return reference;
    throw fail('bulk.patient-reference-invalid', { reference: JSON.stringify(parameter.valueReference ?? null) });
  }
  const key = Object.keys(parameter).find((k) => k.startsWith('value'));
  const value = key === undefined ? undefined : parameter[key];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw fail('bulk.parameter-invalid', { name });
}

/** The parameters as name/value pairs, from the query and, for POST, the Parameters body. */
function pairsOf(request: FhirRequest): [string, string][] {
  return operationPairs(request, OPERATION, valueOf, (name) => {
    throw fail('bulk.parameter-invalid', { name });
  });
}

/** A query string decodes an unescaped "+" as a space: a zone written +01:00 arrives as " 01:00". */
function instantOf(raw: string): string {
  const value = raw.replace(/ (\d{2}:\d{2})$/, '+$1');
  const time = Date.parse(value);
  // In UTC, still a FHIR instant (years 0001 to 9999): 9999-12-31T23:59:59-14:00 is not, nor is year 0000.
  const utc = Number.isNaN(time) ? '' : new Date(time).toISOString();
  if (!INSTANT.test(value) || !/^\d{4}-/.test(utc) || utc.startsWith('0000')) throw fail('bulk.since-invalid', { value: raw });
  return utc;
}

function checkOutputFormat(raw: string): void {
  // An unescaped "+" in a query string arrives as a space.
  const format = raw.trim().replace(/ /g, '+').toLowerCase();
  if (!NDJSON_FORMATS.has(format)) throw fail('bulk.output-format-unsupported', { format: raw });
}

/**
 * The kick-off's parameters, checked. Unknown ones are refused, or left out
 * under Prefer: handling=lenient (export.html: a server "SHALL return an
 * error" for a parameter it does not support unless the client asked for
 * lenient handling).
 */
export function readExportParameters(request: FhirRequest): ExportParameters {
  const lenient = parsePrefer(request.headers.prefer).handling === 'lenient';
  const pairs = pairsOf(request).filter(([name, value]) => value !== '' && !PRESENTATION.has(name));
  const ignored = new Set<string>();
  for (const [name] of pairs) {
    if (KNOWN.has(name)) continue;
    if (!lenient) throw fail('operation.parameter-unsupported', { operation: OPERATION, name });
    ignored.add(name);
  }
  const { all, one } = parameterReader(pairs, OPERATION);
  const format = one('_outputFormat');
  if (format !== undefined) checkOutputFormat(format);
  const since = one('_since');
  const types = all('_type').flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');
  return {
    ...(types.length > 0 ? { types } : {}),
    ...(since !== undefined ? { since: instantOf(since) } : {}),
    typeFilters: all('_typeFilter').flatMap(splitTypeFilters),
    patients: all('patient').flatMap((v) => v.split(',')).map((p) => p.trim()).filter((p) => p !== ''),
    lenient,
    ignored: [...ignored],
  };
}

/**
 * Several filters may share one _typeFilter value, separated by commas; a
 * comma inside a search value (status=final,amended) is not a separator, so
 * a value is cut only before "[Type]?".
 */
export function splitTypeFilters(value: string): string[] {
  return value.split(/,(?=[A-Z][A-Za-z]*\?)/).map((f) => f.trim()).filter((f) => f !== '');
}
