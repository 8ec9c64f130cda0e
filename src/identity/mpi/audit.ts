/**
 * Audit records of the MPI operations (IHE BALP, https://profiles.ihe.net/ITI/BALP/):
 * who matched, cross-referenced, merged or unmerged which patients. Only ids
 * are recorded: never the traits a query carried.
 */
import type { AuditAction, AuditOutcome } from '../../core/audit-entry.js';
import type { OperationContext } from '../../fhir/rest/operations.js';

export function recordMpiAccess(
  context: OperationContext, action: AuditAction, interaction: string, patients: readonly string[],
  entities: readonly string[] = patients.map((id) => `Patient/${id}`), outcome: AuditOutcome = '0',
): void {
  const { request } = context;
  context.deps.audit.record({
    action,
    interaction,
    outcome,
    ...(request.principal ? { principal: request.principal } : {}),
    patients: [...new Set(patients)],
    entities: [...new Set(entities)],
    recorded: context.deps.clock.now(),
    ...(request.clientAddress ? { sourceAddress: request.clientAddress } : {}),
    ...(request.requestId ? { requestId: request.requestId } : {}),
  });
}
