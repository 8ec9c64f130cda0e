/**
 * One INS is one person. Two active records of one base carrying the same INS
 * as qualified identities are a doublon (RNIV: several identifiers given to
 * one person in one identification domain), which the identity-vigilance
 * unit resolves by merging them. A write that makes a record QUAL with an
 * INS another active (not replaced-by) QUAL record already holds (or makes
 * such a record active again, or no longer replaced-by) is accepted, not refused, and a doublon Task is opened at once, in the same
 * transaction:
 * - refusing would block the care the write records (identification must
 *   not stop care; the INS and traits are right, INSi confirmed them), and
 *   would tell the caller, whatever the answer's wording, that the person has
 *   another record here — one the caller may not be allowed to see;
 * - so the answer is the one any qualification gets, and the Task names the
 *   records in `input` only, neither `for` nor `focus` (R4's Patient
 *   compartment holds a Task by those two): it stays out of both patients'
 *   compartments, read by those who work the Task list (the
 *   identity-vigilance unit), not by whoever may read one patient's record,
 *   and a merge of the two leaves it where it is.
 * The check runs under a lock on the INS, so that two transactions
 * qualifying the same INS at once see each other.
 */
import type { AuditEntry } from '../../core/audit-entry.js';
import type { Principal } from '../../core/principal.js';
import type { JsonResource } from '../../fhir/rest/resource-version.js';
import type { WriteTransaction } from '../../storage/contract.js';
import type { FhirIdentifier } from '../ins/ins-identifier.js';
import { replacedBy } from '../mpi/patient-links.js';
import { readReliability } from './reliability.js';
import { bilingualText, VIGILANCE_CODE_SYSTEM } from './status-records.js';
import { activeInsOf, sameIns } from './write-evidence.js';

type Json = Record<string, unknown>;

/** Records examined at most: a doublon rarely has more than a few. */
const MAX_HOLDERS = 20;

/** Ids of the other active, not merged-away, QUAL records holding `ins` as their INS in use. */
export async function otherQualifiedHolders(tx: WriteTransaction, ins: FhirIdentifier, selfId: string, baseUrl: string): Promise<string[]> {
  const value = String(ins.value).toUpperCase();
  await tx.lock(`identity.ins-holder:${String(ins.system)}|${value}`);
  const page = await tx.search({
    resourceTypes: ['Patient'],
    where: [{ kind: 'token', param: 'Patient.identifier', system: String(ins.system), code: value }],
    sort: [], count: MAX_HOLDERS, total: 'none',
  });
  return page.rows.filter((row) => {
    if (row.id === selfId || row.deleted || row.content === null) return false;
    const patient = JSON.parse(row.content) as Json;
    return patient.active !== false && replacedBy(patient, baseUrl) === undefined
      && readReliability(patient).statuses[0] === 'QUAL' && sameIns(activeInsOf(patient), ins);
  }).map((row) => row.id);
}

function recordInput(code: string, display: string, id: string): Json {
  return { type: { coding: [{ system: VIGILANCE_CODE_SYSTEM, code, display }] }, valueReference: { reference: `Patient/${id}` } };
}

/** The doublon Task: the record just qualified and the others as inputs; neither `for` nor `focus` (see above). */
export function duplicateInsTask(patientId: string, others: readonly string[], now: number, principal: Principal | undefined): JsonResource {
  const [description, translation] = bilingualText('vigilance.task-duplicate-ins', { count: others.length });
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'urgent',
    code: { coding: [{ system: VIGILANCE_CODE_SYSTEM, code: 'identity-vigilance-duplicate-ins', display: 'Doublon : INS portée par plusieurs identités qualifiées' }] },
    description,
    _description: translation,
    input: [
      recordInput('qualified-record', 'Dossier qualifié par cette écriture', patientId),
      ...others.map((id) => recordInput('same-ins-record', 'Autre dossier qualifié portant la même INS', id)),
    ],
    authoredOn: new Date(now).toISOString(),
    ...(principal?.fhirUser ? { requester: { reference: principal.fhirUser } } : {}),
  };
}

/** The audit entry of a doublon found: the records and the Task, no INS. */
export function duplicateInsAuditEntry(patientId: string, others: readonly string[], taskId: string, now: number, principal: Principal | undefined, requestId?: string): AuditEntry {
  return {
    action: 'C',
    interaction: 'identity-duplicate-ins',
    outcome: '0',
    ...(principal ? { principal } : {}),
    patients: [patientId, ...others],
    entities: [`Patient/${patientId}`, ...others.map((id) => `Patient/${id}`), `Task/${taskId}`],
    recorded: now,
    purposeOfUse: 'PATADMIN',
    ...(requestId ? { requestId } : {}),
  };
}
