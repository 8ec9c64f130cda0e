/**
 * References on another server's base grant nothing here, on both backends:
 * https://other.example/fhir/Practitioner/1 is not this server's
 * Practitioner/1 (references.html#literal), whether it is an Encounter or
 * CareTeam participant, a token's fhirUser or a Binary's securityContext.
 * The same references relative, or absolute on this server's own base, still
 * count as local.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const FOREIGN = 'https://other.example/fhir';
const AMBULATORY = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' };

const encounter = (patient: Json, participant: string) => ({
  resourceType: 'Encounter', status: 'in-progress', class: AMBULATORY,
  subject: { reference: `Patient/${patient.id}` }, participant: [{ individual: { reference: participant } }],
});
const careTeam = (patient: Json, member: string) => ({
  resourceType: 'CareTeam', status: 'active', subject: { reference: `Patient/${patient.id}` }, participant: [{ member: { reference: member } }],
});
const binary = (securityContext: string) => ({
  resourceType: 'Binary', contentType: 'text/plain', data: Buffer.from('compte rendu').toString('base64'), securityContext: { reference: securityContext },
});

forEachBackend('foreign-base references in access decisions', (server) => {
  let doctor: Json; let related: Json;
  let asDoctor: TestServer;
  const patient = (family: string): Promise<Json> => server().create({ resourceType: 'Patient', name: [{ family }] });
  const doctorAs = (fhirUser: string): TestServer => server().as({ kind: 'practitioner', subject: '810000000018', idnat: '810000000018', fhirUser, scopes: ['user/*.cruds'] });

  before(async () => {
    const s = server();
    doctor = await s.create({ resourceType: 'Practitioner', name: [{ family: 'Curie' }] });
    related = await patient('Relié');
    await s.create(encounter(related, `Practitioner/${doctor.id}`));
    asDoctor = doctorAs(`Practitioner/${doctor.id}`);
  });

  test('a participant on another base with the professional’s id starts no care relationship', async () => {
    const s = server();
    const [byEncounter, byCareTeam, admitted] = [await patient('Rencontre'), await patient('Equipe'), await patient('Admission')];
    await s.create(encounter(byEncounter, `${FOREIGN}/Practitioner/${doctor.id}`));
    await s.create(careTeam(byCareTeam, `${FOREIGN}/Practitioner/${doctor.id}`));
    assert.equal((await asDoctor.get(`Patient/${byEncounter.id}`)).status, 404);
    assert.equal((await asDoctor.get(`Patient/${byCareTeam.id}`)).status, 404);
    // Written by the professional: naming another server's practitioner is no admission by them.
    assert.equal((await asDoctor.post('Encounter', encounter(admitted, `${FOREIGN}/Practitioner/${doctor.id}`))).status, 403);
    assert.equal((await asDoctor.post('CareTeam', careTeam(admitted, `${FOREIGN}/Practitioner/${doctor.id}`))).status, 403);
    assert.equal((await asDoctor.get(`Patient/${admitted.id}`)).status, 404);
    const found = (await asDoctor.get('Patient')).body;
    assert.deepEqual((found.entry ?? []).map((e: Json) => e.resource.id), [related.id]);
  });

  test('a participant on this server’s own base, absolute or relative, still starts one', async () => {
    const s = server();
    const [admitted, byCareTeam, relative] = [await patient('Admis'), await patient('Equipe locale'), await patient('Relative')];
    assert.equal((await asDoctor.post('Encounter', encounter(admitted, `${s.base}/Practitioner/${doctor.id}`))).status, 201);
    assert.equal((await asDoctor.get(`Patient/${admitted.id}`)).status, 200);
    await s.create(careTeam(byCareTeam, `${s.base}/Practitioner/${doctor.id}`));
    assert.equal((await asDoctor.get(`Patient/${byCareTeam.id}`)).status, 200);
    assert.equal((await asDoctor.post('CareTeam', careTeam(relative, `Practitioner/${doctor.id}`))).status, 201);
    assert.equal((await asDoctor.get(`Patient/${relative.id}`)).status, 200);
  });

  test('fhirUser on this server’s base is the professional; on another base, nobody here', async () => {
    assert.equal((await doctorAs(`${server().base}/Practitioner/${doctor.id}`).get(`Patient/${related.id}`)).status, 200);
    const foreign = doctorAs(`${FOREIGN}/Practitioner/${doctor.id}`);
    assert.equal((await foreign.get(`Patient/${related.id}`)).status, 404);
    assert.deepEqual((await foreign.get('Patient')).body.entry ?? [], []);
    const stranger = await patient('Inconnu');
    assert.equal((await foreign.post('Encounter', encounter(stranger, `Practitioner/${doctor.id}`))).status, 403);
  });

  test('a Binary whose securityContext is on another base is the operators’ only', async () => {
    const s = server();
    const asPatient = s.as({ kind: 'patient', patient: related.id, scopes: ['patient/*.rs'] });
    const foreign = await s.create(binary(`${FOREIGN}/Patient/${related.id}`));
    for (const reader of [asDoctor, asPatient]) assert.equal((await reader.get(`Binary/${foreign.id}`, { accept: '*/*' })).status, 404);
    assert.equal((await s.get(`Binary/${foreign.id}`, { accept: '*/*' })).status, 200);
    assert.equal((await asDoctor.post('Binary', binary(`${FOREIGN}/Patient/${related.id}`))).status, 403);

    for (const context of [`${s.base}/Patient/${related.id}`, `Patient/${related.id}`]) {
      const local = await s.create(binary(context));
      for (const reader of [asDoctor, asPatient]) assert.equal((await reader.get(`Binary/${local.id}`, { accept: '*/*' })).status, 200, context);
      assert.equal((await asDoctor.post('Binary', binary(context))).status, 201, context);
    }
  });
});
