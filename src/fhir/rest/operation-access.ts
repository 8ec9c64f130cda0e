/**
 * Access to FHIR operations (http://hl7.org/fhir/R4/operations.html): an
 * operation declares what it does to data (FhirOperation.access); by default
 * a GET reads and a POST may write. Instance-level operations also need the
 * instance to be visible (else 404, as if absent).
 */
import { fail } from '../../core/errors.js';
import { hiddenResource, mayKnow } from './access-guard.js';
import type { DataAccess, EngineDeps } from './context.js';
import type { FhirOperation, OperationTarget } from './operations.js';
import type { FhirRequest } from './types.js';

export async function checkOperation(
  deps: EngineDeps, access: DataAccess, request: FhirRequest, operation: FhirOperation, target: OperationTarget,
): Promise<void> {
  const kind = operation.access ?? (request.method === 'GET' ? 'read' : 'write');
  const permission = kind === 'read' ? (target.id !== undefined ? 'r' : 's') : target.id !== undefined ? 'u' : 'c';
  // An operation answers from its own logic, not through the query a narrowed scope carries: it needs the whole scope.
  deps.guard.require(request, permission, target.type, { wholeScope: true });
  if (target.type !== undefined && target.id !== undefined && deps.guard.restricted(request)) {
    const current = await access.reader.readCurrent(target.type, target.id);
    if (!current) throw fail('resource.not-found', { type: target.type, id: target.id });
    if (!(await mayKnow(deps.guard, access.reader, request, current))) throw hiddenResource(target.type, target.id, current);
  }
}

/** Who asks and from where: what an inner or entry request carries over from its parent. */
export function callerOf(request: FhirRequest): Pick<FhirRequest, 'principal' | 'clientAddress' | 'requestId'> {
  return {
    ...(request.principal ? { principal: request.principal } : {}),
    ...(request.clientAddress ? { clientAddress: request.clientAddress } : {}),
    ...(request.requestId ? { requestId: request.requestId } : {}),
  };
}
