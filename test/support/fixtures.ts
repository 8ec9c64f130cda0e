/**
 * Realistic French test data and the assertions every HTTP test shares.
 * Each call returns fresh identifiers (INS numbers, UUIDs), so that tests never
 * depend on one another's data whatever order they run in.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import type { FhirResult, TestServer } from './test-server.js';

/**
 * OID of the NIR. A hospital's Patient carries it as the billing number (NSS,
 * type NH): as an INS it would need a qualified identity, which only the INSi
 * register and a document check give (test/identity/ covers that lifecycle).
 */
export const INS_NIR_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.8';
const NSS_TYPE = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NH' }] };
/** A local patient identifier system of a fictitious hospital (IPP). */
export const IPP_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.7.1.999';

/** RFC 9562 version 4 UUID, as the server assigns ids. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const FAMILIES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Garnier'];
const GIVEN_F = ['Marie', 'Camille', 'Léa', 'Chloé', 'Inès', 'Élodie', 'Manon'];
const GIVEN_M = ['Jean', 'Louis', 'Hugo', 'Théo', 'Mathis', 'Gabriel', 'François'];

function pick<T>(values: readonly T[]): T {
  return values[randomInt(values.length)] as T;
}

/**
 * A random, well-formed NIR: sex, year and month of birth, département, commune,
 * order number, then the 2-digit key 97 - (number mod 97).
 */
export function randomNir(sex: 1 | 2, birthDate: string): string {
  const [year, month] = birthDate.split('-');
  const body = `${sex}${(year ?? '1980').slice(2)}${month ?? '01'}${String(randomInt(1, 96)).padStart(2, '0')}${String(randomInt(1, 990)).padStart(3, '0')}${String(randomInt(1, 999)).padStart(3, '0')}`;
  const key = 97n - (BigInt(body) % 97n);
  return `${body}${String(key).padStart(2, '0')}`;
}

export interface PatientOptions {
  readonly family?: string;
  readonly given?: string;
  readonly gender?: 'male' | 'female';
  readonly birthDate?: string;
  readonly nir?: string;
}

export type Json = Record<string, any>;
export type PatientJson = Json & { resourceType: 'Patient' };

/** A Patient as a French hospital would send it: NIR as billing number, IPP, official name, birth date, address. */
export function frenchPatient(options: PatientOptions = {}): PatientJson {
  const gender = options.gender ?? pick(['male', 'female'] as const);
  const birthDate = options.birthDate ?? `${randomInt(1935, 2020)}-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(1, 29)).padStart(2, '0')}`;
  const nir = options.nir ?? randomNir(gender === 'male' ? 1 : 2, birthDate);
  return {
    resourceType: 'Patient',
    identifier: [
      { use: 'secondary', type: NSS_TYPE, system: INS_NIR_SYSTEM, value: nir },
      { use: 'usual', system: IPP_SYSTEM, value: randomUUID() },
    ],
    name: [{ use: 'official', family: options.family ?? pick(FAMILIES), given: [options.given ?? pick(gender === 'male' ? GIVEN_M : GIVEN_F)] }],
    gender,
    birthDate,
    address: [{ use: 'home', line: ['12 rue de la République'], city: 'Lyon', postalCode: '69002', country: 'FR' }],
  };
}

/** "identifier=urn:oid:…|NIR", the search that finds exactly this patient. */
export function insCriteria(patient: Json): string {
  const ins = (patient.identifier as Json[]).find((i) => i.system === INS_NIR_SYSTEM);
  return `identifier=${encodeURIComponent(`${INS_NIR_SYSTEM}|${String(ins?.value)}`)}`;
}

/** A Practitioner with an RPPS number, for system-level history. */
export function frenchPractitioner(): Json & { resourceType: 'Practitioner' } {
  return {
    resourceType: 'Practitioner',
    identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${String(randomInt(0, 1e9)).padStart(10, '0')}` }],
    name: [{ family: pick(FAMILIES), given: [pick(GIVEN_F)], prefix: ['Dr'] }],
  };
}

/**
 * An error answer: the given status, an OperationOutcome in FHIR JSON, with
 * at least one issue of severity error or fatal.
 */
export function assertOutcome(result: FhirResult, status: number, code?: string): void {
  assert.equal(result.status, status, `expected ${status}, got ${result.status}: ${result.text}`);
  assert.match(result.headers.get('content-type') ?? '', /application\/fhir\+json/);
  assert.equal(result.body?.resourceType, 'OperationOutcome', result.text);
  const issues = result.body.issue as Json[];
  assert.ok(Array.isArray(issues) && issues.length > 0, 'an OperationOutcome has at least one issue');
  assert.ok(issues.some((i) => i.severity === 'error' || i.severity === 'fatal'), 'an error outcome carries an error issue');
  if (code !== undefined) assert.ok(issues.some((i) => i.code === code), `expected an issue of type ${code}: ${result.text}`);
}

/** The number of versions of a resource, from its history. */
export async function versionCount(server: TestServer, type: string, id: string): Promise<number> {
  const history = await server.get(`${type}/${id}/_history?_count=100`);
  assert.equal(history.status, 200, history.text);
  return (history.body.entry ?? []).length;
}

/** Sends a JSON Patch document. */
export function jsonPatch(server: TestServer, path: string, operations: unknown, headers: Record<string, string> = {}): Promise<FhirResult> {
  return server.request('PATCH', path, { body: operations, headers: { 'content-type': 'application/json-patch+json', ...headers } });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
