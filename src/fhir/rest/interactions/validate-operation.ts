/**
 * $validate (http://hl7.org/fhir/R4/resource-operation-validate.html): the
 * verdict a write would get, without writing. The resource comes as the body
 * or as the `resource` parameter of a Parameters. The answer is 200 with an
 * OperationOutcome listing the issues (or saying the resource is valid); a
 * request that carries no resource at all is a 400.
 */
import { fail } from '../../../core/errors.js';
import { informationOutcome, operationOutcome } from '../../../core/operation-outcome.js';
import type { EngineDeps } from '../context.js';
import type { FhirRequest, FhirResponse } from '../types.js';

function resourceOf(body: unknown): unknown {
  const candidate = body as { resourceType?: unknown; parameter?: { name?: unknown; resource?: unknown }[] } | undefined;
  if (candidate?.resourceType === 'Parameters' && Array.isArray(candidate.parameter)) {
    const resource = candidate.parameter.find((p) => p.name === 'resource')?.resource;
    if (resource !== undefined) return resource;
  }
  return body;
}

export function validateOperation(deps: EngineDeps, request: FhirRequest, type: string | undefined): FhirResponse {
  const resource = resourceOf(request.body);
  if (resource === undefined || resource === null || typeof resource !== 'object') throw fail('body.missing');
  const result = deps.validate(resource, type);
  const outcome = result.issues.length > 0
    ? operationOutcome(result.issues, request.language)
    : informationOutcome('validation.ok', {}, request.language);
  return { status: 200, headers: {}, interaction: 'operation:validate', body: { kind: 'json', value: outcome } };
}
