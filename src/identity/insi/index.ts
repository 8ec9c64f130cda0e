import type { FhirOperation } from '../../fhir/rest/operations.js';
import type { ModuleContext } from '../../platform/module.js';
import type { InsiLookup } from './contract.js';

/** The INSi-like register and its operations ($ins-retrieve, $ins-verify). Being built. */
export function createInsi(_context: ModuleContext): { lookup: InsiLookup; operations: FhirOperation[] } {
  return {
    lookup: {
      retrieve: () => Promise.resolve({ result: '01' }),
      verify: () => Promise.resolve({ valid: false, mismatches: ['ins'] }),
    },
    operations: [],
  };
}
