/**
 * A doubtful (DOUT) or fictitious (FICT) identity cannot be validated
 * (RNIV; reference §1.3): a document check recorded under doubt is not kept,
 * the one the identity held is put in doubt with it, and lifting the doubt
 * gives VALI only with a check made after it — never with the check recorded
 * while it stood. A check cannot be dated after today nor before the birth.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTITY_RELIABILITY } from '../../src/identity/fr-core.js';
import { frenchDay } from '../../src/identity/french-day.js';
import { assertOutcome } from '../support/outcome.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { newPerson, patientOf, provenanceOf, statusOf } from './vigilance-fixtures.js';

function checkOf(patient: any): string[] {
  return (patient.extension ?? []).filter((e: any) => e.url === IDENTITY_RELIABILITY)
    .flatMap((e: any) => e.extension).filter((p: any) => p.url === 'validationMode' || p.url === 'validationDate').map((p: any) => p.url);
}

forEachBackend('identity-vigilance: doubt and document checks', (server: () => TestServer) => {
  test('a check recorded under DOUT is not kept; lifting DOUT then gives PROV, not VALI', async () => {
    const person = newPerson();
    const doubtful = await server().create(patientOf(person, { comments: ['DOUT'], mode: 'CN', validationDate: '2026-01-10' }));
    assert.equal(statusOf(doubtful), 'PROV');
    assert.deepEqual(checkOf(doubtful), [], 'no check is stored under doubt');
    const lifted = await server().put(`Patient/${doubtful.id}`, patientOf(person, { id: doubtful.id }));
    assert.equal(lifted.status, 200, lifted.text);
    assert.equal(statusOf(lifted.body), 'PROV');
  });

  test('re-sending the check recorded under doubt when lifting it is refused; a check made after the doubt gives VALI', async () => {
    const person = newPerson();
    const doubtful = await server().create(patientOf(person, { comments: ['FICT'], mode: 'PA', validationDate: '2026-01-10' }));
    const refused = await server().put(`Patient/${doubtful.id}`, patientOf(person, { id: doubtful.id, mode: 'PA', validationDate: '2026-01-10' }));
    const [issue] = assertOutcome(refused, 422, 'vigilance.document-under-doubt');
    assert.match(issue!.details!.text!, /ne peut pas être validée/);
    const english = await server().put(`Patient/${doubtful.id}`, patientOf(person, { id: doubtful.id, mode: 'PA', validationDate: '2026-01-10' }), { 'accept-language': 'en' });
    assert.match(assertOutcome(english, 422, 'vigilance.document-under-doubt')[0]!.details!.text!, /cannot be validated/);
    const today = frenchDay(Date.now());
    const checked = await server().put(`Patient/${doubtful.id}`, patientOf(person, { id: doubtful.id, mode: 'PA', validationDate: today }));
    assert.equal(checked.status, 200, checked.text);
    assert.equal(statusOf(checked.body), 'VALI');
    assert.deepEqual((await provenanceOf(server(), doubtful.id)).map((p) => p.activity.text), ['PROV → VALI']);
  });

  test('a new check dated after today (in France) or before the birth is refused; a kept one is not checked again', async () => {
    const person = newPerson();
    for (const date of ['2099-01-01', '1985-05-11', '1984']) {
      const [issue] = assertOutcome(await server().post('Patient', patientOf(person, { mode: 'CN', validationDate: date })), 422, 'vigilance.validation-date-invalid');
      assert.ok(issue!.details!.text!.includes(date));
    }
    const born = await server().post('Patient', patientOf(person, { mode: 'LECV', validationDate: '1985-05-12' }));
    assert.equal(born.status, 201, born.text);
    assert.equal(statusOf(born.body), 'VALI', 'checked on the day of birth');
    const today = await server().post('Patient', patientOf(person, { mode: 'CN', validationDate: frenchDay(Date.now()) }));
    assert.equal(statusOf(today.body), 'VALI');
  });

  test('marking a VALI identity doubtful drops it to PROV and removes its check: lifting the doubt alone does not bring VALI back', async () => {
    const person = newPerson();
    const valid = await server().create(patientOf(person, { mode: 'CN', validationDate: '2026-02-01' }));
    assert.equal(statusOf(valid), 'VALI');
    const marked = await server().put(`Patient/${valid.id}`, patientOf(person, { id: valid.id, comments: ['DOUT'], mode: 'CN', validationDate: '2026-02-01' }));
    assert.equal(marked.status, 200, marked.text);
    assert.equal(statusOf(marked.body), 'PROV');
    assert.deepEqual(checkOf(marked.body), []);
    const lifted = await server().put(`Patient/${valid.id}`, patientOf(person, { id: valid.id }));
    assert.equal(statusOf(lifted.body), 'PROV');
    assertOutcome(await server().put(`Patient/${valid.id}`, patientOf(person, { id: valid.id, status: 'VALI' })), 422, 'vigilance.status-needs-document');
    const activities = (await provenanceOf(server(), valid.id)).map((p) => p.activity.text).sort();
    assert.deepEqual(activities, ['VALI → PROV', '∅ → VALI']);
  });
});
