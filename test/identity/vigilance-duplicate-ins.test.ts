/**
 * One INS is one person: a write qualifying a record with an INS another
 * active QUAL record already holds is accepted as any qualification, with
 * nothing in the answer about the other record, and opens a doublon Task at
 * once for the identity-vigilance unit (duplicate-ins.ts), outside both
 * patients' compartments. Merged-away and inactive records are no doublons.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { newPerson, patientOf, registerPeople, statusOf, type Person } from './vigilance-fixtures.js';

const DUPLICATE = encodeURIComponent('urn:socle:identity-vigilance|identity-vigilance-duplicate-ins');

forEachBackend('identity-vigilance: one INS, one person', (server: () => TestServer) => {
  /** The doublon Tasks opened when `id` was qualified (found by code, as the identity-vigilance unit lists them). */
  async function doublonTasks(id: string): Promise<any[]> {
    const result = await server().get(`Task?code=${DUPLICATE}&_count=200`);
    assert.equal(result.status, 200, result.text);
    return (result.body.entry ?? []).map((e: any) => e.resource).filter((t: any) => t.input[0].valueReference.reference === `Patient/${id}`);
  }
  const others = (task: any): string[] => task.input.slice(1).map((i: any) => i.valueReference.reference);
  async function qualified(person: Person, mode = 'PA'): Promise<any> {
    const created = await server().post('Patient', patientOf(person, { ins: person.ins, mode, validationDate: '2026-01-10' }));
    assert.equal(created.status, 201, created.text);
    assert.equal(statusOf(created.body), 'QUAL');
    return created.body;
  }

  test('a second QUAL record with the same INS is accepted, says nothing of the first, and opens a doublon Task naming both', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const first = await qualified(person);
    assert.deepEqual(await doublonTasks(first.id), []);
    const told = await server().request('POST', 'Patient', { body: patientOf(person, { ins: person.ins, mode: 'CN', validationDate: '2026-02-01' }), headers: { prefer: 'return=OperationOutcome' } });
    assert.equal(told.status, 201, told.text);
    assert.ok(!told.text.includes(first.id), 'the answer does not name the other record');
    assert.deepEqual(told.body.issue.filter((i: any) => i.severity !== 'information'), []);
    const second = (await server().get(told.headers.get('location')!.replace(/\/_history\/.*$/, ''))).body;
    assert.equal(statusOf(second), 'QUAL');

    const [task, ...more] = await doublonTasks(second.id);
    assert.equal(more.length, 0);
    assert.equal(task.status, 'requested');
    assert.equal(task.for, undefined, 'outside both patients\' compartments');
    assert.equal(task.focus, undefined);
    assert.deepEqual(others(task), [`Patient/${first.id}`]);
    assert.match(task.description, /Doublon d’identité/);
    assert.ok(!JSON.stringify(task).includes(person.ins), 'no INS in the Task');
    for (const id of [first.id, second.id]) {
      const compartment = await server().get(`Patient/${id}/Task`);
      assert.ok(!(compartment.body.entry ?? []).some((e: any) => e.resource.id === task.id), 'not in either patient\'s compartment');
    }

    // Written back unchanged, the record already held its INS: no second Task.
    const rewritten = await server().put(`Patient/${second.id}`, { ...second, telecom: [{ system: 'phone', value: '0102030405' }] });
    assert.equal(rewritten.status, 200, rewritten.text);
    assert.equal((await doublonTasks(second.id)).length, 1);
  });

  test('a RECUP record holding the INS aside opens the Task only when it becomes QUAL', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const first = await qualified(person);
    const recup = await server().post('Patient', patientOf(person, { ins: person.ins }));
    assert.equal(statusOf(recup.body), 'RECUP');
    assert.deepEqual(await doublonTasks(recup.body.id), [], 'an INS aside is exchanged with no one');
    const qual = await server().put(`Patient/${recup.body.id}`, patientOf(person, { id: recup.body.id, mode: 'CN', validationDate: '2026-03-01' }));
    assert.equal(statusOf(qual.body), 'QUAL');
    const tasks = await doublonTasks(recup.body.id);
    assert.deepEqual(tasks.map(others), [[`Patient/${first.id}`]]);
  });

  test('an inactive or merged-away record holding the INS is no doublon', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const old = await qualified(person);
    const inactive = await server().put(`Patient/${old.id}`, { ...old, active: false });
    assert.equal(inactive.status, 200, inactive.text);
    const survivor = await qualified(person, 'CN');
    assert.deepEqual(await doublonTasks(survivor.id), []);
    // Back in use, the old record is a doublon again: it held the INS, but not in use.
    const reactivated = await server().put(`Patient/${old.id}`, { ...inactive.body, active: true });
    assert.equal(reactivated.status, 200, reactivated.text);
    assert.deepEqual((await doublonTasks(old.id)).map(others), [[`Patient/${survivor.id}`]], 'a reactivated record opens the Task');

    const other = newPerson();
    await registerPeople(server().running.platform.engine, [other]);
    const a = await qualified(other);
    const b = await qualified(other, 'CN');
    assert.equal((await doublonTasks(b.id)).length, 1);
    const merged = await server().post('Patient/$merge', { resourceType: 'Parameters', parameter: [
      { name: 'source-patient', valueReference: { reference: `Patient/${b.id}` } },
      { name: 'target-patient', valueReference: { reference: `Patient/${a.id}` } },
    ] });
    assert.equal(merged.status, 200, merged.text);
    assert.deepEqual(await doublonTasks(a.id), [], 'the merge makes no new doublon');
  });
});
