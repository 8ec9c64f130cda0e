/**
 * A bare id on a reference parameter with several target types
 * (http://hl7.org/fhir/R4/search.html#reference): "Servers SHOULD reject a
 * search where the logical id refers to more than one matching resource
 * across different types"; the client then names the type ("Patient/23") or
 * uses the type modifier ("subject:Patient=23").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, expectOutcome, messageKeys, newScope, type Scope } from '../support/search.js';

forEachBackend('search: a bare id naming resources of several types', (server) => {
  const observation = (s: Scope, subject: string) => server().create(s.mark({
    resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: subject },
  }));
  const putBoth = async (s: Scope, id: string) => {
    const patient = await server().put(`Patient/${id}`, s.mark({ resourceType: 'Patient', id, name: [{ family: 'Partage' }] }));
    assert.ok(patient.status === 201 || patient.status === 200, patient.text);
    const group = await server().put(`Group/${id}`, s.mark({ resourceType: 'Group', id, type: 'person', actual: true }));
    assert.ok(group.status === 201 || group.status === 200, group.text);
  };

  test('conditional criteria with an ambiguous bare id are refused too, never matched on both', async () => {
    const s = newScope();
    const id = `ambigu-cond-${s.u}`;
    await putBoth(s, id);
    await observation(s, `Patient/${id}`);
    const created = await server().request('POST', 'Observation', {
      body: s.mark({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Group/${id}` } }),
      headers: { 'if-none-exist': `subject=${id}` },
    });
    assert.equal(created.status, 400, created.text);
    assert.deepEqual(messageKeys(created.body), ['search.ambiguous-reference']);
    const updated = await server().request('PUT', `Observation?subject=${id}`, {
      body: s.mark({ resourceType: 'Observation', status: 'amended', code: { text: 'poids' }, subject: { reference: `Patient/${id}` } }),
    });
    assert.equal(updated.status, 400, updated.text);
    // Typed, the criteria match the one resource as before.
    const typed = await server().request('POST', 'Observation', {
      body: s.mark({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${id}` } }),
      headers: { 'if-none-exist': `subject=Patient/${id}` },
    });
    assert.equal(typed.status, 200, typed.text);
  });

  test('Patient/x and Group/x both exist: subject=x is refused (400), naming the matches', async () => {
    const s = newScope();
    const id = `ambigu-${s.u}`;
    await putBoth(s, id);
    const ofPatient = await observation(s, `Patient/${id}`);
    const ofGroup = await observation(s, `Group/${id}`);

    const outcome = await expectOutcome(server(), `Observation?subject=${id}&${s.q}`, 400);
    assert.deepEqual(messageKeys(outcome), ['search.ambiguous-reference']);
    assert.match(outcome.issue[0].diagnostics, new RegExp(`Group/${id}, Patient/${id}`));
    // Among other values too, and by POST.
    await expectOutcome(server(), `Observation?subject=autre-${s.u},${id}&${s.q}`, 400);
    const posted = await server().request('POST', 'Observation/_search', {
      rawBody: `subject=${id}&${s.q}`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(posted.status, 400, posted.text);

    // The type named, in the value or by the modifier: no ambiguity.
    await expectIds(server(), `Observation?subject=Patient/${id}&${s.q}`, [ofPatient]);
    await expectIds(server(), `Observation?subject:Patient=${id}&${s.q}`, [ofPatient]);
    await expectIds(server(), `Observation?subject:Group=${id}&${s.q}`, [ofGroup]);
    // patient= only ever targets Patient.
    await expectIds(server(), `Observation?patient=${id}&${s.q}`, [ofPatient]);
  });

  test('in a chain and in _has, the bare id is refused as well', async () => {
    const s = newScope();
    const id = `chaine-${s.u}`;
    await putBoth(s, id);
    await observation(s, `Patient/${id}`);
    await expectOutcome(server(), `DiagnosticReport?result.subject=${id}&${s.q}`, 400);
    await expectOutcome(server(), `Patient?_has:Observation:subject:subject=${id}&${s.q}`, 400);
  });

  test('one type holds the id: the search runs; a deleted resource no longer counts', async () => {
    const s = newScope();
    const id = `seul-${s.u}`;
    await putBoth(s, id);
    const ofPatient = await observation(s, `Patient/${id}`);
    await expectOutcome(server(), `Observation?subject=${id}&${s.q}`, 400);
    const deleted = await server().delete(`Group/${id}`);
    assert.ok(deleted.status === 200 || deleted.status === 204, deleted.text);
    await expectIds(server(), `Observation?subject=${id}&${s.q}`, [ofPatient]);
    // An id no resource has: nothing is ambiguous, nothing is found.
    await expectIds(server(), `Observation?subject=absent-${s.u}&${s.q}`, []);
  });
});
