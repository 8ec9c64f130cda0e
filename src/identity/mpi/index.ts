import type { FhirOperation } from '../../fhir/rest/operations.js';
import type { ModuleContext } from '../../platform/module.js';

/** $match, $ihe-pix, $merge/$unmerge. Being built. */
export function mpiOperations(_context: ModuleContext): FhirOperation[] {
  return [];
}
