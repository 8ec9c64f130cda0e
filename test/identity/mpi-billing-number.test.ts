/**
 * The billing number (NSS: the NIR system typed NH, fr-core-patient's NSS
 * slice) over HTTP on both backends: stored on an identity of any status and
 * searchable, but never an INS — never cross-referenced by $ihe-pix, never
 * evidence in $match — since it is often another person's NIR (an ayant
 * droit carries the insured parent's).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INS_SYSTEMS } from '../../src/identity/fr-core.js';
import { forEachBackend } from '../support/test-server.js';
import { matchParameters, operatorClient } from './mpi-fixtures.js';
import { newPerson, patientOf, registerPeople, statusOf } from './vigilance-fixtures.js';

const NH = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NH' }] };
const CHILD_IPP = 'urn:oid:1.2.250.1.999.1';

forEachBackend('billing number (NSS) on the NIR system', (testServer) => {
  const client = operatorClient(testServer);

  test('a PROV record carrying a parent\'s INS as its billing number is searchable but never cross-referenced by $ihe-pix', async () => {
    const parent = newPerson();
    await registerPeople(testServer().running.platform.engine, [parent]);
    const qualified = await client.create(patientOf(parent, { ins: parent.ins, mode: 'PA', validationDate: '2026-01-10' }));
    assert.equal(statusOf(qualified), 'QUAL');
    const childPerson = newPerson({ given: ['LOUISE'], birthDate: '2019-02-03' });
    const child = await client.create({ ...patientOf(childPerson), identifier: [{ system: CHILD_IPP, value: 'CHILD-1' }, { use: 'secondary', type: NH, system: INS_SYSTEMS.NIR, value: parent.ins }] });
    assert.equal(statusOf(child), 'PROV', 'a billing number qualifies nothing');
    assert.ok(!child.meta.profile.some((p: string) => p.endsWith('fr-core-patient-ins')));

    const search = await client.get(`Patient?identifier=${encodeURIComponent(`${INS_SYSTEMS.NIR}|${parent.ins}`)}`);
    assert.deepEqual(search.body.entry.map((e: any) => e.resource.id).sort(), [qualified.id, child.id].sort(), 'the operator still finds it');

    const byIns = await client.get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${INS_SYSTEMS.NIR}|${parent.ins}`)}`);
    assert.equal(byIns.status, 200, byIns.text);
    const records = byIns.body.parameter.filter((p: any) => p.name === 'targetId').map((p: any) => p.valueReference.reference);
    assert.deepEqual(records, [`Patient/${qualified.id}`], 'the INS names the qualified parent only');

    const fromChild = await client.get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${CHILD_IPP}|CHILD-1`)}&targetSystem=${encodeURIComponent(INS_SYSTEMS.NIR)}`);
    assert.equal(fromChild.status, 200, fromChild.text);
    assert.deepEqual(fromChild.body.parameter, [], 'the billing number is no cross-reference of the child');
  });

  test('a shared billing number is no evidence in $match: twins sharing it stay apart', async () => {
    const nss = { use: 'secondary', type: NH, system: INS_SYSTEMS.NIR, value: '185057800610199' };
    const leo = newPerson({ family: 'GUERIN', given: ['ANNE'], birthDate: '2018-06-07' });
    const stored = await client.create({ ...patientOf(leo), identifier: [nss] });
    const twin = { ...patientOf({ ...leo, given: ['SOPHIE'] }), identifier: [nss] };
    const result = await client.post('Patient/$match', matchParameters(twin));
    const entry = (result.body.entry ?? []).find((e: any) => e.resource.id === stored.id);
    assert.ok(!entry || entry.search.score < 0.8, `shared NSS raised the twin to ${entry?.search.score}`);
  });
});
