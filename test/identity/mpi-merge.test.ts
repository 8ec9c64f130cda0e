/**
 * Patient/$merge and $unmerge over HTTP on both backends
 * (https://hl7.org/fhir/R5/patient-operation-merge.html as the model): one
 * survivor, the other linked, the compartment re-pointed, all in one unit,
 * and undone exactly.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { IPP_LILLE, IPP_ROUBAIX, matchParameters, operatorClient, patient, type Client } from './mpi-fixtures.js';

const ref = (id: string | undefined) => ({ reference: `Patient/${String(id)}` });
const params = (...parameter: Record<string, unknown>[]) => ({ resourceType: 'Parameters', parameter });

async function observation(server: Client, subject: string | undefined, code: string): Promise<string> {
  return (await server.create({ resourceType: 'Observation', status: 'final', code: { text: code }, subject: ref(subject), valueString: code } )).id;
}

async function subjects(server: Client, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) out.push((await server.get(`Observation/${id}`)).body.subject.reference);
  return out;
}

forEachBackend('Patient/$merge and $unmerge', (testServer) => {
  const client = operatorClient(testServer);
  const server = () => client;
  const ids: Record<string, string> = {};
  const sourceObservations: string[] = [];
  before(async () => {
    ids.source = (await server().create(patient({ family: 'Lefevre Durant', given: ['Marie-Helene'], gender: 'female', birthDate: '1967-03-08', identifiers: [{ system: IPP_ROUBAIX, value: 'R-500' }] }) )).id;
    ids.target = (await server().create(patient({ family: 'Lefèvre-Durand', given: ['Marie-Hélène', 'Louise'], gender: 'female', birthDate: '1967-03-08', place: '59350', identifiers: [{ system: IPP_LILLE, value: 'L-500' }] }) )).id;
    ids.other = (await server().create(patient({ family: 'Hoarau', given: ['Emma'], gender: 'female', birthDate: '2001-01-01' }) )).id;
    sourceObservations.push(await observation(server(), ids.source, 'glycemia'), await observation(server(), ids.source, 'weight'));
    ids.targetObservation = await observation(server(), ids.target, 'height');
    ids.encounter = (await server().create({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: ref(ids.source) } )).id;
  });

  test('a preview says what would move and changes nothing', async () => {
    const result = await server().post('Patient/$merge', params({ name: 'source-patient', valueReference: ref(ids.source) }, { name: 'target-patient', valueReference: ref(ids.target) }, { name: 'preview', valueBoolean: true }));
    assert.equal(result.status, 200, result.text);
    const outcome = result.body.parameter.find((p: any) => p.name === 'outcome').resource;
    assert.equal(outcome.issue[0].details.coding[0].code, 'mpi.merge.preview');
    assert.deepEqual(await subjects(server(), sourceObservations), [`Patient/${ids.source}`, `Patient/${ids.source}`]);
    assert.equal((await server().get(`Patient/${ids.source}`)).body.active, undefined);
  });

  test('a merge that fails half-way writes nothing', async () => {
    // The result-patient is checked by the validator only when the target is written, after the compartment and the source.
    const invalid = { ...patient({ family: 'Lefèvre-Durand', given: ['Marie'], gender: 'female', birthDate: '1967-03-08' }), id: ids.target, gender: 'robot' };
    const result = await server().post('Patient/$merge', params({ name: 'source-patient', valueReference: ref(ids.source) }, { name: 'target-patient', valueReference: ref(ids.target) }, { name: 'result-patient', resource: invalid }));
    assert.ok(result.status === 400 || result.status === 422, result.text);
    assert.equal(result.body.resourceType, 'OperationOutcome');
    assert.deepEqual(await subjects(server(), sourceObservations), [`Patient/${ids.source}`, `Patient/${ids.source}`]);
    const source = (await server().get(`Patient/${ids.source}`)).body;
    assert.equal(source.active, undefined);
    assert.equal(source.link, undefined);
  });

  test('merge: the survivor gets the identifiers and a replaces link, the source is replaced-by, the compartment moves', async () => {
    const result = await server().post('Patient/$merge', params(
      { name: 'source-patient', valueReference: ref(ids.source) },
      { name: 'target-patient-identifier', valueIdentifier: { system: IPP_LILLE, value: 'L-500' } },
    ));
    assert.equal(result.status, 200, result.text);
    const survivor = result.body.parameter.find((p: any) => p.name === 'result').resource;
    assert.equal(survivor.id, ids.target);
    const target = (await server().get(`Patient/${ids.target}`)).body;
    assert.deepEqual(target.link, [{ other: ref(ids.source), type: 'replaces' }]);
    assert.deepEqual(target.identifier.map((i: any) => [i.system, i.value, i.use]), [[IPP_LILLE, 'L-500', 'usual'], [IPP_ROUBAIX, 'R-500', 'old']]);
    const source = (await server().get(`Patient/${ids.source}`)).body;
    assert.equal(source.active, false);
    assert.deepEqual(source.link, [{ other: ref(ids.target), type: 'replaced-by' }]);
    assert.deepEqual(await subjects(server(), sourceObservations), [`Patient/${ids.target}`, `Patient/${ids.target}`]);
    assert.equal((await server().get(`Encounter/${ids.encounter}`)).body.subject.reference, `Patient/${ids.target}`);
    // Searches by patient see the whole record under the survivor, nothing under the source.
    const byTarget = await server().get(`Observation?subject=Patient/${ids.target}`);
    assert.equal(byTarget.body.entry.length, 3);
    const bySource = await server().get(`Observation?subject=Patient/${ids.source}`);
    assert.equal(bySource.body.entry?.length ?? 0, 0);
  });

  test('the merge is audited with both patients and the moved resources, without personal data', async () => {
    // The trail is written by group commit after the response (SOCLE_AUDIT_WAIT=off): wait for it to be on disk.
    await testServer().running.platform.engine.deps.audit.flush();
    const audit = await server().get('AuditEvent?subtype=merge&_count=50');
    assert.equal(audit.status, 200, audit.text);
    const events = (audit.body.entry ?? []).map((e: any) => e.resource);
    const mine = events.find((e: any) => e.action === 'U' && JSON.stringify(e.entity).includes(`Observation/${sourceObservations[0]}`));
    assert.ok(mine, 'an update event names the moved resources');
    assert.ok(JSON.stringify(mine.entity).includes(`Patient/${ids.target}`), 'filed under the survivor');
    assert.ok(events.some((e: any) => e.action === 'U' && JSON.stringify(e.entity).includes(`Patient/${ids.source}`)), 'and one under the merged-away record');
    assert.ok(!/lef[eè]vre|durand|h[eé]l[eè]ne/i.test(audit.text), 'no trait in the trail');
  });

  test('after a merge, $match and $ihe-pix answer with the survivor', async () => {
    const query = patient({ family: 'LEFEVRE DURANT', given: ['MARIE HELENE'], gender: 'female', birthDate: '1967-03-08' });
    const match = await server().post('Patient/$match', matchParameters(query));
    assert.deepEqual(match.body.entry.map((e: any) => e.resource.id), [ids.target]);
    const pix = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_ROUBAIX}|R-500`)}&targetSystem=${encodeURIComponent(IPP_LILLE)}`);
    assert.equal(pix.status, 200, pix.text);
    assert.deepEqual(pix.body.parameter.filter((p: any) => p.name === 'targetIdentifier').map((p: any) => p.valueIdentifier.value), ['L-500']);
  });

  test('merge refusals: merged already, same patient, unknown, missing, ambiguous', async () => {
    const expect = async (body: unknown, status: number, code: string) => {
      const result = await server().post('Patient/$merge', body);
      assert.equal(result.status, status, result.text);
      assert.equal(result.body.issue[0].details.coding[0].code, code);
    };
    await expect(params({ name: 'source-patient', valueReference: ref(ids.source) }, { name: 'target-patient', valueReference: ref(ids.other) }), 422, 'mpi.merge.source-merged');
    await expect(params({ name: 'source-patient', valueReference: ref(ids.other) }, { name: 'target-patient', valueReference: ref(ids.source) }), 422, 'mpi.merge.target-merged');
    await expect(params({ name: 'source-patient', valueReference: ref(ids.other) }, { name: 'target-patient', valueReference: ref(ids.other) }), 422, 'mpi.merge.same-patient');
    await expect(params({ name: 'source-patient', valueReference: ref('nobody') }, { name: 'target-patient', valueReference: ref(ids.other) }), 422, 'mpi.merge.patient-not-found');
    await expect(params({ name: 'target-patient', valueReference: ref(ids.other) }), 400, 'mpi.merge.patient-required');
    // The Roubaix identifier is now on both records (old on the survivor): it designates two patients.
    await expect(params({ name: 'source-patient-identifier', valueIdentifier: { system: IPP_ROUBAIX, value: 'R-500' } }, { name: 'target-patient', valueReference: ref(ids.other) }), 422, 'mpi.merge.patient-ambiguous');
    await expect({ resourceType: 'Patient' }, 400, 'mpi.parameters-required');
  });

  test('unmerge restores the source, the survivor and the references the merge moved, and only those', async () => {
    // Someone re-assigns one moved observation after the merge: that change is theirs and stays.
    const moved = (await server().get(`Observation/${sourceObservations[1]}`)).body;
    const reassigned = await server().put(`Observation/${moved.id}`, { ...moved, meta: undefined, subject: ref(ids.other) });
    assert.equal(reassigned.status, 200, reassigned.text);
    const result = await server().post('Patient/$unmerge', params({ name: 'source-patient', valueReference: ref(ids.source) }));
    assert.equal(result.status, 200, result.text);
    const source = (await server().get(`Patient/${ids.source}`)).body;
    assert.equal(source.active, undefined);
    assert.equal(source.link, undefined);
    const target = (await server().get(`Patient/${ids.target}`)).body;
    assert.equal(target.link, undefined);
    assert.deepEqual(target.identifier.map((i: any) => i.value), ['L-500']);
    assert.deepEqual(await subjects(server(), sourceObservations), [`Patient/${ids.source}`, `Patient/${ids.other}`]);
    assert.equal((await server().get(`Observation/${ids.targetObservation}`)).body.subject.reference, `Patient/${ids.target}`);
    assert.equal((await server().get(`Encounter/${ids.encounter}`)).body.subject.reference, `Patient/${ids.source}`);
    const again = await server().post('Patient/$unmerge', params({ name: 'source-patient', valueReference: ref(ids.source) }));
    assert.equal(again.status, 422);
    assert.equal(again.body.issue[0].details.coding[0].code, 'mpi.unmerge.not-merged');
    await testServer().running.platform.engine.deps.audit.flush();
    const audit = await server().get('AuditEvent?subtype=unmerge&_count=50');
    assert.ok((audit.body.entry ?? []).some((e: any) => e.resource.action === 'U' && JSON.stringify(e.resource.entity).includes(`Patient/${ids.source}`)), 'the unmerge is audited');
  });
});
