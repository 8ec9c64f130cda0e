/**
 * A demo record as a FR Core Patient (https://hl7.fr/ig/fhir/core:
 * fr-core-patient, and fr-core-patient-ins when it carries the INS): the
 * official name with the birth-list extension, the used name, the INSEE birth
 * place, and the identity-reliability extension (status, collection method,
 * document checked, INSi date, RNIV attributes). Reference §1.1 and §1.3.
 * The server's identity-vigilance derives the status itself; the one written
 * here is the one the record's facts call for.
 */
import {
  BIRTH_LIST_GIVEN_NAME, BIRTH_PLACE, IDENTIFIER_TYPE_SYSTEM, IDENTITY_RELIABILITY, IDENTITY_STATUS_COMMENT_SYSTEM,
  IDENTITY_STATUS_SYSTEM, INS_SYSTEMS, INSEE_CODE, METHOD_COLLECTION_SYSTEM, PATIENT_INS_PROFILE, PATIENT_PROFILE,
} from '../identity/fr-core.js';
import { INSEE_COMMUNE_SYSTEM } from '../identity/insi/ins-patient.js';
import { FR_CORE_VALIDATION_MODE_SYSTEM } from '../identity/vigilance/validation-modes.js';
import type { DemoPatient } from './population.js';
import type { Random } from './random.js';

type Json = Record<string, unknown>;

/** The INS system of the demo identities: the NIR's, as the register and the featured accounts use. */
export const DEMO_INS_SYSTEM = INS_SYSTEMS.NIR;

function dateBetween(random: Random, fromYear: number, toYear: number): string {
  const year = random.int(fromYear, toYear);
  const month = random.int(1, 12);
  return `${year}-${String(month).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
}

function reliability(random: Random, record: DemoPatient): Json {
  const fromInsi = record.withIns;
  const parts: Json[] = [
    // Vitale card reading or a direct INSi query for retrieved identities; manual entry otherwise.
    { url: 'methodCollection', valueCoding: { system: METHOD_COLLECTION_SYSTEM, code: fromInsi ? (random.chance(0.6) ? 'CV' : 'INSI') : 'SM' } },
  ];
  if (fromInsi) parts.push({ url: 'dateInterrogationINSi', valueDate: dateBetween(random, 2021, 2024) });
  parts.push({ url: 'identityStatus', valueCoding: { system: IDENTITY_STATUS_SYSTEM, code: record.status } });
  for (const attribute of record.attributes) {
    parts.push({ url: 'comment', valueCodeableConcept: { coding: [{ system: IDENTITY_STATUS_COMMENT_SYSTEM, code: attribute }] } });
  }
  if (record.validationMode) {
    // Never before the birth (identity-vigilance refuses a check that cannot have happened): a newborn's is checked at birth.
    const drawn = dateBetween(random, 2021, 2024);
    parts.push({ url: 'validationDate', valueDate: drawn < record.person.birthDate ? record.person.birthDate : drawn });
    parts.push({ url: 'validationMode', valueCoding: { system: FR_CORE_VALIDATION_MODE_SYSTEM, code: record.validationMode } });
  }
  return { url: IDENTITY_RELIABILITY, extension: parts };
}

function birthPlace(record: DemoPatient): Json {
  const place = record.person.birthPlace;
  const abroad = place.code.startsWith('99');
  return {
    url: BIRTH_PLACE,
    valueAddress: {
      extension: [{ url: INSEE_CODE, valueCoding: { system: INSEE_COMMUNE_SYSTEM, code: place.code } }],
      ...(abroad ? { country: place.name } : { city: place.name, country: 'France' }),
    },
  };
}

/** The Patient resource of a demo record (id included: the loader PUTs it, so a new run updates the same resources). */
export function patientResource(random: Random, record: DemoPatient): Json {
  const { recorded, person } = record;
  const names: Json[] = [{
    extension: [{ url: BIRTH_LIST_GIVEN_NAME, valueString: recorded.given.join(' ') }],
    use: 'official',
    family: recorded.family,
    given: recorded.given.slice(0, 1),
  }];
  if (record.usedFamily || record.usedGiven) {
    names.push({ use: 'usual', family: record.usedFamily ?? recorded.family, given: [record.usedGiven ?? recorded.given[0]] });
  }
  const identifier: Json[] = record.withIns
    ? [{ use: 'official', type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'INS-NIR' }] }, system: DEMO_INS_SYSTEM, value: person.ins }]
    : [];
  const { home } = record;
  return {
    resourceType: 'Patient',
    id: record.id,
    meta: { profile: [record.withIns ? PATIENT_INS_PROFILE : PATIENT_PROFILE] },
    extension: [reliability(random, record), birthPlace(record)],
    ...(identifier.length > 0 ? { identifier } : {}),
    name: names,
    ...(record.phone ? { telecom: [{ system: 'phone', value: record.phone, use: 'mobile' }] } : {}),
    gender: person.gender,
    birthDate: recorded.birthDate,
    address: [{
      use: 'home',
      line: [...home.lines],
      city: home.city,
      postalCode: home.postalCode,
      country: 'France',
      extension: [{ url: INSEE_CODE, valueCoding: { system: INSEE_COMMUNE_SYSTEM, code: home.inseeCode } }],
    }],
  };
}
