/**
 * What an export covers (https://hl7.org/fhir/uv/bulkdata/export.html#query-parameters):
 * the resource types, their _typeFilter searches and the patients, given the
 * level and the caller's rights.
 *
 * - _type absent: every type the caller may read and search ("all supported
 *   resources within the scope of the client authorization"), at patient and
 *   group level those of the Patient compartment only; AuditEvent only when
 *   named, since reading the audit trail writes to it.
 * - _type given: each type must exist, be in the compartment at patient and
 *   group level (else 400, or left out under handling=lenient), and be
 *   readable and searchable by the caller (else 403).
 * - _typeFilter: `[type]?[search]`, about an exported type; several for one
 *   type are combined with OR; parameters that shape results are refused.
 */
import { fail } from '../../core/errors.js';
import { isValidId } from '../../core/ids.js';
import type { ExportLevel, ExportRequest } from './export-job.js';
import type { ExportParameters } from './export-parameters.js';

export interface ScopeInput {
  readonly level: ExportLevel;
  readonly parameters: ExportParameters;
  /** Every type with a REST endpoint. */
  readonly exportable: readonly string[];
  /** Whether resources of `type` can be in a Patient compartment. */
  readonly inCompartment: (type: string) => boolean;
  /** Throws 403 unless the caller may read and search `type`. */
  readonly requireAccess: (type: string) => void;
  readonly baseUrl: string;
}

export type ExportScope = Pick<ExportRequest, 'types' | 'typeFilters' | 'patients' | 'ignoredTypes'>;

/** At most this many references in the patient parameter; a larger cohort is a Group. */
export const MAX_PATIENTS = 1000;

/** Left out unless named: exporting the audit trail adds to it with every page read. */
const NAMED_ONLY: ReadonlySet<string> = new Set(['AuditEvent']);

/** Search parameters that shape results rather than select resources (search.html#return). */
const CONTROL = new Set([
  '_count', '_sort', '_include', '_revinclude', '_total', '_summary', '_elements', '_cursor', '_format', '_pretty', '_contained', '_containedType', '_type',
]);

function mayAccess(input: ScopeInput, type: string): boolean {
  try {
    input.requireAccess(type);
    return true;
  } catch {
    return false;
  }
}

function exportTypes(input: ScopeInput, ignored: string[]): string[] {
  const { level, parameters } = input;
  const patientLevel = level !== 'system';
  const known = new Set(input.exportable);
  if (parameters.types === undefined) {
    const types = input.exportable.filter((t) => !NAMED_ONLY.has(t) && (!patientLevel || input.inCompartment(t)) && mayAccess(input, t));
    if (types.length === 0) throw fail('auth.scope-insufficient', { interaction: 'read', type: '*' });
    return types;
  }
  const types: string[] = [];
  for (const type of new Set(parameters.types)) {
    if (!known.has(type)) {
      if (parameters.lenient && ignored.push(type)) continue;
      throw fail('bulk.type-invalid', { type });
    }
    if (patientLevel && !input.inCompartment(type)) {
      if (parameters.lenient && ignored.push(type)) continue;
      throw fail('bulk.type-outside-compartment', { type });
    }
    input.requireAccess(type);
    types.push(type);
  }
  if (types.length === 0) throw fail('bulk.type-invalid', { type: parameters.types.join(',') });
  return types;
}

/** One _typeFilter: its type and its search as parameter pairs. */
export function parseTypeFilter(filter: string): { type: string; query: [string, string][] } {
  const match = /^([A-Z][A-Za-z]*)\?(.+)$/.exec(filter);
  if (!match) throw fail('bulk.type-filter-malformed', { filter });
  const query: [string, string][] = [];
  for (const [name, value] of new URLSearchParams(match[2])) {
    if (CONTROL.has(name.split(':')[0] as string)) throw fail('bulk.type-filter-control', { filter, name });
    if (value !== '') query.push([name, value]);
  }
  if (query.length === 0) throw fail('bulk.type-filter-malformed', { filter });
  return { type: match[1] as string, query };
}

/** Patient ids of the patient parameter: Patient/[id], relative or on this server's base. */
function patientIds(input: ScopeInput): string[] | undefined {
  const references = input.parameters.patients;
  if (references.length === 0) return undefined;
  if (input.level === 'system') throw fail('bulk.patient-system-level');
  const ids = new Set<string>();
  for (const reference of references) {
    const relative = reference.startsWith(`${input.baseUrl}/`) ? reference.slice(input.baseUrl.length + 1) : reference;
    const match = /^Patient\/([^/]+)$/.exec(relative);
    if (!match || !isValidId(match[1] as string)) throw fail('bulk.patient-reference-invalid', { reference });
    ids.add(match[1] as string);
  }
  if (ids.size > MAX_PATIENTS) throw fail('bulk.too-many-patients', { limit: MAX_PATIENTS });
  return [...ids];
}

export function exportScope(input: ScopeInput): ExportScope {
  const ignoredTypes: string[] = [];
  const types = exportTypes(input, ignoredTypes);
  const typeFilters: Record<string, [string, string][][]> = {};
  for (const filter of input.parameters.typeFilters) {
    const { type, query } = parseTypeFilter(filter);
    if (!types.includes(type)) throw fail('bulk.type-filter-type', { filter, type });
    (typeFilters[type] ??= []).push(query);
  }
  const patients = patientIds(input);
  return { types, typeFilters, ...(patients ? { patients } : {}), ...(ignoredTypes.length > 0 ? { ignoredTypes } : {}) };
}
