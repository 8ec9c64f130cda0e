/**
 * References on another server's base in the MPI operations, on both
 * backends: https://other.example/fhir/Patient/1 names a patient there, not
 * this server's Patient/1 (http://hl7.org/fhir/R4/references.html#literal).
 * $merge leaves such references where they are and refuses one as its source
 * or target; $ihe-pix does not follow a Patient.link on another base. The
 * same references relative, or absolute on this server's own base, still name
 * the local record.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOutcome } from '../support/outcome.js';
import { forEachBackend } from '../support/test-server.js';
import { IPP_LILLE, IPP_ROUBAIX, operatorClient, patient } from './mpi-fixtures.js';

const FOREIGN = 'https://other.example/fhir';
const params = (...parameter: Record<string, unknown>[]) => ({ resourceType: 'Parameters', parameter });
const values = (body: any, name: string): any[] => body.parameter.filter((p: any) => p.name === name);

forEachBackend('MPI: references on another server\'s base', (testServer) => {
  const client = operatorClient(testServer);
  const person = async (family: string, ipp: { system: string; value: string }, link?: string) => (await client.create({
    ...patient({ family, given: ['Jeanne'], gender: 'female', birthDate: '1980-05-05', identifiers: [ipp] }),
    ...(link !== undefined ? { link: [{ other: { reference: link }, type: 'seealso' }] } : {}),
  })).id;

  test('a merge moves the relative and own-base references to the source and leaves one on another base; unmerge puts back only what moved', async () => {
    const base = testServer().base;
    const source = await person('Foreign Source', { system: IPP_ROUBAIX, value: 'FR-1' });
    const target = await person('Foreign Target', { system: IPP_LILLE, value: 'FL-1' });
    const focus = [{ reference: `${base}/Patient/${source}` }, { reference: `${FOREIGN}/Patient/${source}` }];
    const observation = (await client.create({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${source}` }, focus })).id;
    const merged = await client.post('Patient/$merge', params({ name: 'source-patient', valueReference: { reference: `Patient/${source}` } }, { name: 'target-patient', valueReference: { reference: `Patient/${target}` } }));
    assert.equal(merged.status, 200, merged.text);
    const moved = (await client.get(`Observation/${observation}`)).body;
    assert.equal(moved.subject.reference, `Patient/${target}`);
    assert.deepEqual(moved.focus, [{ reference: `${base}/Patient/${target}` }, { reference: `${FOREIGN}/Patient/${source}` }]);
    const undone = await client.post('Patient/$unmerge', params({ name: 'source-patient', valueReference: { reference: `Patient/${source}` } }));
    assert.equal(undone.status, 200, undone.text);
    const back = (await client.get(`Observation/${observation}`)).body;
    assert.equal(back.subject.reference, `Patient/${source}`);
    assert.deepEqual(back.focus, focus);
  });

  test('a merge, unmerge or not-duplicate naming a patient on another base is refused, and changes nothing', async () => {
    const base = testServer().base;
    const source = await person('Refused Source', { system: IPP_ROUBAIX, value: 'FR-2' });
    const target = await person('Refused Target', { system: IPP_LILLE, value: 'FL-2' });
    const observation = (await client.create({ resourceType: 'Observation', status: 'final', code: { text: 'taille' }, subject: { reference: `Patient/${source}` } })).id;
    const at = (id: string, on: string) => ({ reference: `${on}/Patient/${id}` });
    for (const [from, to] of [[at(source, FOREIGN), { reference: `Patient/${target}` }], [{ reference: `Patient/${source}` }, at(target, FOREIGN)]]) {
      const refused = await client.post('Patient/$merge', params({ name: 'source-patient', valueReference: from }, { name: 'target-patient', valueReference: to }));
      assertOutcome(refused, 400, 'mpi.parameter-invalid');
    }
    assert.equal((await client.get(`Observation/${observation}`)).body.subject.reference, `Patient/${source}`);
    assert.equal((await client.get(`Patient/${source}`)).body.link, undefined);
    assertOutcome(await client.post('Patient/$unmerge', params({ name: 'source-patient', valueReference: at(source, FOREIGN) })), 400, 'mpi.parameter-invalid');
    assertOutcome(await client.post('Patient/$not-duplicate', params({ name: 'patient', valueReference: at(source, FOREIGN) }, { name: 'patient', valueReference: { reference: `Patient/${target}` } })), 400, 'mpi.parameter-invalid');
    // The same patients on this server's own base are merged.
    const merged = await client.post('Patient/$merge', params({ name: 'source-patient', valueReference: at(source, base) }, { name: 'target-patient', valueReference: at(target, base) }));
    assert.equal(merged.status, 200, merged.text);
    assert.equal((await client.get(`Observation/${observation}`)).body.subject.reference, `Patient/${target}`);
  });

  test('$ihe-pix does not follow a link on another base to a local patient of the same id; one on its own base it does', async () => {
    const base = testServer().base;
    const unrelated = await person('Unrelated', { system: IPP_ROUBAIX, value: 'FR-3' });
    const linkedAway = await person('Linked Away', { system: IPP_LILLE, value: 'FL-3' }, `${FOREIGN}/Patient/${unrelated}`);
    const answer = await client.get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_LILLE}|FL-3`)}`);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(values(answer.body, 'targetIdentifier'), []);
    assert.deepEqual(values(answer.body, 'targetId').map((p) => p.valueReference.reference), [`Patient/${linkedAway}`]);
    const fromUnrelated = await client.get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_ROUBAIX}|FR-3`)}`);
    assert.deepEqual(values(fromUnrelated.body, 'targetId').map((p) => p.valueReference.reference), [`Patient/${unrelated}`]);

    const same = await person('Same Person', { system: IPP_ROUBAIX, value: 'FR-4' });
    const linkedHere = await person('Linked Here', { system: IPP_LILLE, value: 'FL-4' }, `${base}/Patient/${same}`);
    const joined = await client.get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_LILLE}|FL-4`)}`);
    assert.equal(joined.status, 200, joined.text);
    assert.deepEqual(values(joined.body, 'targetIdentifier').map((p) => p.valueIdentifier.value), ['FR-4']);
    assert.deepEqual(values(joined.body, 'targetId').map((p) => p.valueReference.reference).sort(), [`Patient/${linkedHere}`, `Patient/${same}`].sort());
  });
});
