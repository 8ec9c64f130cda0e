/**
 * Patients for the identity-vigilance tests, written as FR Core's
 * fr-core-patient-ins describes them (official name with the birth-list
 * extension, birth place with its INSEE code, the identity-reliability
 * extension), and the INSi register the server verifies INS numbers against.
 */
import { BIRTH_LIST_GIVEN_NAME, BIRTH_PLACE, IDENTITY_RELIABILITY, IDENTITY_STATUS_COMMENT_SYSTEM, IDENTITY_STATUS_SYSTEM, INS_SYSTEMS, INSEE_CODE, IDENTIFIER_TYPE_SYSTEM } from '../../src/identity/fr-core.js';
import type { InsiIdentity } from '../../src/identity/insi/contract.js';
import { InsiRegister } from '../../src/identity/insi/index.js';
import { withInsKey } from '../../src/identity/ins/nir.js';
import { FR_CORE_VALIDATION_MODE_SYSTEM } from '../../src/identity/vigilance/validation-modes.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import { Collection } from '../../src/storage/collection.js';
import type { FeaturedPatient } from '../../src/demo/featured.js';
import type { TestServer } from '../support/test-server.js';

/** A person with an INS and the five traits: the shape of the demo's featured patients. */
export type Person = FeaturedPatient;

let counter = 100;
/** A fresh person born in Ablis (78006) on 12 May 1985, with a unique INS. */
export function newPerson(over: Partial<Person> = {}): Person {
  counter += 1;
  return { ins: withInsKey(`2850578006${counter}`), family: 'MARTIN', given: ['JEANNE', 'MARIE'], gender: 'female', birthDate: '1985-05-12', birthPlace: '78006', ...over };
}

export interface PatientOptions {
  readonly status?: string;
  readonly mode?: string;
  readonly validationDate?: string;
  readonly comments?: readonly string[];
  readonly ins?: string | false;
  readonly insUse?: string;
  readonly insSystem?: string;
  readonly id?: string;
}

/** A Patient for `person`; the INS identifier only when `ins` is given (true value or a number). */
export function patientOf(person: Person, options: PatientOptions = {}): { resourceType: 'Patient'; [key: string]: any } {
  const reliability = [
    ...(options.status ? [{ url: 'identityStatus', valueCoding: { system: IDENTITY_STATUS_SYSTEM, code: options.status } }] : []),
    ...(options.mode ? [{ url: 'validationMode', valueCoding: { system: FR_CORE_VALIDATION_MODE_SYSTEM, code: options.mode } }] : []),
    ...(options.validationDate ? [{ url: 'validationDate', valueDate: options.validationDate }] : []),
    ...(options.comments ?? []).map((code) => ({ url: 'comment', valueCodeableConcept: { coding: [{ system: IDENTITY_STATUS_COMMENT_SYSTEM, code }] } })),
  ];
  const ins = options.ins === undefined || options.ins === false ? [] : [{
    use: options.insUse ?? 'official',
    type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'INS-NIR' }] },
    system: options.insSystem ?? INS_SYSTEMS.NIR,
    value: options.ins,
  }];
  return {
    resourceType: 'Patient',
    ...(options.id ? { id: options.id } : {}),
    extension: [
      ...(reliability.length > 0 ? [{ url: IDENTITY_RELIABILITY, extension: reliability }] : []),
      { url: BIRTH_PLACE, valueAddress: { extension: [{ url: INSEE_CODE, valueCoding: { system: 'https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM', code: person.birthPlace } }] } },
    ],
    identifier: [{ system: 'urn:oid:1.2.250.1.999.1', value: `IPP-${person.ins.slice(10)}` }, ...ins],
    name: [{ use: 'official', family: person.family, given: [person.given[0]], extension: [{ url: BIRTH_LIST_GIVEN_NAME, valueString: person.given.join(' ') }] }],
    gender: person.gender,
    birthDate: person.birthDate,
  };
}

/** Loads people into the INSi-like register the server's identity module reads. */
export async function registerPeople(engine: FhirEngine, people: readonly Person[]): Promise<void> {
  const { store, clock } = engine.deps;
  const register = InsiRegister.open((name, options) => new Collection<InsiIdentity>(store, name, clock, options));
  for (const p of people) {
    await register.add({ ins: p.ins, system: INS_SYSTEMS.NIR, traits: { family: p.family, given: p.given, gender: p.gender, birthDate: p.birthDate, birthPlace: p.birthPlace } });
  }
}

/** The identityStatus code of a Patient. */
export function statusOf(patient: any): string | undefined {
  const reliability = (patient.extension ?? []).find((e: any) => e.url === IDENTITY_RELIABILITY);
  return reliability?.extension?.find((e: any) => e.url === 'identityStatus')?.valueCoding?.code;
}

/** The INS identifiers a Patient exposes. */
export function insIdentifiersOf(patient: any): any[] {
  return (patient.identifier ?? []).filter((i: any) => Object.values(INS_SYSTEMS).includes(i.system));
}

/** The Provenance records of a Patient's status changes, as a client searches them. */
export async function provenanceOf(server: TestServer, id: string): Promise<any[]> {
  const result = await server.get(`Provenance?target=Patient/${id}&_count=50`);
  if (result.status !== 200) throw new Error(`Provenance search: ${result.status} ${result.text}`);
  return (result.body.entry ?? []).map((e: any) => e.resource);
}

/** The identity-vigilance review Tasks about a Patient. */
export async function tasksOf(server: TestServer, id: string): Promise<any[]> {
  const result = await server.get(`Task?focus=Patient/${id}`);
  if (result.status !== 200) throw new Error(`Task search: ${result.status} ${result.text}`);
  return (result.body.entry ?? []).map((e: any) => e.resource);
}
