/**
 * $ins-verify, modelled on INSi's verification of a matricule + traits pair
 * (reference §1.4, open points §2.2: the real result codes are not public;
 * we answer a verdict and the differing traits): POST
 * /fhir/Patient/$ins-verify with `ins` and the traits of $ins-retrieve.
 * Answers `valid` (boolean) and, when false, one `mismatch` per differing
 * trait (family, given, gender, birthdate, birthplace), or `ins` alone when
 * the register does not know the INS.
 */
import type { FhirOperation } from '../../fhir/rest/operations.js';
import { insiCall } from './call.js';
import { verifyInput } from './parameters.js';
import type { RateLimiter } from './rate-limit.js';
import type { InsiRegister } from './register.js';

/** The $ins-verify operation over `register`, sharing `limiter` with $ins-retrieve. */
export function insVerifyOperation(register: InsiRegister, limiter: RateLimiter): FhirOperation {
  return {
    name: 'ins-verify',
    types: ['Patient'],
    methods: ['POST'],
    // It reads the register and writes nothing: Patient search scopes, not create (fhir/rest/operation-access.ts).
    access: 'read',
    invoke: (context) => insiCall(context, limiter, 'ins-verify', async () => {
      const input = verifyInput(context.deps, context.request.body);
      const verdict = await register.verify(input.ins, input.traits, input.system);
      return {
        resourceType: 'Parameters',
        parameter: [
          { name: 'valid', valueBoolean: verdict.valid },
          ...verdict.mismatches.map((trait) => ({ name: 'mismatch', valueCode: trait })),
        ],
      };
    }),
  };
}
