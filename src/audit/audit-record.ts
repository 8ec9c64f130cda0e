/**
 * An AuditEvent as a row of the audit log (storage/audit-log.ts): its JSON
 * with the meta the server sets, and the columns its searches filter on,
 * read from the known shape audit-event.ts builds.
 *
 * `patient` is the patient the access concerned (the entity of role 1), or,
 * for a patient's own request that touched no patient data, the requestor:
 * a patient's listing (AuditEvent?patient=…, their compartment) then holds
 * everything they did and everything done to their data, as the R4 `patient`
 * parameter (agent.who or entity.what) would give.
 */
import type { AuditLogRecord } from '../storage/audit-log.js';

interface Reference { reference?: string; identifier?: { value?: string } }
interface BuiltEvent {
  resourceType: 'AuditEvent';
  id: string;
  recorded: string;
  action: string;
  outcome: string;
  subtype: { code: string }[];
  agent: { requestor?: boolean; who?: Reference }[];
  entity?: { what?: Reference; role?: { code?: string } }[];
}

export type UnchainedRecord = Omit<AuditLogRecord, 'seq' | 'hash'>;

function localReference(reference: string | undefined): string | undefined {
  return reference !== undefined && /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(reference) ? reference : undefined;
}

export function auditRecord(event: Record<string, unknown>, written: number): UnchainedRecord {
  const built = event as unknown as BuiltEvent;
  const { resourceType, id, ...rest } = built;
  const content = JSON.stringify({ resourceType, id, meta: { versionId: '1', lastUpdated: new Date(written).toISOString() }, ...rest });
  const requestor = built.agent.find((a) => a.requestor)?.who;
  const agent = localReference(requestor?.reference) ?? null;
  const entities = (built.entity ?? []).map((e) => localReference(e.what?.reference)).filter((r): r is string => r !== undefined);
  const patientEntity = (built.entity ?? []).find((e) => e.role?.code === '1')?.what?.reference;
  const patientRef = patientEntity ?? (agent?.startsWith('Patient/') ? agent : undefined);
  return {
    id,
    recorded: Date.parse(built.recorded),
    written,
    patient: patientRef?.startsWith('Patient/') ? patientRef.slice('Patient/'.length) : null,
    agent,
    agentIdentifier: requestor?.identifier?.value ?? null,
    action: built.action,
    outcome: built.outcome,
    subtypes: built.subtype.map((s) => s.code),
    entities,
    content,
  };
}
