/**
 * A patient's access through HTTP, on both backends: only their own
 * compartment (R4 Patient CompartmentDefinition), everything else answering
 * as if it did not exist — reads, searches and totals, _include and
 * _revinclude, history, batch and transaction entries, Binary, writes.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const ids = (bundle: Json): string[] => (bundle.entry ?? []).filter((e: Json) => e.resource?.resourceType !== 'OperationOutcome').map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`).sort();

forEachBackend('patient compartment policy', (server) => {
  let alice: Json; let bob: Json; let doctor: Json;
  let aliceObs: Json; let bobObs: Json; let aliceFocusBob: Json;
  let aliceDoc: Json; let bobDoc: Json; let aliceBinary: Json; let bobBinary: Json; let orphanBinary: Json;
  let asAlice: TestServer;

  before(async () => {
    const s = server();
    alice = await s.create({ resourceType: 'Patient', name: [{ family: 'Alice' }] });
    bob = await s.create({ resourceType: 'Patient', name: [{ family: 'Bob' }] });
    doctor = await s.create({ resourceType: 'Practitioner', name: [{ family: 'Docteur' }] });
    const observation = (patient: Json, extra: Json = {}) => ({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${patient.id}` }, ...extra });
    aliceObs = await s.create(observation(alice, { performer: [{ reference: `Practitioner/${doctor.id}` }] }));
    bobObs = await s.create(observation(bob));
    // Alice's record pointing at Bob through a reference outside the compartment parameters.
    aliceFocusBob = await s.create(observation(alice, { focus: [{ reference: `Patient/${bob.id}` }] }));
    const document = (patient: Json) => ({ resourceType: 'DocumentReference', status: 'current', subject: { reference: `Patient/${patient.id}` }, content: [{ attachment: { contentType: 'text/plain' } }] });
    aliceDoc = await s.create(document(alice));
    bobDoc = await s.create(document(bob));
    const binary = (context?: Json) => ({ resourceType: 'Binary', contentType: 'text/plain', data: Buffer.from('compte rendu').toString('base64'), ...(context ? { securityContext: { reference: `DocumentReference/${context.id}` } } : {}) });
    aliceBinary = await s.create(binary(aliceDoc));
    bobBinary = await s.create(binary(bobDoc));
    orphanBinary = await s.create(binary());
    asAlice = s.as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: ['patient/*.rs'] });
  });

  test('reads: own Patient and data 200; another patient’s answer 404 exactly as an absent resource', async () => {
    assert.equal((await asAlice.get(`Patient/${alice.id}`)).status, 200);
    assert.equal((await asAlice.get(`Observation/${aliceObs.id}`)).status, 200);
    const hidden = await asAlice.get(`Observation/${bobObs.id}`);
    const absent = await asAlice.get('Observation/00000000-0000-4000-8000-000000000000');
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.issue[0].code, absent.body.issue[0].code);
    assert.equal(hidden.body.issue[0].details.coding[0].code, absent.body.issue[0].details.coding[0].code);
    assert.equal((await asAlice.get(`Patient/${bob.id}`)).status, 404);
    assert.equal((await asAlice.get(`Observation/${bobObs.id}/_history/1`)).status, 404);
    // Outside every compartment: not a patient's to read.
    assert.equal((await asAlice.get(`Practitioner/${doctor.id}`)).status, 404);
  });

  test('searches return only the compartment, and totals count only it', async () => {
    const all = await asAlice.get('Observation?_total=accurate');
    assert.equal(all.status, 200);
    assert.deepEqual(ids(all.body), [`Observation/${aliceObs.id}`, `Observation/${aliceFocusBob.id}`].sort());
    assert.equal(all.body.total, 2);
    const patients = await asAlice.get('Patient?_total=accurate');
    assert.deepEqual(ids(patients.body), [`Patient/${alice.id}`]);
    assert.equal(patients.body.total, 1);
    const bobs = await asAlice.get(`Observation?subject=Patient/${bob.id}&_total=accurate`);
    assert.equal(bobs.body.total, 0);
    assert.deepEqual(ids((await asAlice.get(`Patient/${bob.id}/Observation`)).body), []);
    const system = await asAlice.get('?_type=Observation,Patient,Practitioner&_total=accurate');
    assert.equal(system.status, 200);
    assert.ok(ids(system.body).every((id) => id === `Patient/${alice.id}` || id.startsWith('Observation/')));
    assert.ok(!ids(system.body).includes(`Observation/${bobObs.id}`));
    assert.equal((await asAlice.get('Observation?_summary=count')).body.total, 2);
  });

  test('_include and _revinclude do not leak resources outside the compartment', async () => {
    const included = await asAlice.get('Observation?_include=Observation:performer&_include=Observation:focus&_include=Observation:subject');
    assert.deepEqual(ids(included.body), [`Observation/${aliceObs.id}`, `Observation/${aliceFocusBob.id}`, `Patient/${alice.id}`].sort());
    const rev = await asAlice.get(`Patient?_revinclude=Observation:subject&_revinclude=Observation:focus`);
    assert.ok(!ids(rev.body).includes(`Observation/${bobObs.id}`));
    assert.ok(ids(rev.body).includes(`Observation/${aliceObs.id}`));
    const iterate = await asAlice.get('Observation?_include=Observation:focus&_revinclude:iterate=Observation:subject');
    assert.ok(!ids(iterate.body).some((id) => id === `Patient/${bob.id}` || id === `Observation/${bobObs.id}`));
  });

  test('history shows only the compartment’s versions', async () => {
    await server().put(`Observation/${bobObs.id}`, { ...bobObs, status: 'amended' });
    assert.equal((await asAlice.get(`Observation/${bobObs.id}/_history`)).status, 404);
    const typeHistory = await asAlice.get('Observation/_history');
    assert.equal(typeHistory.status, 200);
    const keys = (typeHistory.body.entry ?? []).map((e: Json) => e.fullUrl as string);
    assert.ok(keys.length >= 2);
    assert.ok(keys.every((url: string) => !url.endsWith(bobObs.id)));
    assert.equal(typeHistory.body.total, undefined);
    const systemHistory = await asAlice.get('_history');
    assert.ok((systemHistory.body.entry ?? []).every((e: Json) => !String(e.fullUrl).endsWith(bob.id) && !String(e.fullUrl).endsWith(bobObs.id) && !String(e.fullUrl).endsWith(doctor.id)));
  });

  test('Binary follows its securityContext; one without is nobody’s but the operators’', async () => {
    const own = await asAlice.get(`Binary/${aliceBinary.id}`, { accept: 'application/fhir+json' });
    assert.equal(own.status, 200);
    assert.equal(Buffer.from(own.body.data, 'base64').toString(), 'compte rendu');
    assert.equal((await asAlice.get(`Binary/${aliceBinary.id}`, { accept: '*/*' })).status, 200);
    assert.equal((await asAlice.get(`Binary/${bobBinary.id}`, { accept: '*/*' })).status, 404);
    assert.equal((await asAlice.get(`Binary/${orphanBinary.id}`)).status, 404);
    assert.equal((await server().get(`Binary/${orphanBinary.id}`, { accept: 'application/fhir+json' })).status, 200);
    assert.deepEqual(ids((await asAlice.get('Binary')).body), []);
  });

  test('batch entries are judged one by one; a transaction touching another patient fails whole', async () => {
    const result = await asAlice.post('', {
      resourceType: 'Bundle', type: 'batch', entry: [
        { request: { method: 'GET', url: `Observation/${aliceObs.id}` } },
        { request: { method: 'GET', url: `Observation/${bobObs.id}` } },
        { request: { method: 'GET', url: `Observation?subject=Patient/${bob.id}` } },
        { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${alice.id}` } } },
      ],
    });
    assert.equal(result.status, 200);
    const statuses = result.body.entry.map((e: Json) => e.response.status);
    assert.deepEqual(statuses.map((s: string) => s.slice(0, 3)), ['200', '404', '200', '403']);
    assert.equal(result.body.entry[2].resource.total ?? (result.body.entry[2].resource.entry ?? []).length, 0);
    const writer = server().as({ kind: 'patient', patient: alice.id, scopes: ['patient/Observation.crus'] });
    const transaction = await writer.post('', {
      resourceType: 'Bundle', type: 'transaction', entry: [
        { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'mine' }, subject: { reference: `Patient/${alice.id}` } } },
        { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'theirs' }, subject: { reference: `Patient/${bob.id}` } } },
      ],
    });
    assert.equal(transaction.status, 403);
    const mine = await server().get(`Observation?subject=Patient/${alice.id}&code:text=mine`);
    assert.equal((mine.body.entry ?? []).length, 0, 'nothing half-written');
  });

  test('writes: scope letters and the compartment both apply', async () => {
    assert.equal((await asAlice.post('Observation', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${alice.id}` } })).status, 403);
    const writer = server().as({ kind: 'patient', patient: alice.id, scopes: ['patient/Observation.crus'] });
    const own = await writer.post('Observation', { resourceType: 'Observation', status: 'final', code: { text: 'tension' }, subject: { reference: `Patient/${alice.id}` } });
    assert.equal(own.status, 201);
    const other = await writer.post('Observation', { resourceType: 'Observation', status: 'final', code: { text: 'tension' }, subject: { reference: `Patient/${bob.id}` } });
    assert.equal(other.status, 403);
    assert.equal(other.body.issue[0].details.coding[0].code, 'auth.write-outside-reach');
    assert.equal((await writer.put(`Observation/${bobObs.id}`, { ...bobObs, status: 'cancelled' })).status, 404);
    assert.equal((await writer.put(`Observation/${own.body.id}`, { ...own.body, subject: { reference: `Patient/${bob.id}` } })).status, 403);
    assert.equal((await writer.delete(`Observation/${own.body.id}`)).status, 403, 'no d in the scopes');
    assert.equal((await server().get(`Observation/${bobObs.id}`)).body.status, 'amended');
  });

  test('a patient token without its patient context is refused', async () => {
    const result = await server().as({ kind: 'patient', scopes: ['patient/*.rs'] }).get('Observation');
    assert.equal(result.status, 403);
    assert.equal(result.body.issue[0].details.coding[0].code, 'auth.patient-context-missing');
  });
});
