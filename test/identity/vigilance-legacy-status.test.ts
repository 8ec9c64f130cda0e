/**
 * identityStatus coded as earlier FR Core releases coded it, over HTTP on
 * both backends. FR Core 1.x (fr-core-v2-0445) and 2.0–2.2
 * (fr-core-cs-v2-0445, the French extension of HL7 v2 table 0445) carried the
 * RNIV statuses PROV, VALI, RECUP and QUAL with the meaning
 * fr-core-cs-identity-status gives them now: such a claim is read as the same
 * code and checked by the lifecycle like any other, never dropped. A code of
 * those systems that is no status, or a status from any other system, is a 422.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTITY_RELIABILITY, IDENTITY_STATUS_SYSTEM } from '../../src/identity/fr-core.js';
import { assertOutcome } from '../support/outcome.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { newPerson, patientOf, registerPeople, statusOf } from './vigilance-fixtures.js';

const FR_CORE_2_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445';
const FR_CORE_1_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-v2-0445';

/** The Patient with its identityStatus coded in `system`. */
function coded(patient: Record<string, any>, system: string, code: string): Record<string, any> {
  const others = patient.extension.filter((e: any) => e.url !== IDENTITY_RELIABILITY);
  const reliability = patient.extension.find((e: any) => e.url === IDENTITY_RELIABILITY)?.extension ?? [];
  return { ...patient, extension: [{ url: IDENTITY_RELIABILITY, extension: [{ url: 'identityStatus', valueCoding: { system, code } }, ...reliability] }, ...others] };
}

const statusCoding = (patient: any) =>
  patient.extension.find((e: any) => e.url === IDENTITY_RELIABILITY).extension.filter((e: any) => e.url === 'identityStatus').map((e: any) => e.valueCoding.system);

forEachBackend('identityStatus in the code systems of earlier FR Core releases', (server: () => TestServer) => {
  test('a status the evidence supports is accepted and stored in the current code system', async () => {
    for (const system of [FR_CORE_2_SYSTEM, FR_CORE_1_SYSTEM]) {
      const created = await server().post('Patient', coded(patientOf(newPerson(), { mode: 'PA', validationDate: '2026-01-10' }), system, 'VALI'));
      assert.equal(created.status, 201, created.text);
      assert.equal(statusOf(created.body), 'VALI');
      assert.deepEqual(statusCoding(created.body), [IDENTITY_STATUS_SYSTEM], 'one status, in fr-core-cs-identity-status');
    }
  });

  test('a status the evidence does not support is refused with the rule, as in the current system, not stored as PROV', async () => {
    assertOutcome(await server().post('Patient', coded(patientOf(newPerson()), FR_CORE_2_SYSTEM, 'QUAL')), 422, 'vigilance.status-needs-ins');
    assertOutcome(await server().post('Patient', coded(patientOf(newPerson()), FR_CORE_2_SYSTEM, 'VALI')), 422, 'vigilance.status-needs-document');
  });

  test('RECUP and QUAL claimed in the FR Core 2 system are reached by the same evidence', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const created = await server().post('Patient', coded(patientOf(person, { ins: person.ins, mode: 'PA', validationDate: '2026-01-10' }), FR_CORE_2_SYSTEM, 'QUAL'));
    assert.equal(created.status, 201, created.text);
    assert.equal(statusOf(created.body), 'QUAL');
  });

  test('a code of those systems that is no status, or a status of another system, is refused naming it', async () => {
    for (const [system, code] of [[FR_CORE_2_SYSTEM, 'DOUT'], [FR_CORE_1_SYSTEM, 'VIDE'], ['http://terminology.hl7.org/CodeSystem/v2-0445', 'AL'], ['urn:oid:1.2.3.4', 'QUAL']] as const) {
      const [issue] = assertOutcome(await server().post('Patient', coded(patientOf(newPerson()), system, code)), 422, 'vigilance.status-unknown');
      assert.ok(issue!.details!.text!.includes(code), `${system}|${code}: ${issue!.details!.text}`);
    }
  });

  test('an attribute coded in the FR Core 2 system counts: DOUT keeps the identity PROV', async () => {
    const patient = patientOf(newPerson(), { status: 'VALI', mode: 'PA', validationDate: '2026-01-10' });
    const reliability = patient.extension.find((e: any) => e.url === IDENTITY_RELIABILITY);
    reliability.extension.push({ url: 'comment', valueCodeableConcept: { coding: [{ system: FR_CORE_2_SYSTEM, code: 'DOUT' }] } });
    assertOutcome(await server().post('Patient', patient), 422, 'vigilance.attribute-forces-prov');
  });
});
