import type { WriteHook } from '../../fhir/rest/write-hooks.js';
import type { ModuleContext } from '../../platform/module.js';
import type { InsiLookup } from '../insi/contract.js';

/** Identity-vigilance rules on Patient writes. Being built. */
export function vigilanceHooks(_context: ModuleContext, _insi: InsiLookup): WriteHook[] {
  return [];
}
