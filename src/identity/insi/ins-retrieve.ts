/**
 * $ins-retrieve, modelled on INSi's traits search
 * (urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecTraitsIdentite;
 * reference §1.4, open points §2.1): POST /fhir/Patient/$ins-retrieve with a
 * Parameters of family (birth name), given (1..*), gender, birthdate and
 * optional birthplace (INSEE code). Answers a Parameters with `result` = 00
 * and the one `patient` (fr-core-patient-ins), 01 when none matches, 02 when
 * several do: never more than one identity.
 */
import type { FhirOperation } from '../../fhir/rest/operations.js';
import { frenchDay } from '../french-day.js';
import { insiCall } from './call.js';
import { insPatient } from './ins-patient.js';
import { retrieveInput } from './parameters.js';
import type { RateLimiter } from './rate-limit.js';
import type { InsiRegister } from './register.js';

/** The $ins-retrieve operation over `register`, sharing `limiter` with $ins-verify. */
export function insRetrieveOperation(register: InsiRegister, limiter: RateLimiter): FhirOperation {
  return {
    name: 'ins-retrieve',
    types: ['Patient'],
    methods: ['POST'],
    // It reads the register and writes nothing: Patient search scopes, not create (fhir/rest/operation-access.ts).
    access: 'read',
    invoke: (context) => insiCall(context, limiter, 'ins-retrieve', async () => {
      const traits = retrieveInput(context.deps, context.request.body);
      const answer = await register.retrieve(traits);
      const parameter: Record<string, unknown>[] = [{ name: 'result', valueCode: answer.result }];
      if (answer.result === '00' && answer.identity) {
        const patient = insPatient(answer.identity, frenchDay(context.deps.clock.now()));
        const validation = context.deps.validate(patient, 'Patient');
        // The register only holds checked identities: an invalid answer is a bug, not the caller's problem.
        if (!validation.valid) throw new Error(`ins-retrieve built an invalid Patient: ${validation.issues.map((i) => i.message).join(', ')}`);
        parameter.push({ name: 'patient', resource: patient });
      }
      return { resourceType: 'Parameters', parameter };
    }),
  };
}
