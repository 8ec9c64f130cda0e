/**
 * The obsolete computed INS (INS-C, urn:oid:1.2.250.1.213.1.4.2, FR Core's
 * fr-core-patient slice INS-C, use secondary) over HTTP on both backends:
 * kept as the identifier fr-core-patient allows, with a warning, but never an
 * INS — it qualifies nothing, shows no fr-core-patient-ins profile, is never
 * cross-referenced by $ihe-pix nor evidence in $match; the INS-C type on an
 * INS system is refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTIFIER_TYPE_SYSTEM, INS_C_SYSTEM, INS_SYSTEMS } from '../../src/identity/fr-core.js';
import { assertOutcome } from '../support/outcome.js';
import { forEachBackend } from '../support/test-server.js';
import { matchParameters, operatorClient } from './mpi-fixtures.js';
import { newPerson, patientOf, registerPeople, statusOf } from './vigilance-fixtures.js';

const INS_C_TYPE = { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'INS-C' }] };
const IPP = 'urn:oid:1.2.250.1.999.1';

function insC(value: string): Record<string, unknown> {
  return { use: 'secondary', type: INS_C_TYPE, system: INS_C_SYSTEM, value };
}

forEachBackend('the computed INS (INS-C) is never an INS', (testServer) => {
  const client = operatorClient(testServer);

  test('kept on a PROV record with a warning, even with a document check and an INS-NIR type: it qualifies nothing', async () => {
    const person = newPerson();
    const body = { ...patientOf(person, { mode: 'CN', validationDate: '2026-01-10' }), identifier: [{ system: IPP, value: 'INSC-1' }, insC('1234567890123456789012')] };
    const told = await testServer().request('POST', 'Patient', { body, headers: { prefer: 'return=OperationOutcome' } });
    assert.equal(told.status, 201, told.text);
    const warnings = told.body.issue.filter((i: any) => i.severity === 'warning');
    assert.deepEqual(warnings.map((w: any) => w.details.coding[0].code), ['ins.computed-not-ins']);
    assert.match(warnings[0].details.text, /n’est pas un INS/);
    const id = /Patient\/([^/]+)/.exec(told.headers.get('location') ?? '')?.[1];
    const stored = await client.get(`Patient/${id}`);
    assert.equal(statusOf(stored.body), 'VALI', 'the document check counts; the INS-C does not');
    assert.ok(!stored.body.meta.profile.some((p: string) => p.endsWith('fr-core-patient-ins')));
    assert.deepEqual(stored.body.identifier.find((i: any) => i.system === INS_C_SYSTEM).type, INS_C_TYPE, 'stored as written');

    const typedAsIns = { ...patientOf(newPerson()), identifier: [{ use: 'official', type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'INS-NIR' }] }, system: INS_C_SYSTEM, value: person.ins }] };
    const accepted = await client.post('Patient', typedAsIns);
    assert.equal(accepted.status, 201, accepted.text);
    assert.equal(statusOf(accepted.body), 'PROV', 'an INS type on the INS-C system is still no INS');
  });

  test('the INS-C type on the NIR system is an INS of the wrong type: 422', async () => {
    const person = newPerson();
    await registerPeople(testServer().running.platform.engine, [person]);
    const body = { ...patientOf(person), identifier: [{ use: 'official', type: INS_C_TYPE, system: INS_SYSTEMS.NIR, value: person.ins }] };
    assertOutcome(await client.post('Patient', body), 422, 'ins.type-invalid');
  });

  test('a shared INS-C links nothing: no $ihe-pix cross-reference, no $match evidence', async () => {
    const value = '9876543210987654321098';
    const first = newPerson({ family: 'CALCULE', given: ['ANNE'], birthDate: '2001-04-05' });
    const a = await client.create({ ...patientOf(first), identifier: [{ system: IPP, value: 'INSC-A' }, insC(value)] });
    const b = await client.create({ ...patientOf({ ...first, family: 'AUTRE', given: ['PAUL'], gender: 'male', birthDate: '1950-01-01' }), identifier: [{ system: IPP, value: 'INSC-B' }, insC(value)] });
    const byInsC = await client.get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${INS_C_SYSTEM}|${value}`)}`);
    assert.equal(byInsC.status, 404, byInsC.text);
    const fromA = await client.get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP}|INSC-A`)}`);
    assert.equal(fromA.status, 200, fromA.text);
    const targets = fromA.body.parameter.map((p: any) => p.valueIdentifier?.system ?? p.valueReference?.reference);
    assert.ok(!targets.includes(INS_C_SYSTEM), 'the INS-C is not returned as a cross-reference');
    assert.ok(!targets.includes(`Patient/${b.id}`));
    const result = await client.post('Patient/$match', matchParameters({ ...patientOf({ ...first, family: 'AUTRE', given: ['PAUL'], gender: 'male', birthDate: '1950-01-01' }), identifier: [insC(value)] }));
    const entry = (result.body.entry ?? []).find((e: any) => e.resource.id === a.id);
    assert.ok(!entry || entry.search.score < 0.65, `a shared INS-C raised the match to ${entry?.search.score}`);
  });
});
