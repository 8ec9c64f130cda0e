/**
 * Identity-vigilance (issue #3): the RNIV status lifecycle enforced on every
 * Patient write (patient-hook.ts), with the INS of RECUP identities kept in
 * the module's own collection (pending-ins.ts).
 */
import type { WriteHook } from '../../fhir/rest/write-hooks.js';
import type { ModuleContext } from '../../platform/module.js';
import type { InsiLookup } from '../insi/contract.js';
import { patientVigilanceHook, type VigilanceDeps } from './patient-hook.js';
import { PENDING_INS_COLLECTION, type PendingIns } from './pending-ins.js';

export { PENDING_INS_COLLECTION } from './pending-ins.js';

/** The identity-vigilance write rules, asking `insi` to verify INS numbers once `insiGate` lets the write's author. */
export function vigilanceHooks(context: ModuleContext, insi: InsiLookup, insiGate?: VigilanceDeps['insiGate']): WriteHook[] {
  return [patientVigilanceHook({
    insi, pending: context.collection<PendingIns>(PENDING_INS_COLLECTION), logger: context.logger, ...(insiGate ? { insiGate } : {}),
  })];
}
