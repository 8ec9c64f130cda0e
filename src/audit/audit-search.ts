/**
 * AuditEvent searches on the audit log: the search conditions the FHIR layer
 * parsed (and the principal's reach the access guard added) become filters on
 * the log's columns. The parameters kept are the ones traces are looked up by
 * (IHE BALP queries, a patient's listing): _id, _lastUpdated, date, patient,
 * agent, entity, action, outcome, subtype, type; sorted by date (the order the
 * records were written). Any other condition is refused with a 400 naming it,
 * never answered wrongly.
 */
import { fail } from '../core/errors.js';
import type { AuditLogFilter } from '../storage/audit-log.js';
import type { Condition, RangePrefix, SortKey } from '../storage/query.js';

const TRUE: AuditLogFilter = { all: [] };
const FALSE: AuditLogFilter = { any: [] };

const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';

function unsupported(parameter: string): never {
  throw fail('audit.search-unsupported', { parameter });
}

function nameOf(param: string): string {
  return param.replace(/^(AuditEvent|Resource)\./, '');
}

/** A point in time (the record's) compared with a search range, by the FHIR prefix rules (search.html#prefix). */
function range(field: 'recorded' | 'written', prefix: RangePrefix, low: number, high: number): AuditLogFilter {
  const between: AuditLogFilter = { all: [{ field, op: '>=', value: low }, { field, op: '<=', value: high }] };
  switch (prefix) {
    case 'eq':
    case 'ap':
      return between;
    case 'ne':
      return { not: between };
    case 'gt':
    case 'sa':
      return { field, op: '>', value: high };
    case 'lt':
    case 'eb':
      return { field, op: '<', value: low };
    case 'ge':
      return { field, op: '>=', value: low };
    case 'le':
      return { field, op: '<=', value: high };
  }
}

/** Local references "Type/id" a reference condition names, or "*\/id" when any type will do. */
function referencesOf(condition: Extract<Condition, { kind: 'reference' }>): string[] {
  if (condition.targetId === undefined) return unsupported(`${nameOf(condition.param)} (${condition.url ?? 'identifier'})`);
  const types = condition.targetTypes ?? [];
  return types.length === 0 || types.length > 8 ? [`*/${condition.targetId}`] : types.map((t) => `${t}/${condition.targetId}`);
}

function reference(condition: Extract<Condition, { kind: 'reference' }>): AuditLogFilter {
  const name = nameOf(condition.param);
  if (name === 'agent' && condition.identifierValue !== undefined) return { field: 'agentIdentifier', values: [condition.identifierValue] };
  switch (name) {
    case 'patient': {
      if (condition.targetId === undefined) return unsupported(name);
      const types = condition.targetTypes;
      return types && !types.includes('Patient') ? FALSE : { field: 'patient', values: [condition.targetId] };
    }
    case 'agent': {
      const refs = referencesOf(condition);
      if (refs[0]?.startsWith('*/')) return unsupported(name);
      return { field: 'agent', values: refs };
    }
    case 'entity':
      return { any: referencesOf(condition).map((r) => ({ field: 'entity', reference: r })) };
    default:
      return unsupported(name);
  }
}

function token(condition: Extract<Condition, { kind: 'token' }>): AuditLogFilter {
  const name = nameOf(condition.param);
  if (condition.textPrefix !== undefined || condition.ofType !== undefined) return unsupported(`${name}:text`);
  if (condition.codes !== undefined) return unsupported(`${name}:in`);
  const code = condition.code;
  switch (name) {
    case 'action':
    case 'outcome':
      return code === undefined ? TRUE : { field: name, values: [code] };
    case 'subtype':
      return code === undefined ? TRUE : { field: 'subtype', code };
    case 'type':
      // Every trace Socle writes is a RESTful operation.
      return (code === undefined || code === 'rest') && (condition.system === undefined || condition.system === AUDIT_EVENT_TYPE) ? TRUE : FALSE;
    default:
      return unsupported(name);
  }
}

/** The filter equivalent to `condition` on AuditEvents; throws 400 for what the log cannot answer. */
export function auditFilter(condition: Condition): AuditLogFilter {
  switch (condition.kind) {
    case 'and':
      return { all: condition.all.map(auditFilter) };
    case 'or':
      return { any: condition.any.map(auditFilter) };
    case 'not':
      return { not: auditFilter(condition.condition) };
    case 'type':
      return condition.types.includes('AuditEvent') ? TRUE : FALSE;
    case 'id':
      return { field: 'id', values: condition.ids };
    case 'lastUpdated':
      return range('written', condition.prefix, condition.low, condition.high);
    case 'range':
      return nameOf(condition.param) === 'date' ? range('recorded', condition.prefix, condition.low, condition.high) : unsupported(nameOf(condition.param));
    case 'reference':
      return reference(condition);
    case 'token':
      return token(condition);
    case 'string':
    case 'uri':
    case 'present':
    case 'composite':
    case 'chain':
    case 'reverse':
      return unsupported('param' in condition ? nameOf(condition.param) : condition.kind);
    case 'text':
      return unsupported(condition.field === 'narrative' ? '_text' : '_content');
  }
}

/** Whether the search is newest first; only date and _lastUpdated sort traces (both in writing order). */
export function descendingOrder(sort: readonly SortKey[]): boolean {
  const [first, ...rest] = sort;
  if (!first) return false;
  const byDate = first.by === 'lastUpdated' || (typeof first.by === 'object' && first.by.param === 'AuditEvent.date');
  if (!byDate || rest.length > 0) unsupported(`_sort=${typeof first.by === 'object' ? nameOf(first.by.param) : first.by}`);
  return first.descending;
}
