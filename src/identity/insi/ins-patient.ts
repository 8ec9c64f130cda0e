/**
 * The identity an INSi retrieval returns, as a fr-core-patient-ins Patient
 * (https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins;
 * reference §1.1 and §1.3): the INS identifier with its type and use, the
 * official name carrying the birth-list extension, sex, birth date and the
 * INSEE birth place. The identity-reliability extension records only how the
 * traits were obtained (INSi, today): the status (RECUP or QUAL) is the
 * caller's to set, as it depends on its own document check.
 */
import {
  BIRTH_LIST_GIVEN_NAME, BIRTH_PLACE, IDENTIFIER_TYPE_SYSTEM, IDENTITY_RELIABILITY, INS_SYSTEMS, INSEE_CODE,
  METHOD_COLLECTION_SYSTEM, PATIENT_INS_PROFILE,
} from '../fr-core.js';
import type { InsiIdentity } from './contract.js';

/** TRE_R13-CommuneOM, the code system FR Core binds the INSEE code extension to. */
export const INSEE_COMMUNE_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM';

/** Identifier type code and use per INS system (reference §0; FR Core: NIR official, NIA temp). */
const IDENTIFIER_KIND: Readonly<Record<string, { code: string; use: 'official' | 'temp' }>> = {
  [INS_SYSTEMS.NIR]: { code: 'INS-NIR', use: 'official' },
  [INS_SYSTEMS.NIA]: { code: 'INS-NIA', use: 'temp' },
  [INS_SYSTEMS.TEST]: { code: 'INS-NIR-TEST', use: 'official' },
  [INS_SYSTEMS.DEMO]: { code: 'INS-NIR-DEMO', use: 'official' },
};

/** A fr-core-patient-ins Patient for a register identity; `today` is the INSi query date (YYYY-MM-DD). */
export function insPatient(identity: InsiIdentity, today: string): Record<string, unknown> {
  const kind = IDENTIFIER_KIND[identity.system] ?? { code: 'INS-NIR', use: 'official' };
  const { traits } = identity;
  const extension: Record<string, unknown>[] = [
    {
      url: IDENTITY_RELIABILITY,
      extension: [
        { url: 'methodCollection', valueCoding: { system: METHOD_COLLECTION_SYSTEM, code: 'INSI' } },
        { url: 'dateInterrogationINSi', valueDate: today },
      ],
    },
  ];
  if (traits.birthPlace !== undefined) {
    extension.push({
      url: BIRTH_PLACE,
      valueAddress: { extension: [{ url: INSEE_CODE, valueCoding: { system: INSEE_COMMUNE_SYSTEM, code: traits.birthPlace } }] },
    });
  }
  return {
    resourceType: 'Patient',
    meta: { profile: [PATIENT_INS_PROFILE] },
    extension,
    identifier: [{
      use: kind.use,
      type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: kind.code }] },
      system: identity.system,
      value: identity.ins,
    }],
    name: [{
      extension: [{ url: BIRTH_LIST_GIVEN_NAME, valueString: traits.given.join(' ') }],
      use: 'official',
      family: traits.family,
      given: traits.given.slice(0, 1),
    }],
    gender: traits.gender,
    birthDate: traits.birthDate,
  };
}
