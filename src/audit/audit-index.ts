/**
 * The search index rows of the AuditEvents Socle writes, built directly from
 * their known shape instead of by evaluating every AuditEvent search
 * parameter's FHIRPath (~80 µs each, on every access). The rows are the ones
 * the generic indexer produces (a unit test compares both on every shape the
 * builder makes), so that AuditEvent searches behave the same; only the
 * _text/_content texts are left empty (full-text search of traces is not offered).
 */
import { emptyIndexSet, normalizeString, parseReference, type IndexSet, type ReferenceIndex, type TokenIndex } from '../fhir/indexing/index.js';

interface Coding { system?: string; code?: string; display?: string }
interface Reference { reference?: string; identifier?: { system?: string; value?: string }; display?: string }

function token(param: string, coding: Coding | undefined, defaultSystem?: string): TokenIndex | undefined {
  if (!coding?.code) return undefined;
  return { param, system: coding.system ?? defaultSystem ?? null, code: coding.code, text: coding.display ? normalizeString(coding.display) : null };
}

function references(param: string, value: Reference | undefined, baseUrl: string): ReferenceIndex[] {
  if (!value) return [];
  // One row per Reference: its literal target and its identifier together.
  const parsed = value.reference ? parseReference(value.reference, baseUrl) : undefined;
  const identifier = value.identifier?.value ? { identifierSystem: value.identifier.system ?? null, identifierValue: value.identifier.value } : { identifierSystem: null, identifierValue: null };
  if (!parsed && identifier.identifierValue === null) return [];
  return [{ param, ...(parsed ?? { targetType: null, targetId: null, url: null, version: null }), ...identifier }];
}

export function auditEventIndex(event: Record<string, any>, baseUrl: string): IndexSet {
  const index = emptyIndexSet();
  const push = <T>(list: T[], row: T | undefined): void => {
    if (row !== undefined) list.push(row);
  };
  push(index.token, token('action', { code: event.action }, 'http://hl7.org/fhir/audit-event-action'));
  push(index.token, token('outcome', { code: event.outcome }, 'http://hl7.org/fhir/audit-event-outcome'));
  push(index.token, token('type', event.type));
  for (const subtype of event.subtype ?? []) push(index.token, token('subtype', subtype));
  const recorded = Date.parse(event.recorded);
  index.date.push({ param: 'date', low: recorded, high: recorded });
  for (const agent of event.agent ?? []) {
    for (const role of agent.role ?? []) for (const coding of role.coding ?? []) push(index.token, token('agent-role', coding));
    if (agent.network?.address) index.string.push({ param: 'address', norm: normalizeString(agent.network.address), exact: agent.network.address });
    const rows = references('agent', agent.who, baseUrl);
    index.reference.push(...rows);
    for (const row of rows) if (row.targetType === 'Patient') index.reference.push({ ...row, param: 'patient' });
  }
  for (const entity of event.entity ?? []) {
    push(index.token, token('entity-type', entity.type));
    push(index.token, token('entity-role', entity.role));
    const rows = references('entity', entity.what, baseUrl);
    index.reference.push(...rows);
    for (const row of rows) if (row.targetType === 'Patient') index.reference.push({ ...row, param: 'patient' });
  }
  return index;
}
