/**
 * Search sees the current version of each resource only
 * (http://hl7.org/fhir/R4/search.html, http.html#delete): updated values stop
 * matching, deleted resources disappear from matches, chains, reverse chains
 * and includes, and a resource created again after a delete is found again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope, refs, search } from '../support/search.js';

const LOINC = 'http://loinc.org';

forEachBackend('search: updates and deletes', (server) => {
  test('an update replaces the values a resource is found by', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Dupont' }], birthDate: '1980-01-01' }));
    await expectIds(server(), `Patient?family=dup&${s.q}`, [patient]);
    const updated = await server().put(`Patient/${patient.id}`, { ...patient, name: [{ family: 'Durand' }], birthDate: '1990-02-02' });
    assert.equal(updated.status, 200, updated.text);
    await expectIds(server(), `Patient?family=dup&${s.q}`, []);
    await expectIds(server(), `Patient?family=dur&${s.q}`, [patient]);
    await expectIds(server(), `Patient?birthdate=1980&${s.q}`, []);
    await expectIds(server(), `Patient?birthdate=1990-02-02&${s.q}`, [patient]);
    // Still found once, with its new version.
    const bundle = (await search(server(), `Patient?${s.q}`)).body;
    assert.equal(bundle.entry.length, 1);
    assert.equal(bundle.entry[0].resource.meta.versionId, '2');
  });

  test('a deleted resource is found neither directly nor through chains, _has or _include', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: `Effacé${s.u}` }] }));
    const observation = await server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '2345-7' }] },
      subject: { reference: `Patient/${patient.id}` },
    }));
    await expectIds(server(), `Observation?subject.family=efface${s.u}&${s.q}`, [observation]);
    await expectIds(server(), `Patient?_has:Observation:subject:code=2345-7&${s.q}`, [patient]);

    assert.ok((await server().delete(`Patient/${patient.id}`)).status < 300);
    await expectIds(server(), `Patient?family=efface${s.u}&${s.q}`, []);
    await expectIds(server(), `Patient?_id=${patient.id}`, []);
    await expectIds(server(), `Observation?subject.family=efface${s.u}&${s.q}`, []);
    // The observation still points to it by reference.
    await expectIds(server(), `Observation?subject=Patient/${patient.id}&${s.q}`, [observation]);
    const included = (await search(server(), `Observation?_id=${observation.id}&_include=Observation:subject`)).body;
    assert.deepEqual(refs(included, 'include'), []);

    assert.ok((await server().delete(`Observation/${observation.id}`)).status < 300);
    await expectIds(server(), `Observation?${s.q}`, []);
  });

  test('a resource deleted then created again with the same id is found again', async () => {
    const s = newScope();
    const id = `revenant-${s.u}`;
    const body = s.mark({ resourceType: 'Patient', id, name: [{ family: 'Revenant' }] });
    assert.ok([200, 201].includes((await server().put(`Patient/${id}`, body)).status));
    assert.ok((await server().delete(`Patient/${id}`)).status < 300);
    await expectIds(server(), `Patient?family=revenant&${s.q}`, []);
    assert.ok([200, 201].includes((await server().put(`Patient/${id}`, { ...body, name: [{ family: 'Revenu' }] })).status));
    await expectIds(server(), `Patient?family=revenant&${s.q}`, []);
    await expectIds(server(), `Patient?family=revenu&${s.q}`, [{ id }]);
  });
});
