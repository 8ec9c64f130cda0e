/**
 * The INSi-like reference service (issue #3; reference §1.4, open points §2):
 * the register of reference identities (register.ts), kept in the identity
 * module's own collection, and its two unitary operations, $ins-retrieve and
 * $ins-verify, rate-limited per client. The register is also the InsiLookup
 * identity-vigilance asks when it grants RECUP or QUAL.
 */
import type { FhirOperation } from '../../fhir/rest/operations.js';
import type { ModuleContext } from '../../platform/module.js';
import type { InsiIdentity, InsiLookup } from './contract.js';
import { insRetrieveOperation } from './ins-retrieve.js';
import { insVerifyOperation } from './ins-verify.js';
import type { Principal } from '../../core/principal.js';
import { writeVerificationGate } from './call.js';
import { RateLimiter } from './rate-limit.js';
import { InsiRegister } from './register.js';

export { InsiRegister, loadReferenceIdentities, REGISTER_COLLECTION } from './register.js';
export { identityFromPatient } from './reference-identity.js';
export { insPatient } from './ins-patient.js';

/**
 * The register (as the lookup other identity parts use), the operations the
 * engine serves, and the gate a verification made by a Patient write passes
 * (the same per-client rate as the operations).
 */
export function createInsi(context: ModuleContext): {
  lookup: InsiLookup; operations: FhirOperation[]; register: InsiRegister; writeGate: (principal: Principal | undefined) => void;
} {
  const register = InsiRegister.open((name, options) => context.collection<InsiIdentity>(name, options));
  const limiter = new RateLimiter(context.config.insiRate, context.config.insiBurst, context.clock);
  return {
    lookup: register,
    register,
    operations: [insRetrieveOperation(register, limiter), insVerifyOperation(register, limiter)],
    writeGate: writeVerificationGate(limiter),
  };
}
